// The contract every sequential detector keeps (docs/detectors.md), run
// against each implementation: options, input checks, lazy reset, reset(),
// checkpoints that continue exactly, and quiet in-control behaviour.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Cusum, PageHinkley, type DriftDetector } from '../edge/library.js';
import { detections, stepStream } from './helpers/detector-streams.js';

interface Implementation {
  name: string;
  make(): DriftDetector;
  restore(json: unknown): DriftDetector;
}

const implementations: Implementation[] = [
  { name: 'Cusum (given mean and std)', make: () => new Cusum({ mean: 0, std: 1 }), restore: (j) => Cusum.fromJSON(j) },
  { name: 'Cusum (warm-up)', make: () => new Cusum(), restore: (j) => Cusum.fromJSON(j) },
  { name: 'PageHinkley', make: () => new PageHinkley(), restore: (j) => PageHinkley.fromJSON(j) },
];

const snapshot = (d: DriftDetector): string => JSON.stringify(d.toJSON());

for (const impl of implementations) {
  const test = suite(`DriftDetector contract: ${impl.name}`);

  test('update returns the detector; nothing is detected before any change', () => {
    const d = impl.make();
    assert.is(d.update(0.3), d);
    assert.is(d.driftDetected, false);
    assert.is(d.direction, null);
    assert.is(d.count, 1);
  });

  test('a non-finite or non-number x throws RangeError and leaves the state unchanged', () => {
    const d = impl.make();
    for (const x of stepStream(3, 120, 0, 0)) d.update(x);
    const before = snapshot(d);
    for (const bad of [NaN, Infinity, -Infinity, '1' as unknown as number, undefined as unknown as number]) {
      assert.throws(() => d.update(bad), (e: Error) => e instanceof RangeError && /x must be a finite number/.test(e.message));
    }
    assert.is(snapshot(d), before);
  });

  test('a bad x right after a detection does not consume the lazy reset', () => {
    const d = impl.make();
    const values = stepStream(42, 1000, 500, 4);
    let i = 0;
    while (!d.update(values[i]).driftDetected) i++;
    const before = snapshot(d);
    assert.throws(() => d.update(NaN), RangeError);
    assert.is(snapshot(d), before);
    assert.is(d.driftDetected, true);
  });

  test('state resets lazily: the update after a detection starts afresh', () => {
    const d = impl.make();
    const values = stepStream(42, 1000, 500, 4);
    let i = 0;
    while (!d.update(values[i]).driftDetected) i++;
    assert.ok(i >= 500, `detected at ${i}`);
    assert.is(d.direction, 'up');
    assert.is(d.count, i + 1);
    d.update(values[i + 1]);
    assert.is(d.driftDetected, false);
    assert.is(d.direction, null);
    assert.is(d.count, 1);
  });

  test('reset() returns to the just-constructed state', () => {
    const d = impl.make();
    for (const x of stepStream(5, 300, 100, 2)) d.update(x);
    d.reset();
    assert.is(snapshot(d), snapshot(impl.make()));
  });

  test('a checkpoint restored through JSON text continues exactly as the original', () => {
    const values = stepStream(77, 3000, 1500, 1.5);
    for (const cut of [0, 50, 150, 1520]) {
      const original = impl.make();
      for (let i = 0; i < cut; i++) original.update(values[i]);
      const restored = impl.restore(JSON.parse(JSON.stringify(original)));
      assert.is(snapshot(restored), snapshot(original));
      const rest = values.subarray(cut);
      assert.equal(detections(restored, rest), detections(original, rest));
      assert.is(snapshot(restored), snapshot(original));
    }
  });

  test('a checkpoint taken at a detection still resets lazily after restore', () => {
    const values = stepStream(42, 1000, 500, 4);
    const d = impl.make();
    let i = 0;
    while (!d.update(values[i]).driftDetected) i++;
    const restored = impl.restore(d.toJSON());
    assert.is(restored.driftDetected, true);
    assert.is(restored.direction, 'up');
    assert.is(restored.update(values[i + 1]).count, 1);
  });

  test('fromJSON rejects another type, another version and corrupt state', () => {
    const json = impl.make().toJSON();
    assert.throws(() => impl.restore(null), TypeError);
    assert.throws(() => impl.restore({ ...json, type: 'adwin' }), /expected/);
    assert.throws(() => impl.restore({ ...json, version: 99 }), /version 99 is not supported/);
    assert.throws(() => impl.restore({ ...json, state: { ...json.state, count: -1 } }), /count/);
    assert.throws(() => impl.restore({ ...json, state: { ...json.state, driftDetected: true } }), /direction/);
    assert.throws(() => impl.restore({ ...json, options: { ...json.options, threshold: -1 } }), /options.threshold/);
  });

  test('default thresholds: no detection in 100,000 in-control N(0, 1) values', () => {
    assert.equal(detections(impl.make(), stepStream(2026, 100_000, Infinity, 0)), []);
  });

  test.run();
}
