// The model's answer for one frame, in the JSON shapes driftwatch accepts
// (docs/predictions.md): a classifier's top-1 label, its class scores or its
// top-k list, or a detector's boxes. Reduced here to the predicted classes.

export type PredictionKind = 'classifier' | 'detector';

export interface PredictionRecord {
  kind: PredictionKind;
  /** The frame the prediction belongs to, when the record names it. */
  file?: string;
  /** Classifier: the one top-1 class. Detector: each detection's class. */
  classes: string[];
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

// Highest score wins; equal scores go to the name that sorts first, so the
// answer does not depend on key order.
function argmax(pairs: Array<[string, number]>): string {
  let best = pairs[0];
  for (const pair of pairs) {
    if (pair[1] > best[1] || (pair[1] === best[1] && pair[0] < best[0])) best = pair;
  }
  return best[0];
}

export function parsePrediction(value: unknown): PredictionRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('a prediction', 'a JSON object', value);
  const record = value as Record<string, unknown>;
  const file = record.file === undefined ? undefined : label(record.file, 'file');
  const withFile = <T extends object>(r: T) => (file === undefined ? r : { ...r, file });

  if (record.detections !== undefined) {
    if (!Array.isArray(record.detections)) fail('detections', 'an array', record.detections);
    const classes = record.detections.map((d: unknown, i) => {
      if (d === null || typeof d !== 'object') fail(`detections[${i}]`, 'an object', d);
      const detection = d as Record<string, unknown>;
      if (detection.score !== undefined) score(detection.score, `detections[${i}].score`);
      return label(detection.label, `detections[${i}].label`);
    });
    return withFile({ kind: 'detector' as const, classes });
  }
  if (record.label !== undefined) {
    if (record.score !== undefined) score(record.score, 'score');
    return withFile({ kind: 'classifier' as const, classes: [label(record.label, 'label')] });
  }
  if (record.scores !== undefined) {
    if (record.scores === null || typeof record.scores !== 'object' || Array.isArray(record.scores)) fail('scores', 'an object of class: score', record.scores);
    const pairs = Object.entries(record.scores).map(([name, s]): [string, number] => [label(name, 'a class name'), score(s, `scores.${name}`)]);
    if (pairs.length === 0) fail('scores', 'a non-empty object', record.scores);
    return withFile({ kind: 'classifier' as const, classes: [argmax(pairs)] });
  }
  if (record.top !== undefined) {
    if (!Array.isArray(record.top) || record.top.length === 0) fail('top', 'a non-empty array', record.top);
    const pairs = record.top.map((entry: unknown, i): [string, number] => {
      if (entry === null || typeof entry !== 'object') fail(`top[${i}]`, 'an object', entry);
      const e = entry as Record<string, unknown>;
      return [label(e.label, `top[${i}].label`), score(e.score, `top[${i}].score`)];
    });
    return withFile({ kind: 'classifier' as const, classes: [argmax(pairs)] });
  }
  throw new TypeError('a prediction needs one of "label", "scores", "top" or "detections"');
}
