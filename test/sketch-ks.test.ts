// ksSketches: D from two sketches (or a sketch and raw values) is within
// eps_a + eps_b of ks2samp's exact D on the raw data, and the decision uses
// the asymptotic critical value widened by those bounds.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { QuantileSketch, ks2samp, ksSketches, loadKernels, type Kernels } from '../edge/library.js';
import { BUILDS, loadBuild } from './helpers/builds.js';
import { sketchOf, stream } from './helpers/sketch-data.js';

let kernels: Kernels;
const shifted = (values: Float32Array, by: number) => values.map((x) => x + by);

const ks = suite('ksSketches against ks2samp on the raw data');
ks.before(async () => { kernels = await loadKernels(); });
ks('two sketches: |D - D_exact| <= eps_a + eps_b for 8 seeds and shifts 0..0.2', () => {
  for (let seed = 1; seed <= 8; seed++) {
    const a = stream('normal', 2e5, seed), b = shifted(stream('normal', 1e5, seed + 100), 0.025 * (seed - 1));
    const exact = ks2samp(a, b, { kernels }).statistic;
    const r = ksSketches(sketchOf(() => new QuantileSketch({ seed }), a), sketchOf(() => new QuantileSketch(), b), { kernels });
    assert.ok(Math.abs(r.statistic - exact) <= r.errorBound, `seed ${seed}: ${r.statistic} vs ${exact}`);
    assert.is(r.errorBound, 2 * new QuantileSketch().normalizedRankError);
  }
});
ks('sketch against a raw window: |D - D_exact| <= eps of the one sketch', () => {
  for (let seed = 1; seed <= 8; seed++) {
    const a = stream('lognormal', 1e5, seed), b = stream('lognormal', 2000, seed + 50).map((x) => x * 1.1);
    const exact = ks2samp(a, b, { kernels }).statistic;
    const r = ksSketches(sketchOf(() => new QuantileSketch(), a), b, { kernels });
    assert.is(r.errorBound, new QuantileSketch().normalizedRankError);
    assert.ok(Math.abs(r.statistic - exact) <= r.errorBound, `seed ${seed}: ${r.statistic} vs ${exact}`);
    assert.equal([r.n, r.m], [1e5, 2000]);
  }
});
ks('both kernel builds give the same D for two sketches and for a sketch against raw values', async () => {
  const a = sketchOf(() => new QuantileSketch(), stream('normal', 5e4, 1)), b = stream('normal', 3000, 2);
  const results: number[][] = [];
  for (const build of BUILDS) {
    const k = await loadBuild(build);
    results.push([ksSketches(a, a, { kernels: k }).statistic, ksSketches(a, b, { kernels: k }).statistic]);
  }
  assert.equal(results[0], results[1]);
  assert.is(results[0][0], 0);
});
ks('two raw samples give ks2samp\'s statistic exactly, with no widening', () => {
  const a = stream('uniform', 3000, 1), b = stream('uniform', 2000, 2);
  const r = ksSketches(a, b, { kernels });
  assert.is(r.statistic, ks2samp(a, b, { kernels, method: 'asymp' }).statistic);
  assert.is(r.errorBound, 0);
});
ks.run();

const decision = suite('ksSketches decision');
decision.before(async () => { kernels = await loadKernels(); });
decision('threshold = c(alpha) sqrt((n+m)/(nm)) + eps_a + eps_b; drift only beyond it', () => {
  const a = sketchOf(() => new QuantileSketch(), stream('normal', 1e5, 1));
  const same = sketchOf(() => new QuantileSketch(), stream('normal', 1e5, 2));
  const moved = sketchOf(() => new QuantileSketch(), shifted(stream('normal', 1e5, 3), 0.5));
  const calm = ksSketches(a, same, { kernels, alpha: 0.01 });
  const c = Math.sqrt(-Math.log(0.005) / 2) * Math.sqrt(2 / 1e5);
  assert.ok(Math.abs(calm.criticalValue - c) < 1e-15);
  assert.is(calm.threshold, calm.criticalValue + calm.errorBound);
  assert.is(calm.drift, false);
  assert.is(ksSketches(a, moved, { kernels }).drift, true);
});
decision('effectiveSizes replace n and m in the critical value', () => {
  const a = sketchOf(() => new QuantileSketch(), stream('normal', 1e4, 1));
  const r = ksSketches(a, a, { kernels, effectiveSizes: { a: 100, b: 50 } });
  assert.equal([r.n, r.m, r.statistic], [100, 50, 0]);
  assert.ok(Math.abs(r.criticalValue - Math.sqrt(-Math.log(0.025) / 2) * Math.sqrt(150 / 5000)) < 1e-15);
});
decision('bad input: alpha, sizes, empty sketches, samples', () => {
  const a = sketchOf(() => new QuantileSketch(), [1, 2, 3]);
  for (const alpha of [0, 1, NaN]) assert.throws(() => ksSketches(a, a, { kernels, alpha }), /options\.alpha/);
  assert.throws(() => ksSketches(a, a, { kernels, effectiveSizes: { b: -1 } }), /effectiveSizes\.b/);
  assert.throws(() => ksSketches(a, new QuantileSketch(), { kernels }), /the sketch is empty/);
  assert.throws(() => ksSketches(a, [1, NaN], { kernels }), /b\[1\]/);
  assert.throws(() => ksSketches(a, [1e39], { kernels }), /float32/);
  assert.throws(() => ksSketches(a, a, undefined as never), TypeError);
});
decision.run();
