import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CameraWindows } from '../src/window/camera-windows.js';
import { SCALAR_FEATURE_NAMES } from '../src/catalogue.js';
import { BYTES_PER_SLOT } from '../src/window/timed-ring.js';

/** A frame record with every catalogue feature set to `base + index`. */
function record(base: number): Record<string, number> {
  return Object.fromEntries(SCALAR_FEATURE_NAMES.map((name, i) => [name, base + i]));
}

const camera = suite('CameraWindows');

camera('one window per catalogue feature, all fed from the same frames', () => {
  const cam = new CameraWindows({ window: { kind: 'sliding-count', size: 3 } });
  assert.is(cam.features.length, 21);
  for (let f = 0; f < 5; f++) cam.update(record(10 * f), 100 * f);
  assert.equal(Array.from(cam.get('luma_mean').values()), [23, 33, 43]);
  assert.equal(Array.from(cam.get('width').timestamps()), [200, 300, 400]);
  assert.is(cam.get('noise_sigma').ready, true);
});
camera('maxFps samples whole frames; bad timestamps drop whole frames; bad values drop one feature', () => {
  const cam = new CameraWindows({ window: { kind: 'sliding-count', size: 10 }, maxFps: 10 });
  const admitted: boolean[] = [];
  for (const t of [0, 50, 100, 90, NaN, 200]) admitted.push(cam.update(record(t || 0), t).admitted);
  assert.equal(admitted, [true, false, true, false, false, true]);
  assert.equal(cam.frames, { seen: 6, admitted: 3, sampledOut: 1, badTimestamp: 2 });
  cam.update({ ...record(5), sharpness: NaN }, 300);
  assert.is(cam.get('sharpness').length, 3);
  assert.is(cam.get('sharpness').drops.nonFiniteValue, 1);
  assert.is(cam.get('luma_mean').length, 4);
});
camera('a custom feature list and a time window', () => {
  const cam = new CameraWindows({ window: { kind: 'tumbling-time', durationMs: 1000, capacity: 20 }, features: ['a', 'b'] });
  for (let t = 0; t <= 1000; t += 250) cam.update({ a: t, b: -t, extra: 1 }, t);
  assert.is(cam.get('a').ready, true);
  assert.equal(Array.from(cam.get('b').values()), [0, -250, -500, -750]);
  assert.is(cam.byteLength, 2 * 20 * BYTES_PER_SLOT);
});
camera('reset empties every window and the sampler', () => {
  const cam = new CameraWindows({ maxFps: 1 });
  cam.update(record(1), 5000);
  cam.reset();
  assert.is(cam.update(record(1), 0).admitted, true);
  assert.is(cam.get('width').length, 1);
});
camera('bad input, named', () => {
  assert.throws(() => new CameraWindows({ maxFps: 0 }), (e: Error) => /maxFps/.test(e.message));
  assert.throws(() => new CameraWindows({ window: { kind: 'sliding-count', size: -1 } }), (e: Error) => /size/.test(e.message));
  assert.throws(() => new CameraWindows({ features: [] }), RangeError);
  assert.throws(() => new CameraWindows({ features: ['a', 'a'] }), (e: Error) => /twice/.test(e.message));
  const cam = new CameraWindows({ features: ['a', 'b'] });
  assert.throws(() => cam.update({ a: 1 }, 0), (e: Error) => e instanceof TypeError && /record\.b/.test(e.message));
  assert.is(cam.frames.seen, 0); // nothing counted or stored for a rejected record
  assert.throws(() => cam.update(null as never, 0), TypeError);
  assert.throws(() => cam.get('c'), (e: Error) => e instanceof RangeError && /'c'/.test(e.message));
});
camera('optional features: a frame without one leaves its window alone; a NaN one is dropped and counted', () => {
  assert.throws(() => new CameraWindows({ features: ['a'], optionalFeatures: ['b'] }), (e: Error) => e instanceof RangeError && /optionalFeatures lists 'b', which is not among features/.test(e.message));
  const cam = new CameraWindows({ window: { kind: 'sliding-count', size: 3 }, features: ['a', 'p'], optionalFeatures: ['p'] });
  cam.update({ a: 1, p: 10 }, 0);
  cam.update({ a: 2 }, 100);
  cam.update({ a: 3, p: Number.NaN }, 200);
  cam.update({ a: 4, p: 40 }, 300);
  assert.equal(Array.from(cam.get('a').values()), [2, 3, 4]);
  assert.equal(Array.from(cam.get('p').values()), [10, 40]);
  assert.equal(Array.from(cam.get('p').timestamps()), [0, 300]);
  assert.is(cam.get('p').drops.nonFiniteValue, 1);
  assert.is(cam.frames.admitted, 4);
  // Still required: the non-optional one, and the optional one's type when present.
  assert.throws(() => cam.update({ p: 1 }, 400), /record\.a must be a number/);
  assert.throws(() => cam.update({ a: 1, p: '1' as never }, 400), /record\.p must be a number; got string/);
  assert.is(cam.frames.seen, 4);
});
camera.run();

const memory = suite('window memory budget');
// docs/windows.md: one camera's windows at the default (21 features x 600 frames) stay within 256 KB.
const BUDGET_BYTES = 256 * 1024;
memory('default camera windows: 21 x 600 slots x 16 bytes = 201,600 bytes <= 256 KB', () => {
  const cam = new CameraWindows();
  assert.is(cam.byteLength, 21 * 600 * BYTES_PER_SLOT);
  assert.ok(cam.byteLength <= BUDGET_BYTES);
});
memory('the footprint does not grow with the stream', () => {
  const cam = new CameraWindows({ window: { kind: 'sliding-time', durationMs: 60_000 }, maxFps: 10 });
  const before = cam.byteLength;
  for (let f = 0; f < 5000; f++) cam.update(record(f), 33 * f);
  assert.is(cam.byteLength, before);
  assert.ok(cam.byteLength <= BUDGET_BYTES);
  assert.is(cam.get('luma_mean').drops.overflow, 0); // 60 s at <= 10 fps fits 600 slots
});
memory.run();
