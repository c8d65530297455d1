// Prediction features through the check and the drift monitor: seeded
// streams where the images never change and only the model's confidence
// drops; frames without predictions in between.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BaselineBuilder } from '../src/baseline/baseline-builder.js';
import { decodeBaseline, encodeBaseline } from '../src/baseline/baseline-codec.js';
import type { Baseline } from '../src/baseline/baseline.js';
import { PREDICTION_FEATURE_NAMES, SCALAR_FEATURE_NAMES, type ScalarFeatureName } from '../src/catalogue.js';
import type { AlertEvent } from '../src/policy/alert-types.js';
import { autocorrelationTimes } from '../src/policy/autocorrelation-time.js';
import { runCheck } from '../src/policy/check.js';
import { DriftMonitor } from '../src/policy/drift-monitor.js';
import { monitoredFeatures } from '../src/policy/monitored-features.js';
import { parsePrediction } from '../src/predictions/prediction-record.js';
import { predictionFeatures } from '../src/predictions/prediction-features.js';
import { CameraWindows } from '../src/window/camera-windows.js';

const CLASSES = ['person', 'car', 'bicycle', 'dog', 'bus'];

// Image features wander as AR(1) (phi 0.9); the classifier's top score is
// drawn around `confidence` each frame, the rest of the mass split at random.
function stream(seed: number) {
  let s = seed >>> 0 || 1;
  const uniform = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const state = SCALAR_FEATURE_NAMES.map(() => gaussian());
  return (confidence: number) => {
    const features = {} as Record<ScalarFeatureName, number>;
    SCALAR_FEATURE_NAMES.forEach((name, i) => {
      state[i] = 0.9 * state[i] + Math.sqrt(1 - 0.81) * gaussian();
      const constant = name === 'width' || name === 'height' || name === 'aspect_ratio';
      features[name] = constant ? 320 : 100 + 10 * i + state[i];
    });
    const top = Math.min(0.99, Math.max(0.3, confidence + 0.05 * gaussian()));
    const winner = Math.floor(uniform() * CLASSES.length);
    const weights = CLASSES.map((_, i) => (i === winner ? 0 : 0.05 + uniform()));
    const rest = weights.reduce((a, b) => a + b, 0);
    const scores = Object.fromEntries(CLASSES.map((c, i) => [c, i === winner ? top : ((1 - top) * weights[i]) / rest]));
    return { features, prediction: parsePrediction({ scores }) };
  };
}

const EMPTY = { luma: new Array<number>(256).fill(0), hue: new Array<number>(36).fill(0) };
let baseline: Baseline;
let taus: Record<string, number>;

const predictions = suite('prediction features in the check and the monitor');
predictions.before(async () => {
  const next = stream(5);
  const builder = new BaselineBuilder();
  const series: Record<string, number[]> = {};
  for (let i = 0; i < 6000; i++) {
    const { features, prediction } = next(0.85);
    builder.addFrame({ features, histograms: EMPTY });
    builder.addPrediction(prediction);
    for (const [name, value] of Object.entries({ ...features, ...predictionFeatures(prediction) })) (series[name] ??= []).push(value);
  }
  baseline = await decodeBaseline((await encodeBaseline(builder.build({ source: 'test', createdAt: 0, model: null }))).bytes);
  taus = autocorrelationTimes(series);
});

type Predicted = (index: number) => boolean;
const EVERY: Predicted = () => true;
const TWO_IN_THREE: Predicted = (i) => i % 3 !== 1;
const ONE_IN_FOUR: Predicted = (i) => i % 4 === 0;

/** A frame's features, with the prediction's when `predicted(index)`. */
function frameFeatures(next: ReturnType<typeof stream>, confidence: number, index: number, predicted: Predicted): Record<string, number> {
  const { features, prediction } = next(confidence);
  return predicted(index) ? { ...features, ...predictionFeatures(prediction) } : features;
}

function windowsOf(seed: number, confidence: number, predicted = EVERY, withPredictions = true): CameraWindows {
  const windows = new CameraWindows({ window: { kind: 'sliding-count', size: 300 }, ...monitoredFeatures(baseline) });
  const next = stream(seed);
  for (let i = 0; i < 300; i++) {
    const record = frameFeatures(next, confidence, i, predicted);
    windows.update(withPredictions ? record : Object.fromEntries(SCALAR_FEATURE_NAMES.map((n) => [n, record[n]])), i * 100);
  }
  return windows;
}

predictions('the baseline holds confidence, margin and entropy; the windows watch them beside the catalogue', () => {
  assert.equal(Object.keys(baseline.predictionFeatures!), ['pred_top1_confidence', 'pred_margin', 'pred_entropy']);
  const { features, optionalFeatures } = monitoredFeatures(baseline);
  assert.equal(features, [...SCALAR_FEATURE_NAMES, 'pred_top1_confidence', 'pred_margin', 'pred_entropy']);
  assert.equal(optionalFeatures, ['pred_top1_confidence', 'pred_margin', 'pred_entropy']);
});

predictions('check: a confidence drop is flagged on the prediction features only; stable and prediction-less windows are not', () => {
  const dropped = runCheck({ windows: windowsOf(40, 0.6), baseline }, { autocorrelationTimes: taus });
  assert.equal(dropped.significant.map((t) => `${t.feature} ${t.direction}`).sort(), ['pred_entropy up', 'pred_margin down', 'pred_top1_confidence down']);
  const confidence = dropped.tests.find((t) => t.feature === 'pred_top1_confidence')!;
  // Window median near 0.6 against a baseline median near 0.85.
  assert.ok(Math.abs(confidence.windowMedian! - 0.6) < 0.02 && Math.abs(confidence.baselineMedian! - 0.85) < 0.02, `${confidence.windowMedian} vs ${confidence.baselineMedian}`);
  for (let seed = 50; seed < 55; seed++) {
    assert.equal(runCheck({ windows: windowsOf(seed, 0.85, TWO_IN_THREE), baseline }, { autocorrelationTimes: taus }).significant, [], `seed ${seed}`);
  }
  const without = runCheck({ windows: windowsOf(41, 0.6, EVERY, false), baseline }, { autocorrelationTimes: taus });
  assert.equal(without.tests.filter((t) => PREDICTION_FEATURE_NAMES.includes(t.feature as never)), []);
  assert.is(without.tests.length, SCALAR_FEATURE_NAMES.length);
  assert.ok(without.tests.every((t) => Number.isFinite(t.statistic) && Number.isFinite(t.effect)));
});

function run(seed: number, frames: number, confidenceAt: (i: number) => number, predicted: Predicted, monitor: DriftMonitor): AlertEvent[] {
  const next = stream(seed);
  const events: AlertEvent[] = [];
  for (let i = 0; i < frames; i++) events.push(...monitor.update({ index: i, timeMs: i * 100, features: frameFeatures(next, confidenceAt(i), i, predicted) }));
  return events;
}

const summary = (events: AlertEvent[]) => events.map((e) => `${e.state}@${e.frame}`);

predictions('monitor: confidence 0.85 → 0.6 at frame 1000, images unchanged: fires at a pinned frame with cause model-uncertainty', () => {
  const events = run(60, 1500, (i) => (i >= 1000 ? 0.6 : 0.85), EVERY, new DriftMonitor({ camera: 'cam', baseline, autocorrelationTime: taus }));
  // As for an image feature: pending at the first check after the drop (its CUSUM, confirmed by the latest frames), firing two checks later.
  assert.equal(summary(events), ['pending@1024', 'firing@1074']);
  const firing = events[1];
  assert.is(firing.cause, 'model-uncertainty');
  // Found changed: the three prediction features; image features that wandered by 1 IQR in the latest frames ride along as context.
  assert.equal(firing.findings.filter((f) => f.implicated).map((f) => `${f.feature} ${f.direction}`).sort(), ['pred_entropy up', 'pred_margin down', 'pred_top1_confidence down']);
  assert.ok(firing.findings.filter((f) => !f.implicated).every((f) => SCALAR_FEATURE_NAMES.includes(f.feature as ScalarFeatureName) && Math.abs(f.effect) >= 1));
  const confidence = firing.findings.find((f) => f.feature === 'pred_top1_confidence')!;
  assert.is(confidence.unit, 'score');
  // Measured on the latest 50 frames, all after the drop: about −0.25.
  assert.ok(Math.abs(confidence.shift! + 0.25) < 0.03, `shift ${confidence.shift}`);
});

predictions('monitor: every third frame without a prediction; quiet while stable, the same drop still fires as model-uncertainty', () => {
  for (let seed = 70; seed < 73; seed++) {
    assert.equal(summary(run(seed, 3000, () => 0.85, TWO_IN_THREE, new DriftMonitor({ camera: 'cam', baseline }))), [], `seed ${seed}`);
  }
  // τ measured on the first full window: the prediction windows hold 200 of its 300 frames, enough.
  const monitor = new DriftMonitor({ camera: 'cam', baseline });
  const events = run(61, 1500, (i) => (i >= 1000 ? 0.6 : 0.85), TWO_IN_THREE, monitor);
  assert.ok(monitor.autocorrelationTimes!.pred_top1_confidence >= 1);
  assert.equal(summary(events).slice(0, 2), ['pending@1024', 'firing@1074']);
  assert.is(events[1].cause, 'model-uncertainty');
  assert.is(monitor.windows.get('pred_top1_confidence').drops.nonFiniteValue, 0);
});

predictions('monitor: a prediction on one frame in four; no τ for the prediction features (too few values), tested at their own effective size, no CUSUM', () => {
  const quiet = new DriftMonitor({ camera: 'cam', baseline });
  assert.equal(summary(run(80, 3000, () => 0.85, ONE_IN_FOUR, quiet)), []);
  assert.is(quiet.autocorrelationTimes!.pred_top1_confidence, undefined);
  const monitor = new DriftMonitor({ camera: 'cam', baseline });
  const events = run(62, 2000, (i) => (i >= 1000 ? 0.6 : 0.85), ONE_IN_FOUR, monitor);
  // Late: a window of 300 predictions spans 1,200 frames, and its own effective size collapses while the change fills it.
  assert.equal(summary(events).slice(0, 2), ['pending@1949', 'firing@1999']);
  assert.is(events[1].cause, 'model-uncertainty');
});

predictions('a checkpoint with sparse predictions restores exactly: the same events as an uninterrupted monitor', () => {
  const confidenceAt = (i: number) => (i >= 1000 ? 0.6 : 0.85);
  const expected = run(61, 1500, confidenceAt, TWO_IN_THREE, new DriftMonitor({ camera: 'cam', baseline }));
  for (const cut of [150, 700, 1080, 1130]) {
    const next = stream(61);
    let monitor = new DriftMonitor({ camera: 'cam', baseline });
    const events: AlertEvent[] = [];
    for (let i = 0; i < 1500; i++) {
      if (i === cut) monitor = DriftMonitor.fromJSON(JSON.parse(JSON.stringify(monitor.toJSON())), { baseline, camera: 'cam' });
      events.push(...monitor.update({ index: i, timeMs: i * 100, features: frameFeatures(next, confidenceAt(i), i, TWO_IN_THREE) }));
    }
    assert.equal(events, expected, `cut at ${cut}`);
  }
});

predictions.run();
