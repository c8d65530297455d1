import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FrameRateSampler } from '../src/window/frame-rate-sampler.js';

const sampler = suite('FrameRateSampler');
const admittedOf = (s: FrameRateSampler, times: number[]): number[] => times.filter((t) => s.admit(t));

sampler('admits frames at least 1000/maxFps ms after the last admitted one', () => {
  const s = new FrameRateSampler({ maxFps: 10 });
  assert.is(s.spacingMs, 100);
  // 40 fps source: every 4th frame.
  assert.equal(admittedOf(s, [0, 25, 50, 75, 100, 125, 150, 175, 200]), [0, 100, 200]);
});
sampler('spacing is measured from the last admitted frame, not from a grid', () => {
  const s = new FrameRateSampler({ maxFps: 10 });
  assert.equal(admittedOf(s, [0, 99, 150, 249, 250, 349.9, 350]), [0, 150, 250, 350]);
});
sampler('any 1000 ms interval holds at most maxFps admitted frames (jittered 30 fps source)', () => {
  const s = new FrameRateSampler({ maxFps: 7 });
  const times: number[] = [];
  let t = 0;
  for (let i = 0; i < 3000; i++) { t += 33.3 + ((i * 7919) % 13) - 6; times.push(t); }
  const admitted = admittedOf(s, times);
  for (let i = 0; i + 7 < admitted.length; i++) assert.ok(admitted[i + 7] - admitted[i] >= 1000);
  assert.ok(admitted.length > 3000 / 30 * 5, `${admitted.length} admitted`);
});
sampler('a source slower than maxFps passes whole; reset forgets the last frame', () => {
  const s = new FrameRateSampler({ maxFps: 30 });
  assert.equal(admittedOf(s, [0, 100, 200]), [0, 100, 200]);
  assert.is(s.admit(50), false);
  s.reset();
  assert.is(s.admit(50), true);
});
sampler('rejects bad options and timestamps', () => {
  for (const maxFps of [0, -5, NaN, Infinity]) {
    assert.throws(() => new FrameRateSampler({ maxFps }), (e: Error) => e instanceof RangeError && /maxFps/.test(e.message));
  }
  assert.throws(() => new FrameRateSampler({} as never), TypeError);
  const s = new FrameRateSampler({ maxFps: 5 });
  assert.throws(() => s.admit(NaN), (e: Error) => e instanceof RangeError && /timestampMs/.test(e.message));
});
sampler.run();
