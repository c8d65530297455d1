// The features derived from predictions: against numpy/scipy reference values
// (scripts/prediction-vectors.py), hand-computed cases, what is absent when,
// and bad input named.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePrediction } from '../src/predictions/prediction-record.js';
import { predictionFeatures } from '../src/predictions/prediction-features.js';
import { PREDICTION_FEATURE_NAMES } from '../src/catalogue.js';
import { close, readVectors } from './helpers/scipy-vectors.js';

interface Case {
  record: unknown;
  frame: { width: number; height: number } | null;
  minDetectionScore: number;
  expected: Record<string, number>;
}

const features = suite('prediction features');

features('match numpy/scipy on 110 seeded records (entropy: scipy.stats.entropy base 2)', () => {
  const { cases } = readVectors<{ cases: Case[] }>('prediction-features.json');
  assert.is(cases.length, 110);
  for (const [i, c] of cases.entries()) {
    const got = predictionFeatures(parsePrediction(c.record), c.frame ?? undefined, { minDetectionScore: c.minDetectionScore });
    assert.equal(Object.keys(got).sort(), Object.keys(c.expected).sort(), `case ${i}: features present`);
    for (const [name, want] of Object.entries(c.expected)) {
      const value = got[name as keyof typeof got]!;
      assert.ok(close(value, want, 1e-14, 1e-12), `case ${i} ${name}: ${value} vs ${want}`);
    }
  }
});

features('hand-computed: a full distribution, a top-k list, a top-1 label', () => {
  const full = predictionFeatures(parsePrediction({ scores: { a: 0.5, b: 0.25, c: 0.25 } }));
  assert.equal(full, { pred_top1_confidence: 0.5, pred_margin: 0.25, pred_entropy: 1.5 });
  // Scores that do not sum to 1 are normalized for the entropy only: 2:1:1 is the same distribution.
  assert.equal(predictionFeatures(parsePrediction({ scores: { a: 2, b: 1, c: 1 } })), { pred_top1_confidence: 2, pred_margin: 1, pred_entropy: 1.5 });
  // top-k: the entropy of the k scores renormalized; two equal scores are one bit.
  assert.equal(predictionFeatures(parsePrediction({ top: [{ label: 'a', score: 0.4 }, { label: 'b', score: 0.4 }] })), { pred_top1_confidence: 0.4, pred_margin: 0, pred_entropy: 1 });
  assert.equal(predictionFeatures(parsePrediction({ label: 'a', score: 0.7 })), { pred_top1_confidence: 0.7 });
  assert.equal(predictionFeatures(parsePrediction({ scores: { only: 0.9 } })), { pred_top1_confidence: 0.9, pred_entropy: 0 });
});

features('absent, never NaN: a label without a score, negative or all-zero scores, empty detections, boxes without a frame size', () => {
  assert.equal(predictionFeatures(parsePrediction({ label: 'a' })), {});
  assert.equal(predictionFeatures(parsePrediction({ scores: { a: 2.5, b: -1 } })), { pred_top1_confidence: 2.5, pred_margin: 3.5 });
  assert.equal(predictionFeatures(parsePrediction({ scores: { a: 0, b: 0 } })), { pred_top1_confidence: 0, pred_margin: 0 });
  assert.equal(predictionFeatures(parsePrediction({ detections: [] }), { width: 100, height: 50 }), { pred_detections: 0 });
  const boxes = parsePrediction({ detections: [{ label: 'a', score: 0.9, box: [0, 0, 10, 5] }, { label: 'b', score: 0.3, box: [50, 10, 20, 20] }] });
  assert.equal(predictionFeatures(boxes), { pred_detections: 2, pred_mean_score: 0.6 });
  // (50 + 400) / 2 px² over 100 × 50.
  assert.equal(predictionFeatures(boxes, { width: 100, height: 50 }), { pred_detections: 2, pred_mean_score: 0.6, pred_mean_box_area: 0.045 });
  // A threshold of 0.5 keeps the first only; a detection without a score counts only when the threshold is 0.
  assert.equal(predictionFeatures(boxes, { width: 100, height: 50 }, { minDetectionScore: 0.5 }), { pred_detections: 1, pred_mean_score: 0.9, pred_mean_box_area: 0.01 });
  const unscored = parsePrediction({ detections: [{ label: 'a' }] });
  assert.equal(predictionFeatures(unscored), { pred_detections: 1 });
  assert.equal(predictionFeatures(unscored, undefined, { minDetectionScore: 0.1 }), { pred_detections: 0 });
  // A record built by hand without a shape has no derived features.
  assert.equal(predictionFeatures({ kind: 'classifier', classes: ['cat'] }), {});
  for (const value of Object.values(predictionFeatures(boxes, { width: 1, height: 1 }))) assert.ok(Number.isFinite(value));
  for (const name of Object.keys(predictionFeatures(boxes))) assert.ok(PREDICTION_FEATURE_NAMES.includes(name as never));
});

features('bad frame sizes and thresholds are named', () => {
  const record = parsePrediction({ detections: [] });
  assert.throws(() => predictionFeatures(record, { width: 0, height: 10 }), /frame\.width must be a finite number > 0, got 0/);
  assert.throws(() => predictionFeatures(record, { width: 10, height: NaN }), /frame\.height must be a finite number > 0, got NaN/);
  assert.throws(() => predictionFeatures(record, undefined, { minDetectionScore: -0.1 }), (e: Error) => e instanceof RangeError && /minDetectionScore must be a finite number >= 0, got -0\.1/.test(e.message));
  assert.throws(() => predictionFeatures(null as never), /record must be a PredictionRecord/);
});

features.run();
