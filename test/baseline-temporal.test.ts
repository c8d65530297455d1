// A baseline built from a time-ordered stream stores τ and the CUSUM
// calibration; the monitor then starts with them. Seeded AR(1) features with
// φ = 0.5, whose integrated autocorrelation time is (1 + φ) / (1 − φ) = 3.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BaselineBuilder } from '../src/baseline/baseline-builder.js';
import { decodeBaseline, encodeBaseline } from '../src/baseline/baseline-codec.js';
import type { Baseline } from '../src/baseline/baseline.js';
import { calibratedThreshold, measureTemporal, MIN_TEMPORAL_FRAMES, temporalProblem } from '../src/baseline/temporal.js';
import { SCALAR_FEATURE_NAMES, type ScalarFeatureName } from '../src/catalogue.js';
import { DriftMonitor } from '../src/policy/drift-monitor.js';
import { ar1Stream, SeededRandom } from './helpers/ar1-stream.js';

const EMPTY = { luma: new Array<number>(256).fill(0), hue: new Array<number>(36).fill(0) };
const FRAMES = 6000;
const PHI = 0.5;

function frames(seed: number, n: number): Array<Record<ScalarFeatureName, number>> {
  const random = new SeededRandom(seed);
  const series = SCALAR_FEATURE_NAMES.map(() => ar1Stream(random, PHI, n));
  return Array.from({ length: n }, (_, t) => Object.fromEntries(SCALAR_FEATURE_NAMES.map((name, i) => [name, 100 + 10 * i + series[i][t]])) as Record<ScalarFeatureName, number>);
}

let streamed: Baseline;
let plain: Baseline;

const temporal = suite('baseline temporal section');
temporal.before(async () => {
  const timed = new BaselineBuilder({ timeOrdered: { fps: 10, bootstrapFrames: 50_000 } });
  const untimed = new BaselineBuilder();
  for (const f of frames(5, FRAMES)) {
    timed.addFrame({ features: f, histograms: EMPTY });
    untimed.addFrame({ features: f, histograms: EMPTY });
  }
  streamed = await decodeBaseline((await encodeBaseline(timed.build({ source: 't', createdAt: 0, model: null }))).bytes);
  plain = await decodeBaseline((await encodeBaseline(untimed.build({ source: 't', createdAt: 0, model: null }))).bytes);
});

temporal('τ of every feature near 3, stored with the frame rate, frames and safety factor; survives encoding', () => {
  const t = streamed.temporal!;
  assert.equal([t.fps, t.frames, t.tauSafety], [10, FRAMES, 2]);
  for (const name of SCALAR_FEATURE_NAMES) assert.ok(t.tau[name] > 2.2 && t.tau[name] < 4, `${name}: τ ${t.tau[name]}`);
  assert.ok(t.calibration && t.calibration.fit.slope > 0 && t.calibration.features === SCALAR_FEATURE_NAMES.length);
  assert.is(plain.temporal, undefined);
});

temporal('the calibrated threshold rises as the target tightens and with the frame rate', () => {
  const t = streamed.temporal!;
  const monthly = calibratedThreshold(t, 1)!, daily = calibratedThreshold(t, 30)!, yearly = calibratedThreshold(t, 1 / 12)!;
  assert.ok(daily < monthly && monthly < yearly, `${daily} ${monthly} ${yearly}`);
  assert.ok(calibratedThreshold(t, 1, 30)! > monthly);
  // ln(12) / slope apart: the fit is log-linear in h.
  assert.ok(Math.abs((yearly - monthly) - Math.log(12) / t.calibration!.fit.slope) < 1e-9);
  assert.throws(() => calibratedThreshold(t, 0), RangeError);
});

temporal('the monitor starts with the baseline τ (× its safety factor) and its calibrated threshold', () => {
  const m = new DriftMonitor({ camera: 'cam', baseline: streamed });
  const t = streamed.temporal!;
  assert.ok(m.autocorrelationTimes !== null);
  assert.is(m.autocorrelationTimes!.luma_mean, t.tau.luma_mean * 2);
  assert.is(m.thresholdSource, 'baseline');
  assert.equal(m.sequentialOptions, { threshold: calibratedThreshold(t, 1)! });
  assert.equal(new DriftMonitor({ camera: 'cam', baseline: streamed, falseAlertsPer30Days: 30 }).sequentialOptions, { threshold: calibratedThreshold(t, 30)! });
  const given = new DriftMonitor({ camera: 'cam', baseline: streamed, sequential: { threshold: 9 } });
  assert.equal([given.thresholdSource, given.sequentialOptions], ['option', { threshold: 9 }]);
  const without = new DriftMonitor({ camera: 'cam', baseline: plain });
  assert.equal([without.autocorrelationTimes, without.thresholdSource], [null, 'default']);
  assert.throws(() => new DriftMonitor({ camera: 'cam', baseline: streamed, falseAlertsPer30Days: 0 }), /options\.falseAlertsPer30Days/);
});

temporal('with the stored τ the monitor checks from the first full window; a step fires at pinned frames', () => {
  const m = new DriftMonitor({ camera: 'cam', baseline: streamed });
  const stream = frames(6, 1000);
  const states: string[] = [];
  stream.forEach((f, i) => {
    const shifted = i >= 500 ? { ...f, luma_mean: f.luma_mean - 6 } : f;
    for (const e of m.update({ index: i, timeMs: i * 100, features: shifted })) states.push(`${e.state}@${e.frame}`);
  });
  // The CUSUM detects the step at the first check after it, confirmed by the latest frames.
  assert.equal(states.slice(0, 2), ['pending@524', 'firing@574']);
});

temporal('too short or malformed: named errors', async () => {
  const few = new BaselineBuilder({ timeOrdered: { fps: 10 } });
  for (const f of frames(7, MIN_TEMPORAL_FRAMES - 1)) few.addFrame({ features: f, histograms: EMPTY });
  assert.throws(() => few.build({ source: 't', createdAt: 0, model: null }), /at least 600 frames/);
  assert.throws(() => measureTemporal({ a: new Float64Array(700) }, { fps: 0 }), /fps must be/);
  assert.is(temporalProblem(streamed.temporal), null);
  const bad = [
    [{ ...streamed.temporal, fps: -1 }, /temporal\.fps/],
    [{ ...streamed.temporal, tau: { luma_mean: 0.5 } }, /temporal\.tau\.luma_mean/],
    [{ ...streamed.temporal, calibration: { features: 21, slack: 0.5, bootstrapFrames: 1, fit: { intercept: 1, slope: -1 } } }, /temporal\.calibration/],
    [{ ...streamed.temporal, tauSafety: 0.5 }, /temporal\.tauSafety/],
  ] as const;
  for (const [value, message] of bad) assert.match(temporalProblem(value) ?? '', message);
  const { bytes } = await encodeBaseline({ ...streamed, temporal: { ...streamed.temporal!, fps: -1 } });
  try {
    await decodeBaseline(bytes);
    assert.unreachable('a bad temporal section must not decode');
  } catch (error) {
    assert.match((error as Error).message, /^possible corruption: temporal\.fps/);
  }
});

temporal.run();
