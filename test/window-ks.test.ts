import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ksWindowTest, ksStatistic } from '../src/window/ks-window-test.js';
import { SortedReference, type ReferenceDistribution } from '../src/window/reference.js';
import { ks2samp } from '../src/stats/ks2samp.js';
import { kolmogorovSf } from '../src/stats/kolmogorov-n.js';
import { QuantileSketch } from '../src/sketch/quantile-sketch.js';
import { loadBuild } from './helpers/builds.js';
import { SeededRandom, ar1Stream } from './helpers/ar1-stream.js';

const kernels = await loadBuild('scalar');
const statistic = suite('ksStatistic against ks2samp');

statistic('equal to ks2samp on continuous, tied and shifted samples', () => {
  const random = new SeededRandom(3);
  for (let trial = 0; trial < 40; trial++) {
    const n = 5 + (random.uint32() % 300), m = 5 + (random.uint32() % 900);
    const rounding = trial % 2 === 0 ? 1 : 0; // half the trials heavily tied
    const draw = (shift: number) => shift + random.normal();
    const a = Float64Array.from({ length: n }, () => (rounding ? Math.round(draw(0.2) * 2) : draw(0.2)));
    const b = Float64Array.from({ length: m }, () => (rounding ? Math.round(draw(0) * 2) : draw(0)));
    const expected = ks2samp(a, b, { kernels, method: 'asymp' }).statistic;
    const actual = ksStatistic(Float64Array.from(a).sort(), new SortedReference(b));
    assert.ok(Math.abs(actual - expected) < 1e-12, `trial ${trial}: ${actual} vs ${expected}`);
  }
});
statistic('identical samples give 0; disjoint samples give 1', () => {
  const a = Float64Array.from([1, 2, 2, 3]);
  assert.is(ksStatistic(a, new SortedReference(a)), 0);
  assert.is(ksStatistic(a, new SortedReference([10, 11])), 1);
});
statistic.run();

const windowTest = suite('ksWindowTest');
windowTest('p-values come from kolmogorovSf at the rounded paired size', () => {
  const random = new SeededRandom(21);
  const window = ar1Stream(random, 0.9, 300);
  const reference = Float64Array.from({ length: 2000 }, () => random.normal() * 2.3);
  const r = ksWindowTest(window, reference);
  assert.is(r.n, 300);
  assert.is(r.referenceSize, 2000);
  assert.ok(r.effectiveSize >= 1 && r.effectiveSize < 60, `ESS ${r.effectiveSize}`);
  const pairedEffective = Math.round((r.effectiveSize * 2000) / (r.effectiveSize + 2000));
  assert.is(r.pvalue, kolmogorovSf(pairedEffective, r.statistic));
  assert.is(r.naivePvalue, kolmogorovSf(Math.round((300 * 2000) / 2300), r.statistic));
  assert.ok(r.pvalue >= r.naivePvalue);
});
windowTest('a given effective size and reference effective size are used as given', () => {
  const window = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const r = ksWindowTest(window, new SortedReference([5, 6, 7, 8, 9, 10, 11, 12]), { effectiveSize: 4, referenceEffectiveSize: 4 });
  assert.is(r.statistic, 0.4);
  assert.is(r.pvalue, kolmogorovSf(2, 0.4));
  assert.is(r.referenceEffectiveSize, 4);
});
windowTest('any reference with n and rank works (a sketch-like CDF without rankBelow)', () => {
  const uniform: ReferenceDistribution = { n: 1e6, rank: (x) => Math.min(1, Math.max(0, x)) };
  const r = ksWindowTest([0.1, 0.2, 0.3, 0.4], uniform, { effectiveSize: 4 });
  assert.ok(Math.abs(r.statistic - 0.6) < 1e-12, `${r.statistic}`); // at 0.4: F_w = 1, F = 0.4
  assert.is(r.pvalue, kolmogorovSf(4, r.statistic));
});
windowTest('a QuantileSketch is a reference: D within the sketch rank error of the exact D', () => {
  const random = new SeededRandom(99);
  const values = Float64Array.from({ length: 100_000 }, () => random.normal() * 2.3);
  const sketch = new QuantileSketch();
  for (const v of values) sketch.update(v);
  const exact = new SortedReference(values);
  for (let trial = 0; trial < 20; trial++) {
    const window = ar1Stream(random, 0.9, 300).map((v) => v + (trial % 4) * 0.3);
    const fromSketch = ksWindowTest(window, sketch);
    const fromValues = ksWindowTest(window, exact);
    assert.ok(Math.abs(fromSketch.statistic - fromValues.statistic) <= sketch.normalizedRankError,
      `trial ${trial}: ${fromSketch.statistic} vs ${fromValues.statistic}, eps ${sketch.normalizedRankError}`);
    assert.is(fromSketch.effectiveSize, fromValues.effectiveSize);
    assert.is(fromSketch.referenceSize, 100_000);
  }
});
windowTest('a shifted window is detected even at a small effective size', () => {
  const random = new SeededRandom(77);
  const reference = new SortedReference(Float64Array.from({ length: 5000 }, () => random.normal() * 2.3));
  const shifted = ar1Stream(random, 0.9, 600).map((v) => v + 6);
  const r = ksWindowTest(shifted, reference);
  assert.ok(r.pvalue < 1e-6, `p ${r.pvalue} at ESS ${r.effectiveSize}`);
});
windowTest('bad input', () => {
  assert.throws(() => ksWindowTest([], [1, 2]), (e: Error) => e instanceof RangeError && /window/.test(e.message));
  assert.throws(() => ksWindowTest([1, NaN], [1, 2]), (e: Error) => /window\[1\]/.test(e.message));
  assert.throws(() => ksWindowTest([1, 2], [1, Infinity]), (e: Error) => /values\[1\]/.test(e.message));
  assert.throws(() => ksWindowTest([1, 2], [1, 2], { effectiveSize: 3 }), (e: Error) => /effectiveSize/.test(e.message));
  assert.throws(() => ksWindowTest([1, 2], [1, 2], { referenceEffectiveSize: 0 }), (e: Error) => /referenceEffectiveSize/.test(e.message));
  assert.throws(() => ksWindowTest([1, 2], { n: 0, rank: () => 0 }), (e: Error) => /reference\.n/.test(e.message));
  assert.throws(() => ksWindowTest([1, 2], 'x' as never), TypeError);
});
windowTest.run();
