// The body of a summary message: one camera's check interval (docs/payload.md).
import { CATALOGUE_VERSION } from '../catalogue.js';
import type { AlertState } from '../policy/alert-types.js';
import { ALERT_STATES } from '../policy/alert-types.js';
import type { FeatureTest, FeatureTestKind } from '../policy/feature-test.js';
import { QuantileSketch } from '../sketch/quantile-sketch.js';
import type { FeatureSummaries } from './summary-accumulator.js';
import {
  fail, field, readArray, readBin, readBoolean, readCount, readMap, readNumber, readNumberOrNull,
  readOneOf, readString, readStringOrNull, type Fields,
} from './payload-error.js';

export interface SummaryFeature {
  n: number;
  mean: number;
  m2: number;
  /** null when n = 0. */
  min: number | null;
  max: number | null;
  /** QuantileSketch bytes (docs/sketches.md, little-endian). */
  sketch: Uint8Array;
}

export interface SummaryTest {
  feature: string;
  kind: FeatureTestKind;
  statistic: number;
  pvalue: number | null;
  adjustedPvalue: number | null;
  effect: number;
  direction: 'up' | 'down' | null;
  significant: boolean;
}

export interface SummaryBody {
  camera: string;
  site: string | null;
  model: string | null;
  baseline: string | null;
  catalogue: number;
  frames: { from: number | null; to: number | null; count: number };
  window: { size: number };
  features: Record<string, SummaryFeature>;
  tests: SummaryTest[];
  /** Uint32 little-endian counts: luma 256 bins (1,024 bytes), hue 36 bins (144 bytes). */
  histograms?: { luma: Uint8Array; hue: Uint8Array };
  alert: { state: AlertState; id: string | null };
}

export interface SummaryInput {
  camera: string;
  site?: string | null;
  model?: string | null;
  baseline?: string | null;
  catalogue?: number;
  frames: { from: number | null; to: number | null; count: number };
  window: { size: number };
  features: FeatureSummaries;
  tests?: readonly FeatureTest[] | null;
  histograms?: { luma: ArrayLike<number>; hue: ArrayLike<number> } | null;
  alert: { state: AlertState; id: string | null };
}

export const HISTOGRAM_BINS = { luma: 256, hue: 36 } as const;
const MAX_FEATURES = 256;
const KINDS: readonly FeatureTestKind[] = ['continuous', 'histogram', 'categorical'];
const DIRECTIONS = ['up', 'down', null] as const;

/** Uint32 counts as little-endian bytes, whatever the platform's byte order. */
export function uint32LE(counts: ArrayLike<number>, path: string): Uint8Array {
  const bytes = new Uint8Array(counts.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (!Number.isInteger(c) || c < 0 || c > 0xffffffff) fail(`${path}[${i}]`, 'a uint32 count');
    view.setUint32(4 * i, c, true);
  }
  return bytes;
}

export function readUint32LE(bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(bytes.length >>> 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(4 * i, true);
  return out;
}

/** The summary body from an interval's accumulator output and the camera's latest check; validated. */
export function buildSummaryBody(input: SummaryInput): SummaryBody {
  if (input === null || typeof input !== 'object') throw new TypeError('buildSummaryBody needs an input object');
  const features: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(input.features ?? {})) {
    if (f?.n === 0) continue; // no values this interval: left out (docs/payload.md)
    features[name] = { n: f?.n, mean: f?.mean, m2: f?.m2, min: f?.min, max: f?.max, sketch: f?.sketch };
  }
  const body: Record<string, unknown> = {
    camera: input.camera, site: input.site ?? null, model: input.model ?? null, baseline: input.baseline ?? null,
    catalogue: input.catalogue ?? CATALOGUE_VERSION,
    frames: { from: input.frames?.from ?? null, to: input.frames?.to ?? null, count: input.frames?.count },
    window: { size: input.window?.size },
    features,
    tests: (input.tests ?? []).map((t) => ({
      feature: t.feature, kind: t.kind, statistic: t.statistic, pvalue: t.pvalue ?? null, adjustedPvalue: t.adjustedPvalue ?? null,
      effect: t.effect, direction: t.direction ?? null, significant: t.significant,
    })),
  };
  if (input.histograms) {
    body.histograms = { luma: uint32LE(input.histograms.luma, 'body.histograms.luma'), hue: uint32LE(input.histograms.hue, 'body.histograms.hue') };
  }
  body.alert = { state: input.alert?.state, id: input.alert?.id ?? null };
  return decodeSummaryBody(body);
}

function readFeature(value: unknown, path: string): SummaryFeature {
  const m = readMap(value, path);
  const n = readCount(field(m, 'n'), `${path}.n`);
  const empty = n === 0;
  const bound = (key: string) => (empty ? (field(m, key) === null ? null : fail(`${path}.${key}`, 'null when n is 0')) : readNumber(field(m, key), `${path}.${key}`));
  const f: SummaryFeature = {
    n, mean: readNumber(field(m, 'mean'), `${path}.mean`), m2: readNumber(field(m, 'm2'), `${path}.m2`),
    min: bound('min'), max: bound('max'), sketch: readBin(field(m, 'sketch'), `${path}.sketch`),
  };
  if (f.m2 < 0) fail(`${path}.m2`, 'non-negative');
  if (f.min !== null && f.max !== null && !(f.min <= f.max)) fail(`${path}.min`, `at most max (${f.max})`);
  let sketch: QuantileSketch;
  try { sketch = QuantileSketch.deserialize(f.sketch); } catch (error) {
    fail(`${path}.sketch`, `a QuantileSketch (${error instanceof Error ? error.message : String(error)})`);
  }
  if (sketch.n !== n) fail(`${path}.sketch`, `a sketch of n = ${n} values (it holds ${sketch.n})`);
  return f;
}

function readTest(value: unknown, path: string): SummaryTest {
  const m = readMap(value, path);
  return {
    feature: readString(field(m, 'feature'), `${path}.feature`, 64),
    kind: readOneOf(field(m, 'kind'), KINDS, `${path}.kind`),
    statistic: readNumber(field(m, 'statistic'), `${path}.statistic`),
    pvalue: readNumberOrNull(field(m, 'pvalue'), `${path}.pvalue`),
    adjustedPvalue: readNumberOrNull(field(m, 'adjustedPvalue'), `${path}.adjustedPvalue`),
    effect: readNumber(field(m, 'effect'), `${path}.effect`),
    direction: readOneOf(field(m, 'direction'), DIRECTIONS, `${path}.direction`),
    significant: readBoolean(field(m, 'significant'), `${path}.significant`),
  };
}

function readHistogram(m: Fields, key: keyof typeof HISTOGRAM_BINS): Uint8Array {
  const path = `body.histograms.${key}`;
  const bytes = readBin(field(m, key), path);
  if (bytes.length !== HISTOGRAM_BINS[key] * 4) fail(path, `${HISTOGRAM_BINS[key] * 4} bytes (${HISTOGRAM_BINS[key]} uint32 LE); got ${bytes.length}`);
  return bytes;
}

/** Validates a decoded summary body; unknown keys are ignored (not returned). */
export function decodeSummaryBody(body: unknown): SummaryBody {
  const m = readMap(body, 'body');
  const frames = readMap(field(m, 'frames'), 'body.frames');
  const count = readCount(field(frames, 'count'), 'body.frames.count');
  const index = (key: string) => (field(frames, key) === null && count === 0 ? null : readCount(field(frames, key), `body.frames.${key}`));
  const from = index('from'), to = index('to');
  if (from !== null && to !== null && to < from) fail('body.frames.to', `at least frames.from (${from})`);
  const featureMap = readMap(field(m, 'features'), 'body.features');
  const names = Object.keys(featureMap);
  if (names.length > MAX_FEATURES) fail('body.features', `a map of at most ${MAX_FEATURES} features`);
  const features: Record<string, SummaryFeature> = {};
  for (const name of names) {
    if (name.length > 64) fail(`body.features.${name.slice(0, 64)}…`, 'named in at most 64 characters');
    features[name] = readFeature(featureMap[name], `body.features.${name}`);
  }
  const alert = readMap(field(m, 'alert'), 'body.alert');
  const out: SummaryBody = {
    camera: readString(field(m, 'camera'), 'body.camera', 64),
    site: readStringOrNull(field(m, 'site'), 'body.site', 256),
    model: readStringOrNull(field(m, 'model'), 'body.model', 256),
    baseline: readStringOrNull(field(m, 'baseline'), 'body.baseline', 256),
    catalogue: readCount(field(m, 'catalogue'), 'body.catalogue'),
    frames: { from, to, count },
    window: { size: readCount(field(readMap(field(m, 'window'), 'body.window'), 'size'), 'body.window.size') },
    features,
    tests: readArray(field(m, 'tests'), 'body.tests', MAX_FEATURES).map((t, i) => readTest(t, `body.tests[${i}]`)),
    alert: { state: readOneOf(field(alert, 'state'), ALERT_STATES, 'body.alert.state'), id: readStringOrNull(field(alert, 'id'), 'body.alert.id', 256) },
  };
  const histograms = field(m, 'histograms');
  if (histograms !== undefined && histograms !== null) {
    const h = readMap(histograms, 'body.histograms');
    out.histograms = { luma: readHistogram(h, 'luma'), hue: readHistogram(h, 'hue') };
  }
  return out;
}
