// The baseline file: a fixed prefix, a standard-msgpack body and the body's
// SHA-256 (docs/baseline-format.md).
//
//   0  "DWBASELN"            8 bytes, magic
//   8  format version        u16 little-endian
//  10  body length L         u32 little-endian
//  14  body                  L bytes of msgpack
//  14+L SHA-256 of the body  32 bytes
import { CATALOGUE_VERSION, SCALAR_FEATURE_NAMES, HISTOGRAM_FEATURES, PREDICTION_FEATURE_NAMES, type ScalarFeatureName, type HistogramName, type PredictionFeatureName } from '../catalogue.js';
import { CategoricalCounts } from '../categorical/categorical-counts.js';
import { QuantileSketch } from '../sketch/quantile-sketch.js';
import { packStandard, unpackStandard } from '../codec/standard-msgpack.js';
import { sha256, toHex } from './sha256.js';
import { temporalProblem, type BaselineTemporal } from './temporal.js';
import { BASELINE_FORMAT_VERSION, BaselineFormatError, BaselineVersionError, type Baseline, type BaselineHeader, type DecodeSettings, type FeatureReference } from './baseline.js';

const MAGIC = [0x44, 0x57, 0x42, 0x41, 0x53, 0x45, 0x4c, 0x4e]; // "DWBASELN"
const PREFIX_BYTES = 14;
const DIGEST_BYTES = 32;

export type BaselineContent = Omit<Baseline, 'header'> & { header: Omit<BaselineHeader, 'digest' | 'formatVersion'> };

const featureBody = (f: FeatureReference) => ({ sketch: f.sketch.serialize(), count: f.count, mean: f.mean, std: f.std, min: f.min, max: f.max });

// Optional keys, written only when the baseline has prediction features, so
// a baseline without them is byte for byte what earlier versions wrote.
function predictionBody(content: BaselineContent): Record<string, unknown> {
  const present = PREDICTION_FEATURE_NAMES.filter((name) => content.predictionFeatures?.[name] !== undefined);
  if (present.length === 0) return {};
  return {
    predictionFeatures: Object.fromEntries(present.map((name) => [name, featureBody(content.predictionFeatures![name]!)])),
    minDetectionScore: content.minDetectionScore ?? 0,
  };
}

function bodyOf(content: BaselineContent): unknown {
  const { header } = content;
  const features: Record<string, unknown> = {};
  for (const name of SCALAR_FEATURE_NAMES) features[name] = featureBody(content.features[name]);
  const categorical: Record<string, unknown> = {};
  for (const [name, counts] of Object.entries(content.categorical)) categorical[name] = counts.toJSON();
  return {
    catalogueVersion: header.catalogueVersion,
    createdAt: header.createdAt,
    source: header.source,
    frameCount: header.frameCount,
    skipped: header.skipped,
    model: header.model,
    ...(header.decode ? { decode: { scale: header.decode.scale, step: header.decode.step } } : {}),
    features,
    histograms: content.histograms,
    categorical,
    ...(content.temporal ? { temporal: content.temporal } : {}),
    ...predictionBody(content),
  };
}

export async function encodeBaseline(content: BaselineContent): Promise<{ bytes: Uint8Array; digest: string }> {
  const body = packStandard(bodyOf(content));
  const digest = sha256(body);
  const bytes = new Uint8Array(PREFIX_BYTES + body.length + DIGEST_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint16(8, BASELINE_FORMAT_VERSION, true);
  view.setUint32(10, body.length, true);
  bytes.set(body, PREFIX_BYTES);
  bytes.set(digest, PREFIX_BYTES + body.length);
  return { bytes, digest: `sha256:${toHex(digest)}` };
}

function field<T>(object: Record<string, unknown>, key: string, check: (v: unknown) => boolean, what: string): T {
  const value = object[key];
  if (!check(value)) throw new BaselineFormatError(`${what} is missing or has the wrong type`);
  return value as T;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const isCount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
const isString = (v: unknown) => typeof v === 'string';

function readFeature(name: string, value: unknown): FeatureReference {
  if (!isObject(value)) throw new BaselineFormatError(`feature ${name} is missing`);
  const sketchBytes = field<Uint8Array>(value, 'sketch', (v) => v instanceof Uint8Array, `feature ${name}'s sketch`);
  return {
    sketch: QuantileSketch.deserialize(sketchBytes),
    count: field<number>(value, 'count', isCount, `feature ${name}'s count`),
    mean: field<number>(value, 'mean', isNumber, `feature ${name}'s mean`),
    std: field<number>(value, 'std', isNumber, `feature ${name}'s std`),
    min: field<number>(value, 'min', isNumber, `feature ${name}'s min`),
    max: field<number>(value, 'max', isNumber, `feature ${name}'s max`),
  };
}

const DECODE_SCALES = [1, 2, 4, 8];

function readDecodeSettings(value: unknown): DecodeSettings | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new BaselineFormatError('decode must be {scale, step}');
  const scale = field<number>(value, 'scale', (v) => DECODE_SCALES.includes(v as number), 'decode.scale (1, 2, 4 or 8)');
  const step = field<number>(value, 'step', (v) => Number.isSafeInteger(v) && (v as number) >= 1, 'decode.step (a positive integer)');
  return { scale, step };
}

/** Reads and checks a baseline file: magic, version, digest, catalogue version, then every field. */
export async function decodeBaseline(bytes: Uint8Array): Promise<Baseline> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('a baseline is read from a Uint8Array');
  if (bytes.length < PREFIX_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new BaselineFormatError('not a driftwatch baseline file (it does not start with "DWBASELN")');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const formatVersion = view.getUint16(8, true);
  if (formatVersion !== BASELINE_FORMAT_VERSION) {
    throw new BaselineFormatError(`format version ${formatVersion} is not supported (this driftwatch reads version ${BASELINE_FORMAT_VERSION})`);
  }
  const bodyLength = view.getUint32(10, true);
  if (bytes.length !== PREFIX_BYTES + bodyLength + DIGEST_BYTES) {
    throw new BaselineFormatError(`the file is ${bytes.length} bytes, but its header announces ${PREFIX_BYTES + bodyLength + DIGEST_BYTES} (truncated or extended)`);
  }
  const body = bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + bodyLength);
  const digest = sha256(body);
  const stored = bytes.subarray(PREFIX_BYTES + bodyLength);
  if (digest.some((b, i) => b !== stored[i])) throw new BaselineFormatError('the SHA-256 digest does not match the contents');

  let decoded: unknown;
  try {
    decoded = unpackStandard(body);
  } catch (error) {
    throw new BaselineFormatError(`the body is not valid msgpack (${(error as Error).message})`);
  }
  if (!isObject(decoded)) throw new BaselineFormatError('the body is not a map');
  const catalogueVersion = field<number>(decoded, 'catalogueVersion', isCount, 'catalogueVersion');
  if (catalogueVersion !== CATALOGUE_VERSION) throw new BaselineVersionError(catalogueVersion, CATALOGUE_VERSION);

  const modelValue = decoded.model;
  let model: BaselineHeader['model'] = null;
  if (modelValue !== null && modelValue !== undefined) {
    if (!isObject(modelValue) || !isString(modelValue.id) || !isString(modelValue.version)) throw new BaselineFormatError('model must be {id, version} or nil');
    model = { id: modelValue.id as string, version: modelValue.version as string };
  }
  const skipped = field<Record<string, unknown>>(decoded, 'skipped', isObject, 'skipped');
  const decode = readDecodeSettings(decoded.decode);
  const header: BaselineHeader = {
    formatVersion,
    catalogueVersion,
    createdAt: field<number>(decoded, 'createdAt', isCount, 'createdAt'),
    source: field<string>(decoded, 'source', isString, 'source'),
    frameCount: field<number>(decoded, 'frameCount', isCount, 'frameCount'),
    skipped: {
      frames: field<number>(skipped, 'frames', isCount, 'skipped.frames'),
      predictions: field<number>(skipped, 'predictions', isCount, 'skipped.predictions'),
    },
    model,
    ...(decode ? { decode } : {}),
    digest: `sha256:${toHex(digest)}`,
  };

  const featureMap = field<Record<string, unknown>>(decoded, 'features', isObject, 'features');
  const features = {} as Record<ScalarFeatureName, FeatureReference>;
  for (const name of SCALAR_FEATURE_NAMES) features[name] = readFeature(name, featureMap[name]);

  const histogramMap = field<Record<string, unknown>>(decoded, 'histograms', isObject, 'histograms');
  const histograms = {} as Record<HistogramName, number[]>;
  for (const { name, bins } of HISTOGRAM_FEATURES) {
    const counts = histogramMap[name];
    if (!Array.isArray(counts) || counts.length !== bins || !counts.every(isCount)) {
      throw new BaselineFormatError(`histogram ${name} must be ${bins} counts`);
    }
    histograms[name] = counts as number[];
  }

  const categoricalMap = field<Record<string, unknown>>(decoded, 'categorical', isObject, 'categorical');
  const categorical: Record<string, CategoricalCounts> = {};
  for (const [name, value] of Object.entries(categoricalMap)) {
    try {
      categorical[name] = CategoricalCounts.fromJSON(value);
    } catch (error) {
      throw new BaselineFormatError(`categorical ${name}: ${(error as Error).message}`);
    }
  }
  let temporal: BaselineTemporal | undefined;
  if (decoded.temporal !== undefined && decoded.temporal !== null) {
    const problem = temporalProblem(decoded.temporal);
    if (problem) throw new BaselineFormatError(problem);
    temporal = decoded.temporal as BaselineTemporal;
  }
  return { header, features, histograms, categorical, ...(temporal ? { temporal } : {}), ...readPredictionFeatures(decoded) };
}

// Optional: absent in baselines built without predictions. Names this
// driftwatch does not know (a later catalogue's) are ignored.
function readPredictionFeatures(decoded: Record<string, unknown>): Pick<Baseline, 'predictionFeatures' | 'minDetectionScore'> {
  if (decoded.predictionFeatures === undefined) return {};
  const map = field<Record<string, unknown>>(decoded, 'predictionFeatures', isObject, 'predictionFeatures');
  const predictionFeatures: Partial<Record<PredictionFeatureName, FeatureReference>> = {};
  for (const name of PREDICTION_FEATURE_NAMES) {
    if (map[name] !== undefined) predictionFeatures[name] = readFeature(name, map[name]);
  }
  const minDetectionScore = field<number>(decoded, 'minDetectionScore', (v) => isNumber(v) && (v as number) >= 0, 'minDetectionScore');
  return { predictionFeatures, minDetectionScore };
}
