// CameraPipeline: encoded frames in, alert events out. A seeded 160×120 JPEG
// stream of a photo (gain 1 ± 2%, pixel noise sd 2), darkened to 70% from
// frame 400, with bad frames among the good ones: every bad frame is rejected
// with its reason and the alert frames are the same as without them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { BaselineBuilder } from '../src/baseline/baseline-builder.js';
import { decodeBaseline, encodeBaseline } from '../src/baseline/baseline-codec.js';
import type { Baseline } from '../src/baseline/baseline.js';
import { CameraPipeline, type FrameOutcome } from '../edge/agent/camera-pipeline.js';
import { decodeImage } from '../edge/decode.js';
import { loadKernels, type Kernels } from '../edge/library.js';
import { repoPath } from './helpers/paths.js';

const WIDTH = 160, HEIGHT = 120, STABLE = 400, DARK = 200;

function gaussians(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const uniform = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

async function stream(frames: number, seed: number, darkFrom = Infinity): Promise<Uint8Array[]> {
  const photo = await sharp(repoPath('samples', 'coffee.png')).resize(WIDTH, HEIGHT).removeAlpha().raw().toBuffer();
  const gaussian = gaussians(seed);
  const pixels = Buffer.alloc(photo.length);
  const out: Uint8Array[] = [];
  for (let i = 0; i < frames; i++) {
    const gain = (1 + 0.02 * gaussian()) * (i >= darkFrom ? 0.7 : 1);
    for (let p = 0; p < photo.length; p++) pixels[p] = Math.max(0, Math.min(255, Math.round(photo[p] * gain + 2 * gaussian())));
    out.push(await sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: 85 }).toBuffer());
  }
  return out;
}

let kernels: Kernels;
let baseline: Baseline;
let frames: Uint8Array[];

const pipeline = suite('CameraPipeline');
pipeline.before(async () => {
  kernels = await loadKernels();
  const builder = new BaselineBuilder();
  for (const bytes of await stream(300, 11)) {
    const d = await decodeImage(bytes, 'reference');
    builder.addFrame(kernels.frameStats(d.data, { width: d.width, height: d.height, format: d.format }));
  }
  baseline = await decodeBaseline((await encodeBaseline(builder.build({ source: 'test', createdAt: 0, model: null }))).bytes);
  frames = await stream(STABLE + DARK, 12, STABLE);
});

const alertsOf = (outcomes: FrameOutcome[]) => outcomes.flatMap((o) => (o.ok ? o.events.map((e) => `${e.state}@${e.frame} ${e.cause}`) : []));
const make = () => new CameraPipeline({ camera: 'cam1', baseline, kernels });

pipeline('the darkening fires as low-light at pinned frames; frames are numbered from 0', async () => {
  const p = make();
  const outcomes: FrameOutcome[] = [];
  for (const bytes of frames) outcomes.push(await p.process({ bytes, receivedAtMs: 0, origin: 'mem' }));
  assert.ok(outcomes.every((o) => o.ok));
  assert.equal(alertsOf(outcomes), ['pending@424 low-light', 'firing@474 low-light']);
  assert.is(p.frames, STABLE + DARK);
});

pipeline('bad frames are rejected with a reason naming the origin; the stream goes on and alerts the same', async () => {
  const truncated = await readFile(repoPath('test/fixtures/truncated.jpg'));
  const bigger = await sharp(repoPath('samples', 'coffee.png')).resize(WIDTH * 2, HEIGHT).jpeg().toBuffer();
  const bad: Array<[Uint8Array, string, RegExp]> = [
    [truncated, 'decode', /frame-a: corrupt or truncated JPEG/],
    [new TextEncoder().encode('{"not":"an image"}'), 'decode', /frame-b: not a JPEG or PNG image/],
    [new Uint8Array(0), 'decode', /frame-c: empty file/],
    [bigger, 'size', /frame-d: 320×120 differs from this camera's 160×120/],
  ];
  const p = make();
  const outcomes: FrameOutcome[] = [];
  for (let i = 0; i < frames.length; i++) {
    if (i % 100 === 50) {
      const k = Math.floor(i / 100) % bad.length;
      const [bytes, reason, message] = bad[k];
      const o = await p.process({ bytes, receivedAtMs: 0, origin: `frame-${'abcd'[k]}` });
      assert.equal([o.ok, !o.ok && o.reason], [false, reason]);
      assert.match(!o.ok ? o.message : '', message);
    }
    outcomes.push(await p.process({ bytes: frames[i], receivedAtMs: 0, origin: 'mem' }));
  }
  assert.equal(alertsOf(outcomes), ['pending@424 low-light', 'firing@474 low-light']);
});

pipeline('a frame whose prediction features cannot be read is rejected as predictions; nothing else changes', async () => {
  const p = new CameraPipeline({
    camera: 'cam1', baseline, kernels,
    predictionFeatures: (predictions) => {
      if (typeof predictions !== 'object' || predictions === null) throw new TypeError('predictions must be an object');
      return {};
    },
  });
  const o = await p.process({ bytes: frames[0], predictions: 'oops', receivedAtMs: 0, origin: 'req-7' });
  assert.equal([o.ok, !o.ok && o.reason, !o.ok && o.message], [false, 'predictions', 'req-7: predictions must be an object']);
  assert.is(p.frames, 0);
  assert.ok((await p.process({ bytes: frames[0], predictions: {}, receivedAtMs: 0, origin: 'req-8' })).ok);
  assert.is(p.frames, 1);
});

pipeline.run();
