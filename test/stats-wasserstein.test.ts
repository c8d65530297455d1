import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { wasserstein1, ksWeighted, ks2samp, type Kernels } from '../edge/library.js';
import { BUILDS, loadBuild } from './helpers/builds.js';
import { readVectors, close } from './helpers/scipy-vectors.js';

interface Case { u: number[]; v: number[]; uWeights?: number[]; vWeights?: number[]; distance: number; ksPlus?: number; ksMinus?: number }
const { cases } = readVectors<{ cases: Case[] }>('wasserstein.json');

for (const build of BUILDS) {
  const w1 = suite(`wasserstein1 against scipy.stats.wasserstein_distance (${build})`);
  let kernels: Kernels;
  w1.before(async () => { kernels = await loadBuild(build); });

  w1(`${cases.length} pairs, samples and weighted values, to 1e-9 relative`, () => {
    for (const c of cases) {
      const actual = wasserstein1(c.u, c.v, { kernels, uWeights: c.uWeights, vWeights: c.vWeights });
      assert.ok(close(actual, c.distance, 1e-15, 1e-9), `n=${c.u.length} m=${c.v.length}: ${actual} vs ${c.distance}`);
    }
  });
  w1('a shift by s moves the distance by s; unit weights equal no weights', () => {
    assert.is(wasserstein1([0, 1, 2], [5, 6, 7], { kernels }), 5);
    assert.is(wasserstein1([3, 1, 2], [1, 2, 3], { kernels }), 0);
    const u = [0.5, -1, 2, 2], v = [1, 3];
    assert.is(wasserstein1(u, v, { kernels, uWeights: [1, 1, 1, 1] }), wasserstein1(u, v, { kernels }));
  });
  w1('rejects bad input, naming the argument', () => {
    assert.throws(() => wasserstein1([], [1], { kernels }), (e: Error) => e instanceof RangeError && /\bu\b/.test(e.message));
    assert.throws(() => wasserstein1([1], [NaN], { kernels }), (e: Error) => e instanceof RangeError && /v\[0\]/.test(e.message));
    assert.throws(() => wasserstein1([1, 2], [1], { kernels, uWeights: [1] }), (e: Error) => e instanceof RangeError && /u.weights has 1/.test(e.message));
    assert.throws(() => wasserstein1([1], [1], { kernels, vWeights: [-1] }), (e: Error) => e instanceof RangeError && /v.weights\[0\]/.test(e.message));
    assert.throws(() => wasserstein1([1], [1], { kernels, vWeights: [0] }), (e: Error) => e instanceof RangeError && /sums to 0/.test(e.message));
  });
  w1.run();

  const wks = suite(`ksWeighted: the KS statistic of weighted distributions (${build})`);
  wks.before(async () => { kernels = await loadBuild(build); });
  wks('matches the weighted ECDFs computed by definition in numpy', () => {
    for (const c of cases.filter((x) => x.uWeights)) {
      const r = ksWeighted({ values: c.u, weights: c.uWeights }, { values: c.v, weights: c.vWeights }, { kernels });
      assert.ok(Math.abs(r.plus - c.ksPlus!) <= 1e-12, `plus ${r.plus} vs ${c.ksPlus}`);
      assert.ok(Math.abs(r.minus - c.ksMinus!) <= 1e-12, `minus ${r.minus} vs ${c.ksMinus}`);
      assert.is(r.statistic, Math.max(r.plus, r.minus));
    }
  });
  wks('with unit weights it is the two-sample KS statistic', () => {
    for (const c of cases.filter((x) => !x.uWeights)) {
      const r = ksWeighted({ values: c.u }, { values: c.v }, { kernels });
      // ks2samp's exact method puts D on the 1/lcm(n, m) lattice, within rounding of the sweep's D.
      const reference = ks2samp(c.u, c.v, { kernels, method: 'exact' });
      assert.ok(Math.abs(r.statistic - reference.statistic) <= 1e-12, `${r.statistic} vs ${reference.statistic}`);
    }
  });
  wks('a sketch against raw values: weights are counts at centroids', () => {
    const raw = [1, 1, 1, 2, 2, 3];
    const sketch = { values: [3, 1, 2], weights: [1, 3, 2] };
    assert.equal(ksWeighted(sketch, { values: raw }, { kernels }), { statistic: 0, plus: 0, minus: 0 });
  });
  wks('rejects bad input, naming the argument', () => {
    assert.throws(() => ksWeighted({ values: [] }, { values: [1] }, { kernels }), (e: Error) => e instanceof RangeError && /a.values/.test(e.message));
    assert.throws(() => ksWeighted({ values: [1] }, { values: [1], weights: [Infinity] }, { kernels }), (e: Error) => e instanceof RangeError && /b.weights\[0\]/.test(e.message));
    assert.throws(() => ksWeighted([1] as never, { values: [1] }, { kernels }), (e: Error) => e instanceof TypeError && /\ba\b/.test(e.message));
  });
  wks.run();
}
