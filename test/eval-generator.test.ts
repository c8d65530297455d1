import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_VARIATION, streamFrames, type StreamSpec, type StreamOptions } from '../eval/camera-stream.js';
import { Prng } from '../eval/prng.js';
import { Ar1 } from '../eval/ar1.js';

const spec: StreamSpec = { photo: 'coffee.png', width: 320, height: 240, frames: 20, seed: 7, variation: { ...DEFAULT_VARIATION } };

async function collect(s: StreamSpec, options: StreamOptions = {}): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  for await (const f of streamFrames(s, options)) frames.push(Uint8Array.from(f.rgb));
  return frames;
}

function differingBytes(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

const prng = suite('Prng and Ar1');
prng('the same seed gives the same sequence; another seed another one', () => {
  const a = new Prng(42), b = new Prng(42), c = new Prng(43);
  const xs = Array.from({ length: 8 }, () => a.uint32());
  assert.equal(Array.from({ length: 8 }, () => b.uint32()), xs);
  assert.not.equal(Array.from({ length: 8 }, () => c.uint32()), xs);
});
prng('normal draws have mean ~0 and sd ~1; AR(1) has its stationary sd and lag-1 correlation', () => {
  const random = new Prng(1);
  const n = 20000;
  let sum = 0, squares = 0;
  for (let i = 0; i < n; i++) { const x = random.normal(); sum += x; squares += x * x; }
  assert.ok(Math.abs(sum / n) < 0.03, `mean ${sum / n}`);
  assert.ok(Math.abs(Math.sqrt(squares / n) - 1) < 0.03);
  const ar = new Ar1(new Prng(2), 0.9, 0.5);
  const xs = Array.from({ length: n }, () => ar.next());
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
  const lag1 = xs.slice(1).reduce((s, x, i) => s + (x - mean) * (xs[i] - mean), 0) / n / variance;
  assert.ok(Math.abs(Math.sqrt(variance) - 0.5) < 0.05, `sd ${Math.sqrt(variance)}`);
  assert.ok(Math.abs(lag1 - 0.9) < 0.02, `lag-1 ${lag1}`);
});
prng('bad seeds and parameters are RangeErrors', () => {
  assert.throws(() => new Prng(-1), RangeError);
  assert.throws(() => new Ar1(new Prng(1), 1, 1), RangeError);
});
prng.run();

const generator = suite('camera stream generator');
generator('the same seed gives the same pixels; another seed other pixels', async () => {
  const a = await collect(spec), b = await collect(spec), c = await collect({ ...spec, seed: 8 });
  assert.is(a.length, 20);
  for (let i = 0; i < a.length; i++) assert.is(differingBytes(a[i], b[i]), 0, `frame ${i}`);
  assert.ok(differingBytes(a[5], c[5]) > a[5].length / 2);
});
generator('consecutive frames differ (noise, jitter, exposure), but only a little', async () => {
  const [a, b] = await collect({ ...spec, frames: 2 });
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff += Math.abs(a[i] - b[i]);
  const mean = diff / a.length;
  assert.ok(mean > 1 && mean < 12, `mean absolute difference ${mean}`);
});
generator('a frame does not depend on the JPEG batch it was compressed in, except its first and last rows', async () => {
  const a = await collect(spec, { batchSize: 16 }), b = await collect(spec, { batchSize: 3 });
  const rowBytes = 320 * 3;
  for (let i = 0; i < a.length; i++) {
    assert.is(differingBytes(a[i].subarray(rowBytes, 239 * rowBytes), b[i].subarray(rowBytes, 239 * rowBytes)), 0, `frame ${i}`);
  }
});
generator('bad specs are RangeErrors', async () => {
  const rangeError = async (s: StreamSpec) => {
    try {
      await collect(s);
    } catch (error) {
      return error instanceof RangeError;
    }
    return false;
  };
  assert.ok(await rangeError({ ...spec, height: 250 }));
  assert.ok(await rangeError({ ...spec, drift: { kind: 'scene-change', onset: 'abrupt', startFrame: 0, rampFrames: 0 } }));
});
generator.run();
