// Windows, the frame-rate sampler and a camera's windows restored from
// their checkpoints continue exactly as the originals: same values, readiness
// and drop counts on every later frame, for every window kind.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CheckpointFormatError } from '../src/codec/checkpoint-fields.js';
import { packStandard, unpackStandard } from '../src/codec/standard-msgpack.js';
import { CameraWindows } from '../src/window/camera-windows.js';
import { createWindow, windowFromJSON, type WindowSpec } from '../src/window/create-window.js';
import type { FeatureWindow } from '../src/window/feature-window.js';

// A seeded stream with the awkward inputs: NaN values, a timestamp going back, gaps.
function stream(seed: number, count: number): Array<[number, number]> {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: Array<[number, number]> = [];
  let t = 1_000;
  for (let i = 0; i < count; i++) {
    const r = next();
    t += r < 0.05 ? -300 : r < 0.1 ? 2_500 : 40 + Math.floor(next() * 80);
    out.push([r > 0.97 ? NaN : Math.round(next() * 1000) / 10, t]);
  }
  return out;
}

const SPECS: WindowSpec[] = [
  { kind: 'sliding-count', size: 25 },
  { kind: 'tumbling-count', size: 25 },
  { kind: 'sliding-time', durationMs: 2_000, capacity: 15 },
  { kind: 'tumbling-time', durationMs: 1_500, capacity: 40 },
];

const observe = (w: FeatureWindow) => ({ ready: w.ready, values: Array.from(w.values()), times: Array.from(w.timestamps()), drops: w.drops });

const windows = suite('window checkpoints');

for (const spec of SPECS) {
  windows(`${spec.kind}: restored at every frame, it sees what the original sees`, () => {
    const frames = stream(3, 160);
    const original = createWindow(spec);
    const trace = frames.map(([v, t]) => observe(original.update(v, t)));
    for (let cut = 0; cut <= frames.length; cut += 7) {
      const before = createWindow(spec);
      frames.slice(0, cut).forEach(([v, t]) => before.update(v, t));
      const after = windowFromJSON(unpackStandard(packStandard(before.toJSON())));
      assert.is(after.kind, spec.kind);
      frames.slice(cut).forEach(([v, t], k) => assert.equal(observe(after.update(v, t)), trace[cut + k], `cut ${cut}, frame ${cut + k}`));
      assert.equal(after.toJSON(), original.toJSON());
    }
  });
}

windows('bad window checkpoints are rejected naming the field', () => {
  const w = createWindow({ kind: 'sliding-count', size: 5 });
  [3, 4, 5].forEach((v, i) => w.update(v, i * 10));
  const good = () => JSON.parse(JSON.stringify(w.toJSON()));
  const spoil = (f: (j: any) => void) => { const j = good(); f(j); return j; };
  const rejects = (json: unknown, message: RegExp) => assert.throws(() => windowFromJSON(json, 'w'), (e: Error) => e instanceof CheckpointFormatError && message.test(e.message));
  rejects(spoil((j) => { j.spec.kind = 'rolling'; }), /w\.spec is invalid: window kind must be one of/);
  rejects(spoil((j) => { j.state.timestamps = [0, 20, 10]; }), /w\.state\.timestamps\[2\] must not be earlier/);
  rejects(spoil((j) => { j.state.lastTimestamp = 5; }), /w\.state\.lastTimestamp must be at least the newest timestamp 20/);
  rejects(spoil((j) => { j.state.values = [1, 2, 3, 4, 5, 6]; j.state.timestamps = [1, 2, 3, 4, 5, 6]; }), /w\.state\.values holds 6 values; this window holds at most 5/);
  rejects(spoil((j) => { j.state.drops.overflow = 1.5; }), /w\.state\.drops\.overflow must be an integer >= 0/);
  rejects(spoil((j) => { delete j.state; }), /w\.state must be an object; got nothing \(the field is missing\)/);
  assert.equal(observe(windowFromJSON(good())), observe(w));
});

windows.run();

const camera = suite('CameraWindows checkpoints');

camera('with a sampler: restored mid-stream, admissions and counts continue exactly', () => {
  const features = ['a', 'b'];
  const frames = stream(11, 300);
  const options = { window: { kind: 'sliding-time', durationMs: 3_000, capacity: 60 } as WindowSpec, maxFps: 12, features };
  const original = new CameraWindows(options);
  const admitted = frames.map(([v, t]) => original.update({ a: v, b: -v }, t).admitted);
  for (const cut of [0, 1, 57, 150, 299]) {
    const before = new CameraWindows(options);
    frames.slice(0, cut).forEach(([v, t]) => before.update({ a: v, b: -v }, t));
    const after = CameraWindows.fromJSON(unpackStandard(packStandard(before.toJSON())));
    frames.slice(cut).forEach(([v, t], k) => assert.is(after.update({ a: v, b: -v }, t).admitted, admitted[cut + k], `cut ${cut}, frame ${cut + k}`));
    assert.equal(after.toJSON(), original.toJSON());
    assert.equal(after.frames, original.frames);
  }
  assert.ok(original.frames.sampledOut > 0 && original.frames.badTimestamp > 0, 'the stream exercised the sampler and the timestamp check');
});

camera('bad camera checkpoints are rejected naming the field', () => {
  const cw = new CameraWindows({ window: { kind: 'sliding-count', size: 4 }, features: ['a'] });
  cw.update({ a: 1 }, 0);
  const spoil = (f: (j: any) => void) => { const j = JSON.parse(JSON.stringify(cw.toJSON())); f(j); return j; };
  const rejects = (json: unknown, message: RegExp) => assert.throws(() => CameraWindows.fromJSON(json, 'cam'), (e: Error) => e instanceof CheckpointFormatError && message.test(e.message));
  rejects(spoil((j) => { j.state.windows.b = j.state.windows.a; }), /cam\.state\.windows holds windows for features not in options\.features: b/);
  rejects(spoil((j) => { j.state.sampler = { lastAdmitted: 3 }; }), /cam\.state\.sampler must be null without options\.maxFps/);
  rejects(spoil((j) => { j.options.features = []; }), /cam\.options is invalid: features must be a non-empty array/);
  rejects(spoil((j) => { j.version = 0; }), /cam\.version 0 is not supported/);
});

camera.run();
