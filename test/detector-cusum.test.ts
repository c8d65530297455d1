import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Cusum, CUSUM_DEFAULTS } from '../edge/library.js';
import { detections, rampStream, stepStream } from './helpers/detector-streams.js';

const options = suite('Cusum options');
options('defaults are stored under the option names', () => {
  const d = new Cusum();
  assert.equal([d.threshold, d.slack, d.warmup, d.mean, d.std], [15, 0.5, 100, undefined, undefined]);
  assert.equal(CUSUM_DEFAULTS, { threshold: 15, slack: 0.5, warmup: 100 });
  const given = new Cusum({ threshold: 8, slack: 0.25, mean: 10, std: 2 });
  assert.equal([given.threshold, given.slack, given.mean, given.std], [8, 0.25, 10, 2]);
});
options('bad options throw RangeError naming the option', () => {
  const cases: [object, RegExp][] = [
    [{ threshold: 0 }, /options.threshold/], [{ threshold: NaN }, /options.threshold/],
    [{ slack: -0.1 }, /options.slack/], [{ warmup: 1 }, /options.warmup/], [{ warmup: 2.5 }, /options.warmup/],
    [{ mean: 0 }, /options.std is missing/], [{ std: 1 }, /options.mean is missing/],
    [{ mean: 0, std: 0 }, /options.std/], [{ mean: Infinity, std: 1 }, /options.mean/],
  ];
  for (const [o, message] of cases) assert.throws(() => new Cusum(o), (e: Error) => e instanceof RangeError && message.test(e.message), JSON.stringify(o));
  assert.throws(() => new Cusum(null as unknown as object), TypeError);
});
options.run();

const sums = suite('Cusum sums');
sums('follow upper = max(0, upper + z − k), lower = max(0, lower − z − k) exactly', () => {
  const d = new Cusum({ mean: 10, std: 2, slack: 0.5, threshold: 3 });
  const seen: [number, number][] = [];
  for (const x of [12, 12, 6, 10, 4]) seen.push([d.update(x).upperSum, d.lowerSum]);
  // z = 1, 1, −2, 0, −3
  assert.equal(seen, [[0.5, 0], [1, 0], [0, 1.5], [0, 1], [0, 3.5]]);
  assert.is(d.driftDetected, true);
  assert.is(d.direction, 'down');
});
sums('warm-up: the first `warmup` values estimate mean and sample std and are not tested', () => {
  const d = new Cusum({ warmup: 4, threshold: 1 });
  for (const x of [1, 2, 3, 4]) {
    assert.is(d.referenceMean, null);
    d.update(x);
  }
  assert.is(d.warmingUp, false);
  assert.is(d.referenceMean, 2.5);
  assert.ok(Math.abs(d.referenceStd! - Math.sqrt(5 / 3)) < 1e-15);
  assert.equal([d.upperSum, d.lowerSum, d.driftDetected], [0, 0, false]);
  d.update(2.5 + 2 * d.referenceStd!);
  assert.ok(Math.abs(d.upperSum - 1.5) < 1e-12);
  assert.is(d.direction, 'up');
});
sums('a constant warm-up detects any later change', () => {
  const d = new Cusum({ warmup: 3 });
  for (const x of [5, 5, 5, 5]) d.update(x);
  assert.is(d.driftDetected, false);
  assert.is(d.update(5.001).driftDetected, true);
});
sums.run();

// Seeded streams: the exact indices are pinned (they move if the arithmetic changes).
const streams = suite('Cusum on seeded streams (defaults h = 15, k = 0.5)');
streams('N(0,1) for 500 values then N(1,1): first detection at 526, then every ~30 values', () => {
  const found = detections(new Cusum({ mean: 0, std: 1 }), stepStream(42, 1000, 500, 1));
  assert.equal(found.slice(0, 4), [{ index: 526, direction: 'up' }, { index: 559, direction: 'up' }, { index: 578, direction: 'up' }, { index: 610, direction: 'up' }]);
  assert.is(found.length, 16);
});
streams('a 1σ decrease at 500 is detected at 546, downwards', () => {
  const found = detections(new Cusum({ mean: 0, std: 1 }), stepStream(7, 1000, 500, -1));
  assert.equal(found[0], { index: 546, direction: 'down' });
  assert.ok(found.every((f) => f.direction === 'down'));
});
streams('with a warm-up instead of a given mean: first detections at 521 (up) and 544 (down)', () => {
  assert.equal(detections(new Cusum(), stepStream(42, 1000, 500, 1))[0], { index: 521, direction: 'up' });
  assert.equal(detections(new Cusum(), stepStream(7, 1000, 500, -1))[0], { index: 544, direction: 'down' });
});
streams('gradual ramps of 0.002σ per value from index 500: detected at 854 (up) and 855 (down), 0.7σ in', () => {
  assert.equal(detections(new Cusum({ mean: 0, std: 1 }), rampStream(11, 3000, 500, 0.002))[0], { index: 854, direction: 'up' });
  assert.equal(detections(new Cusum({ mean: 0, std: 1 }), rampStream(12, 3000, 500, -0.002))[0], { index: 855, direction: 'down' });
});
streams('a low threshold (h = 4) false-alarms: 598 detections in 100,000 in-control values (ARL ≈ 167)', () => {
  assert.is(detections(new Cusum({ mean: 0, std: 1, threshold: 4 }), stepStream(2026, 100_000, Infinity, 0)).length, 598);
});
streams.run();
