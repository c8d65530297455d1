// The model's answer for one frame, in the JSON shapes driftwatch accepts
// (docs/predictions.md): a classifier's top-1 label, its class scores or its
// top-k list, or a detector's boxes. Reduced here to the predicted classes
// and the scores and boxes the derived features are computed from.

export type PredictionKind = 'classifier' | 'detector';

/** Which of the four shapes the record had. */
export type PredictionShape = 'top-1' | 'scores' | 'top-k' | 'detections';

export interface ClassScore {
  label: string;
  score: number;
}

/** A box [x, y, width, height] in pixels, (x, y) its top-left corner. */
export type Box = readonly [number, number, number, number];

export interface Detection {
  label: string;
  score?: number;
  box?: Box;
}

export interface PredictionRecord {
  kind: PredictionKind;
  /** The frame the prediction belongs to, when the record names it. */
  file?: string;
  /** Classifier: the one top-1 class. Detector: each detection's class. */
  classes: string[];
  /** The shape parsed; records built by hand without it yield no derived features. */
  shape?: PredictionShape;
  /** Classifier: the scores given, in record order (top-1: one entry, or none without a score). */
  scores?: ClassScore[];
  /** Detector: every detection given. */
  detections?: Detection[];
}

function fail(path: string, expected: string, got: unknown): never {
  throw new TypeError(`${path} must be ${expected}, got ${JSON.stringify(got) ?? String(got)}`);
}

function label(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) fail(path, 'a non-empty string', value);
  return value;
}

function score(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'a finite number', value);
  return value;
}

function box(value: unknown, path: string): Box {
  if (!Array.isArray(value) || value.length !== 4 || !value.every((v) => typeof v === 'number' && Number.isFinite(v)) || value[2] < 0 || value[3] < 0) {
    fail(path, '[x, y, width, height]: four finite numbers, width and height >= 0', value);
  }
  return [value[0], value[1], value[2], value[3]];
}

// Highest score wins; equal scores go to the name that sorts first, so the
// answer does not depend on key order.
function argmax(pairs: readonly ClassScore[]): string {
  let best = pairs[0];
  for (const pair of pairs) {
    if (pair.score > best.score || (pair.score === best.score && pair.label < best.label)) best = pair;
  }
  return best.label;
}

function detection(value: unknown, i: number): Detection {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`detections[${i}]`, 'an object', value);
  const d = value as Record<string, unknown>;
  const parsed: Detection = { label: label(d.label, `detections[${i}].label`) };
  if (d.score !== undefined) parsed.score = score(d.score, `detections[${i}].score`);
  if (d.box !== undefined) parsed.box = box(d.box, `detections[${i}].box`);
  return parsed;
}

export function parsePrediction(value: unknown): PredictionRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('a prediction', 'a JSON object', value);
  const record = value as Record<string, unknown>;
  const file = record.file === undefined ? undefined : label(record.file, 'file');
  const withFile = (r: PredictionRecord): PredictionRecord => (file === undefined ? r : { ...r, file });

  if (record.detections !== undefined) {
    if (!Array.isArray(record.detections)) fail('detections', 'an array', record.detections);
    const detections = record.detections.map(detection);
    return withFile({ kind: 'detector', classes: detections.map((d) => d.label), shape: 'detections', detections });
  }
  if (record.label !== undefined) {
    const name = label(record.label, 'label');
    const scores = record.score === undefined ? [] : [{ label: name, score: score(record.score, 'score') }];
    return withFile({ kind: 'classifier', classes: [name], shape: 'top-1', scores });
  }
  if (record.scores !== undefined) {
    if (record.scores === null || typeof record.scores !== 'object' || Array.isArray(record.scores)) fail('scores', 'an object of class: score', record.scores);
    const scores = Object.entries(record.scores).map(([name, s]) => ({ label: label(name, 'a class name'), score: score(s, `scores.${name}`) }));
    if (scores.length === 0) fail('scores', 'a non-empty object', record.scores);
    return withFile({ kind: 'classifier', classes: [argmax(scores)], shape: 'scores', scores });
  }
  if (record.top !== undefined) {
    if (!Array.isArray(record.top) || record.top.length === 0) fail('top', 'a non-empty array', record.top);
    const scores = record.top.map((entry: unknown, i) => {
      if (entry === null || typeof entry !== 'object') fail(`top[${i}]`, 'an object', entry);
      const e = entry as Record<string, unknown>;
      return { label: label(e.label, `top[${i}].label`), score: score(e.score, `top[${i}].score`) };
    });
    return withFile({ kind: 'classifier', classes: [argmax(scores)], shape: 'top-k', scores });
  }
  throw new TypeError('a prediction needs one of "label", "scores", "top" or "detections"');
}
