// The one shape every sequential drift detector has (River's API shape):
// feed values with update(x), read driftDetected after each call. State is
// reset lazily: the update after a detection starts from a fresh state.

export type DriftDirection = 'up' | 'down';

export interface DriftDetector {
  /** Adds one value; throws RangeError (state unchanged) for a non-finite x. Returns the detector. */
  update(x: number): this;
  /** True when the last update detected a change. */
  readonly driftDetected: boolean;
  /** The side of the last detection, null when the last update detected nothing. */
  readonly direction: DriftDirection | null;
  /** Values seen since the last reset. */
  readonly count: number;
  /** Forgets everything seen; options are kept. */
  reset(): void;
  /** A plain object that the class's static fromJSON turns back into an identical detector. */
  toJSON(): DetectorJSON;
}

export interface DetectorJSON {
  readonly type: string;
  readonly version: number;
  readonly options: Record<string, unknown>;
  readonly state: Record<string, unknown>;
}

/** Rejects a non-finite input before any state changes. */
export function finiteInput(x: number): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`x must be a finite number; got ${String(x)}`);
  return x;
}

/** An optional numeric option: undefined gives the default; otherwise it must satisfy ok(). */
export function numberOption(name: string, value: unknown, fallback: number, ok: (v: number) => boolean, rule: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new RangeError(`options.${name} must be ${rule}; got ${String(value)}`);
  }
  return value;
}

/** Checks a checkpoint's envelope and returns its state, naming what is wrong. */
export function checkpointState(json: unknown, type: string, version: number): { options: Record<string, unknown>; state: Record<string, unknown> } {
  const j = json as Partial<DetectorJSON> | null;
  if (!j || typeof j !== 'object') throw new TypeError(`${type} checkpoint must be an object`);
  if (j.type !== type) throw new TypeError(`checkpoint is of type ${String(j.type)}, expected ${type}`);
  if (j.version !== version) throw new RangeError(`${type} checkpoint version ${String(j.version)} is not supported (expected ${version})`);
  if (!j.options || typeof j.options !== 'object' || !j.state || typeof j.state !== 'object') {
    throw new TypeError(`${type} checkpoint needs options and state objects`);
  }
  return { options: j.options, state: j.state };
}

/** A finite number field of a checkpoint's state. */
export function stateNumber(state: Record<string, unknown>, name: string): number {
  const v = state[name];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`checkpoint state.${name} must be a finite number; got ${String(v)}`);
  return v;
}

/** The detection fields shared by every detector's checkpoint. */
export function stateDetection(state: Record<string, unknown>): { driftDetected: boolean; direction: DriftDirection | null } {
  const { driftDetected, direction } = state;
  if (typeof driftDetected !== 'boolean') throw new TypeError('checkpoint state.driftDetected must be a boolean');
  if (!(direction === null || direction === 'up' || direction === 'down') || (direction === null) === driftDetected) {
    throw new TypeError(`checkpoint state.direction ${String(direction)} does not match driftDetected ${driftDetected}`);
  }
  return { driftDetected, direction };
}
