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
  /** SummaryAccumulator.take()'s output (or a decoded body's features). */
  features: FeatureSummaries | Readonly<Record<string, SummaryFeature>>;
  /** A check's FeatureTest[] (only the fields below are read). */
  tests?: readonly Pick<FeatureTest, 'feature' | 'kind' | 'statistic' | 'pvalue' | 'adjustedPvalue' | 'effect' | 'direction' | 'significant'>[] | null;
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
  return decodeSummaryBody(summaryWire(body as unknown as SummaryBody));
}

const isPlainMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value);

const testArray = (t: SummaryTest): unknown[] =>
  [t.statistic, t.pvalue ?? null, t.adjustedPvalue ?? null, t.effect, t.direction ?? null, t.significant];

/**
 * A summary body in its wire form (docs/payload.md, "summary"): per feature
 * `{ moments: [n, mean, m2, min, max], sketch, test? }`, a continuous test in
 * its feature's entry as `[statistic, pvalue, adjustedPvalue, effect,
 * direction, significant]`, every other test in the `tests` map (name → the
 * same array + kind). encodeEnvelope sends a summary body through this; other
 * keys of the body go as given. Not validated here: decodeSummaryBody is.
 */
export function summaryWire(body: SummaryBody): Record<string, unknown> {
  if (!isPlainMap(body)) return body as never; // decodeSummaryBody names what is wrong
  const out: Record<string, unknown> = { ...body };
  const features: Record<string, unknown> = isPlainMap(body.features) ? {} : body.features as never;
  const tests: Record<string, unknown> = {};
  if (isPlainMap(body.features)) {
    for (const [name, f] of Object.entries(body.features)) {
      if (!isPlainMap(f)) { features[name] = f; continue; }
      const { n, mean, m2, min, max, sketch, ...later } = f; // keys added within v1 travel too
      features[name] = { moments: [n, mean, m2, min, max], sketch, ...later };
    }
  }
  if (Array.isArray(body.tests)) {
    const seen = new Set<string>();
    body.tests.forEach((t, i) => {
      if (!isPlainMap(t)) fail(`body.tests[${i}]`, 'a map');
      const name = readString(t.feature, `body.tests[${i}].feature`, 64);
      if (seen.has(name)) fail(`body.tests[${i}].feature`, `unique within a summary (${JSON.stringify(name)} repeats)`);
      seen.add(name);
      const entry = field(features, name);
      const items = testArray(t as unknown as SummaryTest);
      if (t.kind === 'continuous' && isPlainMap(entry)) entry.test = items;
      else tests[name] = [...items, t.kind];
    });
  }
  out.features = features;
  out.tests = Array.isArray(body.tests) ? tests : body.tests;
  return out;
}

const MOMENTS = ['n', 'mean', 'm2', 'min', 'max'] as const;
const TEST_ITEMS = ['statistic', 'pvalue', 'adjustedPvalue', 'effect', 'direction', 'significant', 'kind'] as const;

/** A fixed-order array of at least `names.length` items (later items, added within v1, are ignored). */
function readFixed(value: unknown, path: string, names: readonly string[]): (i: number) => [unknown, string] {
  const a = readArray(value, path, 64);
  if (a.length < names.length) fail(path, `an array [${names.join(', ')}] (got ${a.length} items)`);
  return (i) => [a[i], `${path}[${i}] (${names[i]})`];
}

function readFeature(value: unknown, path: string): { feature: SummaryFeature; test: unknown } {
  const m = readMap(value, path);
  const at = readFixed(field(m, 'moments'), `${path}.moments`, MOMENTS);
  const n = readCount(...at(0));
  const empty = n === 0;
  const bound = (i: number) => {
    const [v, p] = at(i);
    return empty ? (v === null ? null : fail(p, 'null when n is 0')) : readNumber(v, p);
  };
  const f: SummaryFeature = {
    n, mean: readNumber(...at(1)), m2: readNumber(...at(2)), min: bound(3), max: bound(4),
    sketch: readBin(field(m, 'sketch'), `${path}.sketch`),
  };
  if (f.m2 < 0) fail(at(2)[1], 'non-negative');
  if (f.min !== null && f.max !== null && !(f.min <= f.max)) fail(at(3)[1], `at most max (${f.max})`);
  let sketch: QuantileSketch;
  try { sketch = QuantileSketch.deserialize(f.sketch); } catch (error) {
    fail(`${path}.sketch`, `a QuantileSketch (${error instanceof Error ? error.message : String(error)})`);
  }
  if (sketch.n !== n) fail(`${path}.sketch`, `a sketch of n = ${n} values (it holds ${sketch.n})`);
  return { feature: f, test: field(m, 'test') };
}

/** A test array; `kind` given for a feature entry's test (continuous), read from item 6 in the tests map. */
function readTest(value: unknown, path: string, feature: string, kind?: FeatureTestKind): SummaryTest {
  const at = readFixed(value, path, kind === undefined ? TEST_ITEMS : TEST_ITEMS.slice(0, 6));
  return {
    feature,
    kind: kind ?? readOneOf(at(6)[0], KINDS, at(6)[1]),
    statistic: readNumber(...at(0)),
    pvalue: readNumberOrNull(...at(1)),
    adjustedPvalue: readNumberOrNull(...at(2)),
    effect: readNumber(...at(3)),
    direction: readOneOf(at(4)[0], DIRECTIONS, at(4)[1]),
    significant: readBoolean(...at(5)),
  };
}

function readHistogram(m: Fields, key: keyof typeof HISTOGRAM_BINS): Uint8Array {
  const path = `body.histograms.${key}`;
  const bytes = readBin(field(m, key), path);
  if (bytes.length !== HISTOGRAM_BINS[key] * 4) fail(path, `${HISTOGRAM_BINS[key] * 4} bytes (${HISTOGRAM_BINS[key]} uint32 LE); got ${bytes.length}`);
  return bytes;
}

/**
 * Validates a summary body in its wire form (as any msgpack decoder gives it) and
 * returns it as a SummaryBody: moments and test arrays as objects, every test in
 * `tests` (feature entries' tests first, in feature order, then the tests map's).
 * Unknown keys and array items beyond the known ones are ignored (not returned).
 */
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
  const tests: SummaryTest[] = [];
  for (const name of names) {
    if (name.length > 64) fail(`body.features.${name.slice(0, 64)}…`, 'named in at most 64 characters');
    const { feature, test } = readFeature(featureMap[name], `body.features.${name}`);
    features[name] = feature;
    if (test !== undefined && test !== null) tests.push(readTest(test, `body.features.${name}.test`, name, 'continuous'));
  }
  const testMap = readMap(field(m, 'tests'), 'body.tests');
  const testNames = Object.keys(testMap);
  if (testNames.length > MAX_FEATURES) fail('body.tests', `a map of at most ${MAX_FEATURES} tests`);
  for (const name of testNames) {
    if (name.length > 64) fail(`body.tests.${name.slice(0, 64)}…`, 'named in at most 64 characters');
    if (tests.some((t) => t.feature === name)) fail(`body.tests.${name}`, `absent: features.${name} holds its test`);
    tests.push(readTest(testMap[name], `body.tests.${name}`, name));
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
    tests,
    alert: { state: readOneOf(field(alert, 'state'), ALERT_STATES, 'body.alert.state'), id: readStringOrNull(field(alert, 'id'), 'body.alert.id', 256) },
  };
  const histograms = field(m, 'histograms');
  if (histograms !== undefined && histograms !== null) {
    const h = readMap(histograms, 'body.histograms');
    out.histograms = { luma: readHistogram(h, 'luma'), hue: readHistogram(h, 'hue') };
  }
  return out;
}
