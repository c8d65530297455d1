// Prediction features in the baseline file: built from records, round-tripped,
// absent (and the file unchanged) without them, and bad entries refused by name.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decode as secondDecoder } from '@msgpack/msgpack';
import { BaselineBuilder } from '../src/baseline/baseline-builder.js';
import { decodeBaseline, encodeBaseline } from '../src/baseline/baseline-codec.js';
import { BaselineFormatError, featureReference } from '../src/baseline/baseline.js';
import { PREDICTION_FEATURE_NAMES, SCALAR_FEATURE_NAMES, type ScalarFeatureName } from '../src/catalogue.js';
import { packStandard } from '../src/codec/standard-msgpack.js';
import { sha256 } from '../src/baseline/sha256.js';
import { parsePrediction } from '../src/predictions/prediction-record.js';
import { goldenBaselineContent } from './helpers/golden-baseline.js';
import { rejection } from './helpers/rejection.js';

const EMPTY = { luma: new Array<number>(256).fill(0), hue: new Array<number>(36).fill(0) };

function builderWithFrames(options: ConstructorParameters<typeof BaselineBuilder>[0] = {}): BaselineBuilder {
  const builder = new BaselineBuilder(options);
  for (let i = 0; i < 4; i++) {
    const features = {} as Record<ScalarFeatureName, number>;
    for (const name of SCALAR_FEATURE_NAMES) features[name] = i;
    builder.addFrame({ features, histograms: EMPTY });
  }
  return builder;
}

function bodyOf(bytes: Uint8Array): Record<string, any> {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(10, true);
  return secondDecoder(bytes.subarray(14, 14 + length)) as Record<string, any>;
}

// A baseline file around a body written here, with its true digest.
async function fileWithBody(body: unknown): Promise<Uint8Array> {
  const packed = packStandard(body);
  const digest = await sha256(packed);
  const bytes = new Uint8Array(14 + packed.length + 32);
  bytes.set(new TextEncoder().encode('DWBASELN'), 0);
  new DataView(bytes.buffer).setUint16(8, 1, true);
  new DataView(bytes.buffer).setUint32(10, packed.length, true);
  bytes.set(packed, 14);
  bytes.set(digest, 14 + packed.length);
  return bytes;
}

const file = suite('baseline prediction features');

file('moments and sketches of each feature the records had, and only those; the threshold is kept', async () => {
  const builder = builderWithFrames({ minDetectionScore: 0.5 });
  for (const score of [0.9, 0.8, 0.7]) builder.addPrediction(parsePrediction({ label: 'cat', score }));
  builder.addPrediction(parsePrediction({ label: 'dog' })); // no score: classes only
  builder.addPrediction(parsePrediction({ detections: [{ label: 'car', score: 0.9, box: [0, 0, 10, 10] }, { label: 'car', score: 0.2, box: [0, 0, 50, 50] }] }), { width: 100, height: 100 });
  builder.addPrediction(parsePrediction({ detections: [{ label: 'bus', score: 0.6, box: [0, 0, 20, 10] }] })); // no frame size: no box area
  const content = builder.build({ source: 'test', createdAt: 0, model: null });
  const back = await decodeBaseline((await encodeBaseline(content)).bytes);

  assert.equal(Object.keys(back.predictionFeatures!), ['pred_top1_confidence', 'pred_detections', 'pred_mean_score', 'pred_mean_box_area']);
  assert.is(back.minDetectionScore, 0.5);
  const top1 = back.predictionFeatures!.pred_top1_confidence!;
  assert.equal([top1.count, top1.min, top1.max], [3, 0.7, 0.9]);
  assert.ok(Math.abs(top1.mean - 0.8) < 1e-15);
  assert.ok(Math.abs(top1.std - Math.sqrt(((0.1 ** 2) * 2) / 3)) < 1e-15, `std ${top1.std}`);
  assert.is(top1.sketch.n, 3);
  // Detections scoring >= 0.5: one in the first frame, one in the second.
  const detections = back.predictionFeatures!.pred_detections!;
  assert.equal([detections.count, detections.mean, detections.min, detections.max], [2, 1, 1, 1]);
  assert.equal([back.predictionFeatures!.pred_mean_score!.mean, back.predictionFeatures!.pred_mean_box_area!.count, back.predictionFeatures!.pred_mean_box_area!.mean], [0.75, 1, 0.01]);
  assert.is(featureReference(back, 'pred_top1_confidence'), top1);
  assert.is(featureReference(back, 'luma_mean'), back.features.luma_mean);
  assert.is(featureReference(back, 'pred_margin'), undefined);
  assert.is(featureReference(back, 'toString'), undefined);
  assert.equal(back.categorical.predicted_class.entries(), [['cat', 3], ['car', 2], ['bus', 1], ['dog', 1]]);
  for (const name of PREDICTION_FEATURE_NAMES) {
    const written = content.predictionFeatures![name];
    if (written) assert.equal(back.predictionFeatures![name]!.sketch.serialize(), written.sketch.serialize(), name);
  }
  const body = bodyOf((await encodeBaseline(content)).bytes);
  assert.equal(Object.keys(body.predictionFeatures), ['pred_top1_confidence', 'pred_detections', 'pred_mean_score', 'pred_mean_box_area']);
  assert.is(body.minDetectionScore, 0.5);
});

file('without prediction features the body has no such keys, and decodes without them', async () => {
  const { bytes } = await encodeBaseline(goldenBaselineContent());
  const body = bodyOf(bytes);
  assert.is('predictionFeatures' in body, false);
  assert.is('minDetectionScore' in body, false);
  const back = await decodeBaseline(bytes);
  assert.is(back.predictionFeatures, undefined);
  assert.is(back.minDetectionScore, undefined);
  // Predictions that define no feature (labels without scores) add class counts only.
  const builder = builderWithFrames();
  builder.addPrediction(parsePrediction({ label: 'cat' }));
  const content = builder.build({ source: 'test', createdAt: 0, model: null });
  assert.is(content.predictionFeatures, undefined);
  assert.is('predictionFeatures' in bodyOf((await encodeBaseline(content)).bytes), false);
});

file('a bad prediction feature entry is refused by name; unknown names are ignored', async () => {
  const builder = builderWithFrames();
  builder.addPrediction(parsePrediction({ top: [{ label: 'a', score: 0.6 }, { label: 'b', score: 0.3 }] }));
  const good = builder.build({ source: 'test', createdAt: 0, model: null });

  const badCount = { ...good, predictionFeatures: { ...good.predictionFeatures, pred_margin: { ...good.predictionFeatures!.pred_margin!, count: -1 } } };
  const error = await rejection(decodeBaseline((await encodeBaseline(badCount)).bytes));
  assert.instance(error, BaselineFormatError);
  assert.match(error.message, /^possible corruption: feature pred_margin's count is missing or has the wrong type/);

  const badThreshold = await rejection(decodeBaseline((await encodeBaseline({ ...good, minDetectionScore: -1 })).bytes));
  assert.match(badThreshold.message, /^possible corruption: minDetectionScore is missing or has the wrong type/);

  // A later driftwatch's prediction feature: this one reads the names it knows.
  const body = bodyOf((await encodeBaseline(good)).bytes);
  body.predictionFeatures.pred_from_the_future = body.predictionFeatures.pred_margin;
  const back = await decodeBaseline(await fileWithBody(body));
  assert.equal(Object.keys(back.predictionFeatures!), ['pred_top1_confidence', 'pred_margin', 'pred_entropy']);
  body.predictionFeatures = [1, 2];
  assert.match((await rejection(decodeBaseline(await fileWithBody(body)))).message, /^possible corruption: predictionFeatures is missing or has the wrong type/);
});

file('a bad frame size is refused before the prediction leaves any trace', () => {
  const builder = builderWithFrames();
  assert.throws(() => builder.addPrediction(parsePrediction({ label: 'cat', score: 0.5 }), { width: -1, height: 1 }), /frame\.width must be a finite number > 0/);
  const content = builder.build({ source: 'test', createdAt: 0, model: null });
  assert.equal(content.categorical, {});
  assert.is(content.predictionFeatures, undefined);
  assert.throws(() => new BaselineBuilder({ minDetectionScore: Number.NaN }), /minDetectionScore must be a finite number >= 0/);
});

file.run();
