import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PageHinkley, PAGE_HINKLEY_DEFAULTS } from '../edge/library.js';
import { detections, rampStream, stepStream } from './helpers/detector-streams.js';

const options = suite('PageHinkley options');
options('defaults are stored under the option names', () => {
  const d = new PageHinkley();
  assert.equal([d.delta, d.threshold, d.alpha, d.minInstances, d.mode], [0.5, 15, 1, 30, 'both']);
  assert.equal(PAGE_HINKLEY_DEFAULTS, { delta: 0.5, threshold: 15, alpha: 1, minInstances: 30, mode: 'both' });
});
options('bad options throw RangeError naming the option', () => {
  const cases: [object, RegExp][] = [
    [{ delta: -1 }, /options.delta/], [{ threshold: 0 }, /options.threshold/], [{ alpha: 0 }, /options.alpha/],
    [{ alpha: 1.01 }, /options.alpha/], [{ minInstances: 0 }, /options.minInstances/], [{ minInstances: 1.5 }, /options.minInstances/],
    [{ mode: 'sideways' }, /options.mode/],
  ];
  for (const [o, message] of cases) assert.throws(() => new PageHinkley(o), (e: Error) => e instanceof RangeError && message.test(e.message), JSON.stringify(o));
});
options.run();

const statistics = suite('PageHinkley statistics');
statistics('PH+ = max(0, PH+ + x − mean − delta) and PH− = max(0, PH− − x + mean − delta), exactly', () => {
  const d = new PageHinkley({ delta: 0.5, threshold: 2, minInstances: 1 });
  const seen: [number, number, number][] = [];
  for (const x of [0, 2, 4, -2]) seen.push([d.update(x).mean, d.upStatistic, d.downStatistic]);
  // means 0, 1, 2, 1; deviations 0, 1, 2, −3
  assert.equal(seen, [[0, 0, 0], [1, 0.5, 0], [2, 2, 0], [1, 0, 2.5]]);
  assert.is(d.driftDetected, true);
  assert.is(d.direction, 'down');
});
statistics('nothing is reported before minInstances values', () => {
  const d = new PageHinkley({ threshold: 1, minInstances: 5 });
  for (const x of [0, 10, 10, 10]) assert.is(d.update(x).driftDetected, false);
  assert.is(d.update(10).driftDetected, true);
});
statistics('alpha < 1 discounts old evidence: the statistic decays without new deviations', () => {
  const d = new PageHinkley({ alpha: 0.5, delta: 0, minInstances: 100 });
  d.update(0).update(8);
  assert.is(d.upStatistic, 4); // mean 4, deviation 4
  d.update(4); // mean 4, deviation 0
  assert.is(d.upStatistic, 2);
});
statistics.run();

const streams = suite('PageHinkley on seeded streams (defaults delta = 0.5, lambda = 15)');
streams('N(0,1) for 500 values then N(1,1): one detection, at 526', () => {
  // Self-starting: after the reset the running mean learns the new level, so it stays quiet.
  assert.equal(detections(new PageHinkley(), stepStream(42, 1000, 500, 1)), [{ index: 526, direction: 'up' }]);
});
streams('a 1σ decrease at 500 is detected at 546, downwards; mode "up" ignores it', () => {
  assert.equal(detections(new PageHinkley(), stepStream(7, 1000, 500, -1)), [{ index: 546, direction: 'down' }]);
  assert.equal(detections(new PageHinkley({ mode: 'up' }), stepStream(7, 1000, 500, -1)), []);
  assert.equal(detections(new PageHinkley({ mode: 'down' }), stepStream(42, 1000, 500, 1)), []);
});
streams('gradual ramps of 0.002σ per value from 500: detected at 912 (up) and 896 (down), then again as the ramp goes on', () => {
  assert.equal(detections(new PageHinkley(), rampStream(11, 3000, 500, 0.002)).map((f) => f.index), [912, 1406, 2070, 2637]);
  assert.equal(detections(new PageHinkley(), rampStream(12, 3000, 500, -0.002)).map((f) => f.index), [896, 1486, 2210, 2710]);
});
streams('alpha = 0.99 still catches the 1σ step (at 527) and stays quiet before it', () => {
  assert.equal(detections(new PageHinkley({ alpha: 0.99 }), stepStream(42, 1000, 500, 1)), [{ index: 527, direction: 'up' }]);
});
streams.run();
