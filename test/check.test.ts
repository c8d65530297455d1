// One check of a camera's windows against a baseline: quiet on a stable,
// autocorrelated stream; names exactly the feature that moved.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BaselineBuilder } from '../src/baseline/baseline-builder.js';
import { encodeBaseline, decodeBaseline } from '../src/baseline/baseline-codec.js';
import type { Baseline } from '../src/baseline/baseline.js';
import { SCALAR_FEATURE_NAMES, type ScalarFeatureName } from '../src/catalogue.js';
import { CategoricalCounts } from '../src/categorical/categorical-counts.js';
import { CameraWindows } from '../src/window/camera-windows.js';
import { runCheck } from '../src/policy/check.js';

// A camera's features wander as AR(1) processes (phi 0.9) around fixed
// levels; width and height never change.
function featureStream(seed: number) {
  let s = seed >>> 0 || 1;
  const uniform = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const state = SCALAR_FEATURE_NAMES.map(() => 0);
  return (shift: Partial<Record<ScalarFeatureName, number>> = {}) => {
    const record = {} as Record<ScalarFeatureName, number>;
    SCALAR_FEATURE_NAMES.forEach((name, i) => {
      state[i] = 0.9 * state[i] + Math.sqrt(1 - 0.81) * gaussian();
      const constant = name === 'width' || name === 'height' || name === 'aspect_ratio';
      record[name] = (constant ? 640 : 100 + 10 * i) + (constant ? 0 : 2 * state[i]) + (shift[name] ?? 0);
    });
    return record;
  };
}

function histograms(peak: number) {
  const luma = new Array<number>(256).fill(0);
  for (let y = 0; y < 256; y++) luma[y] = Math.round(1000 * Math.exp(-(((y - peak) / 30) ** 2)));
  return { luma, hue: new Array<number>(36).fill(10) };
}

async function makeBaseline(): Promise<Baseline> {
  const builder = new BaselineBuilder();
  const next = featureStream(1);
  for (let i = 0; i < 5000; i++) builder.addFrame({ features: next(), histograms: histograms(120) });
  for (let i = 0; i < 1000; i++) builder.addPrediction({ kind: 'classifier', classes: [i % 2 ? 'cat' : 'dog'] });
  const { bytes } = await encodeBaseline(builder.build({ source: 'test', createdAt: 0, model: null }));
  return decodeBaseline(bytes);
}

function windowOf(seed: number, frames: number, shift: Partial<Record<ScalarFeatureName, number>> = {}) {
  const windows = new CameraWindows();
  const next = featureStream(seed);
  for (let i = 0; i < frames; i++) windows.update(next(shift), i * 100);
  return windows;
}

const check = suite('check');
let baseline: Baseline;
check.before(async () => { baseline = await makeBaseline(); });

check('stable autocorrelated windows: no feature flagged in 20 checks', () => {
  for (let seed = 10; seed < 30; seed++) {
    const result = runCheck({ windows: windowOf(seed, 600), baseline });
    assert.is(result.drift, false, `seed ${seed}: ${result.significant.map((t) => t.feature).join(', ')}`);
    assert.is(result.tests.length, 21);
    for (const t of result.tests) assert.ok(t.adjustedPvalue! >= t.pvalue!, `${t.feature}: BH never lowers a p-value`);
  }
});

check('a shift that fills the window flags that feature alone, with its direction and effect', () => {
  const result = runCheck({ windows: windowOf(40, 600, { luma_mean: -8 }), baseline });
  assert.equal(result.significant.map((t) => t.feature), ['luma_mean']);
  const t = result.significant[0];
  assert.is(t.direction, 'down');
  assert.ok(t.effect < -0.5, `effect ${t.effect}`);
  assert.ok(Math.abs(t.relativeChange! - -8 / 130) < 0.02, `relative change ${t.relativeChange}`);
  assert.ok(t.effectiveSize < 600 / 3, `autocorrelation shrinks the effective size: ${t.effectiveSize}`);
});

check('a feature the baseline never varied is compared exactly', () => {
  const result = runCheck({ windows: windowOf(41, 600, { width: 640 }), baseline });
  const width = result.significant.find((t) => t.feature === 'width')!;
  assert.ok(width, 'a change of frame size is flagged');
  assert.is(width.pvalue, 0);
  assert.is(width.statistic, 1);
  assert.ok(width.effect > 1e6);
  const same = runCheck({ windows: windowOf(41, 600), baseline }).tests.find((t) => t.feature === 'width')!;
  assert.equal([same.pvalue, same.statistic, same.significant], [1, 0, false]);
});

check('a small but significant shift under the minimum effect is not flagged', () => {
  const shifted = runCheck({ windows: windowOf(42, 600, { g_mean: 1.5 }), baseline }, { minEffect: 5 });
  assert.not.ok(shifted.significant.some((t) => t.feature === 'g_mean'));
  const test = shifted.tests.find((t) => t.feature === 'g_mean')!;
  assert.ok(Math.abs(test.effect) < 5);
});

check('class mix and histograms are judged by chi-square and Jensen–Shannon distance', () => {
  const windows = windowOf(43, 600);
  const same = new CategoricalCounts().add('cat', 50).add('dog', 50);
  const skewed = new CategoricalCounts().add('cat', 95).add('dog', 3).add('fox', 2);
  const quiet = runCheck({ windows, baseline, classes: { predicted_class: same }, histograms: histograms(120) });
  assert.is(quiet.drift, false);
  const loud = runCheck({ windows, baseline, classes: { predicted_class: skewed }, histograms: histograms(60) });
  assert.equal(loud.significant.map((t) => t.feature).sort(), ['luma', 'predicted_class']);
  const classes = loud.significant.find((t) => t.feature === 'predicted_class')!;
  assert.ok(classes.pvalue! < 1e-6 && classes.effect > 0.1);
});

check('autocorrelation times from a stable stretch: a change over half the window is flagged at n / τ', () => {
  const windows = new CameraWindows();
  const next = featureStream(45);
  for (let i = 0; i < 600; i++) windows.update(next(i < 300 ? {} : { luma_mean: -8 }), i * 100);
  const own = runCheck({ windows, baseline }).tests.find((t) => t.feature === 'luma_mean')!;
  const tau = (1 + 0.9) / (1 - 0.9);
  const result = runCheck({ windows, baseline }, { autocorrelationTimes: { luma_mean: tau } });
  const luma = result.tests.find((t) => t.feature === 'luma_mean')!;
  assert.ok(Math.abs(luma.effectiveSize - 600 / tau) < 1e-9, `n / τ: ${luma.effectiveSize}`);
  assert.ok(own.effectiveSize < luma.effectiveSize / 2, `the half-changed window's own ESS collapses: ${own.effectiveSize}`);
  assert.ok(luma.pvalue! < own.pvalue!, `${luma.pvalue} < ${own.pvalue}`);
  assert.equal(result.significant.map((t) => t.feature), ['luma_mean']);
  const other = result.tests.find((t) => t.feature === 'g_mean')!;
  assert.is(other.effectiveSize, runCheck({ windows, baseline }).tests.find((t) => t.feature === 'g_mean')!.effectiveSize, 'unlisted features keep their own ESS');
});

check('a discrete feature (integer levels) drawn from the baseline itself is not flagged: D uses R(x⁻)', async () => {
  // luma_p50 takes the levels 128 and 129 only, in equal shares, in baseline and window.
  const levels = (i: number) => 128 + ((i * 7919) % 13 < 6.5 ? 0 : 1);
  const builder = new BaselineBuilder();
  const next = featureStream(50);
  for (let i = 0; i < 3000; i++) builder.addFrame({ features: { ...next(), luma_p50: levels(i) }, histograms: histograms(120) });
  const discrete = await decodeBaseline((await encodeBaseline(builder.build({ source: 'test', createdAt: 0, model: null }))).bytes);
  const windows = new CameraWindows();
  const stream = featureStream(51);
  for (let i = 0; i < 600; i++) windows.update({ ...stream(), luma_p50: levels(i + 11) }, i * 100);
  const test = runCheck({ windows, baseline: discrete }, { autocorrelationTimes: { luma_p50: 1 } }).tests.find((t) => t.feature === 'luma_p50')!;
  assert.ok(test.statistic < 0.05, `D ${test.statistic}: an atom's mass is not counted as a difference`);
  assert.is(test.significant, false);
  const shifted = new CameraWindows();
  for (let i = 0; i < 600; i++) shifted.update({ ...stream(), luma_p50: levels(i) + 1 }, i * 100);
  const moved = runCheck({ windows: shifted, baseline: discrete }, { autocorrelationTimes: { luma_p50: 1 } }).tests.find((t) => t.feature === 'luma_p50')!;
  assert.ok(moved.statistic > 0.4 && moved.significant, `one level up: D ${moved.statistic}`);
});

check('bad options are rejected by name', () => {
  const windows = windowOf(44, 100);
  assert.throws(() => runCheck({ windows, baseline }, { q: 0 }), /options\.q must lie in/);
  assert.throws(() => runCheck({ windows, baseline }, { minDistance: 2 }), /options\.minDistance/);
  assert.throws(() => runCheck({ windows, baseline }, { autocorrelationTimes: { luma_mean: 0.5 } }), /options\.autocorrelationTimes\.luma_mean must be a finite number >= 1/);
  assert.throws(() => runCheck({ windows, baseline }, { autocorrelationTimes: { luma_mean: NaN } }), /autocorrelationTimes\.luma_mean/);
});

check.run();
