// Rank error of QuantileSketch against exact ranks: every sketch's maximum
// error over all x stays within the documented eps (measured at 99%
// confidence with margin, so 0 exceedances is the expected outcome here).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { QuantileSketch } from '../edge/library.js';
import { STREAMS, maxRankError, sketchOf, stream } from './helpers/sketch-data.js';

// 'normal' is left out here: with the same seed, 'lognormal' is a monotone
// map of it and so has exactly the same ranks.
const big = suite('QuantileSketch (k = 200): 1e6 values of each stream');
for (const name of STREAMS.filter((s) => s !== 'normal')) {
  big(`${name}: max rank error <= eps; n, min, max exact`, () => {
    const values = stream(name, 1e6, 1);
    const sketch = sketchOf(() => new QuantileSketch(), values);
    const error = maxRankError(sketch, values);
    assert.ok(error <= sketch.normalizedRankError, `${name}: ${error} > ${sketch.normalizedRankError}`);
    assert.is(sketch.n, 1e6);
    assert.is(sketch.min, values.reduce((a, b) => Math.min(a, b)));
    assert.is(sketch.max, values.reduce((a, b) => Math.max(a, b)));
    assert.ok(sketch.serialize().length <= 3072, `${sketch.serialize().length} bytes`);
  });
}
big.run();

const seeds = suite('QuantileSketch (k = 200): 20 seeds x 3 streams of 1e5 values');
seeds('every sketch within eps', () => {
  const errors: number[] = [];
  for (const name of ['uniform', 'discrete', 'reversed'] as const) {
    for (let seed = 1; seed <= 20; seed++) {
      const values = stream(name, 1e5, seed);
      const sketch = sketchOf(() => new QuantileSketch({ seed }), values);
      errors.push(maxRankError(sketch, values));
    }
  }
  const eps = new QuantileSketch().normalizedRankError;
  assert.is(errors.filter((e) => e > eps).length, 0, `max ${Math.max(...errors)} vs eps ${eps}`);
});
seeds('smaller k: larger but still bounded error (k = 50, 10 seeds)', () => {
  for (let seed = 1; seed <= 10; seed++) {
    const values = stream('normal', 1e5, seed);
    const sketch = sketchOf(() => new QuantileSketch({ k: 50, seed }), values);
    assert.ok(maxRankError(sketch, values) <= sketch.normalizedRankError);
  }
});
seeds.run();

const queries = suite('rank, quantile and cdf agree with each other and with the data');
queries('rank is inclusive and exact while nothing has been compacted', () => {
  const sketch = sketchOf(() => new QuantileSketch(), [3, 1, 2, 2, 5]);
  assert.is(sketch.retained, 5);
  assert.is(sketch.rank(0), 0);
  assert.is(sketch.rank(2), 0.6);
  assert.is(sketch.rank(5), 1);
  assert.equal(Array.from(sketch.cdf([1, 2, 4])), [0.2, 0.6, 0.8]);
  assert.is(sketch.quantile(0), 1);
  assert.is(sketch.quantile(0.5), 2);
  assert.is(sketch.quantile(0.6), 2);
  assert.is(sketch.quantile(0.61), 3);
  assert.is(sketch.quantile(1), 5);
});
queries('values are held as float32: min, max and quantiles are float32 values', () => {
  const sketch = sketchOf(() => new QuantileSketch(), [0.1, 0.2]);
  assert.is(sketch.min, Math.fround(0.1));
  assert.is(sketch.quantile(1), Math.fround(0.2));
  assert.is(sketch.rank(0.1), 0.5); // the query point is rounded the same way
});
queries('quantile(rank(x)) round trip on a large sketch stays within eps in rank', () => {
  const values = stream('lognormal', 2e5, 3);
  const sketch = sketchOf(() => new QuantileSketch(), values);
  const sorted = values.slice().sort();
  for (const q of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
    const x = sketch.quantile(q);
    let below = 0;
    while (below < sorted.length && sorted[below] <= x) below++;
    assert.ok(Math.abs(below / sorted.length - q) <= sketch.normalizedRankError, `q ${q}`);
  }
});
queries.run();
