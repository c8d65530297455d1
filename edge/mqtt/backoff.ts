// Reconnect delays: exponential backoff with full jitter, so that a fleet
// does not reconnect in step after a broker restart, and a long floor after
// the broker refused the credentials, so that a wrong password is not retried
// in a tight loop (docs/mqtt.md has the numbers).

export interface BackoffOptions {
  /** Least delay, ms (default 1000). */
  minMs?: number;
  /** Most delay after ordinary failures, ms (default 60000). */
  maxMs?: number;
  /** Least delay after refused credentials, ms (default 60000). */
  credentialsFloorMs?: number;
  /** Most delay after refused credentials, ms (default 900000: 15 min). */
  credentialsMaxMs?: number;
  /** A connection that stayed up this long resets the backoff, ms (default 60000). */
  stableMs?: number;
  /** Uniform numbers in [0, 1); default Math.random; seededRandom() for tests. */
  random?: () => number;
  now?: () => number;
}

/** Why the last attempt or connection ended. */
export type FailureKind = 'error' | 'credentials';

function ms(value: number | undefined, fallback: number, what: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`backoff ${what} must be a finite number of ms >= 0, got ${String(v)}`);
  return v;
}

export class Backoff {
  readonly minMs: number;
  readonly maxMs: number;
  readonly credentialsFloorMs: number;
  readonly credentialsMaxMs: number;
  readonly stableMs: number;
  private readonly random: () => number;
  private readonly now: () => number;
  /** Failures in a row, per kind (a credentials refusal does not raise the ordinary count). */
  private failures = 0;
  private refusals = 0;
  private connectedAt: number | null = null;

  constructor(options: BackoffOptions = {}) {
    this.minMs = ms(options.minMs, 1000, 'minMs');
    this.maxMs = ms(options.maxMs, 60_000, 'maxMs');
    this.credentialsFloorMs = ms(options.credentialsFloorMs, 60_000, 'credentialsFloorMs');
    this.credentialsMaxMs = ms(options.credentialsMaxMs, 900_000, 'credentialsMaxMs');
    this.stableMs = ms(options.stableMs, 60_000, 'stableMs');
    if (this.maxMs < this.minMs) throw new RangeError(`backoff maxMs (${this.maxMs}) must be >= minMs (${this.minMs})`);
    if (this.credentialsMaxMs < this.credentialsFloorMs) throw new RangeError(`backoff credentialsMaxMs (${this.credentialsMaxMs}) must be >= credentialsFloorMs (${this.credentialsFloorMs})`);
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** A CONNACK accepted the connection. */
  connected(): void {
    this.connectedAt = this.now();
    this.refusals = 0;
  }

  /**
   * The delay before the next attempt, after an attempt failed or a
   * connection ended. Uniform in [floor, min(cap, floor × 2^n)] for the n-th
   * failure in a row of that kind (the first is already jittered: [1 s, 2 s]).
   */
  nextDelayMs(kind: FailureKind): number {
    if (this.connectedAt !== null) {
      if (this.now() - this.connectedAt >= this.stableMs) this.failures = 0;
      this.connectedAt = null;
    }
    if (kind === 'credentials') {
      this.refusals += 1;
      return jittered(this.credentialsFloorMs, this.credentialsMaxMs, this.refusals, this.random);
    }
    this.failures += 1;
    return jittered(this.minMs, this.maxMs, this.failures, this.random);
  }
}

function jittered(floor: number, cap: number, n: number, random: () => number): number {
  const ceiling = Math.min(cap, floor * 2 ** Math.min(n, 52));
  return Math.round(floor + random() * (ceiling - floor));
}

/** A deterministic uniform [0, 1) stream (mulberry32) for tests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** CONNACK codes that mean "these credentials will not do": 134/135 (MQTT 5), 4/5 (3.1.1). */
export function isCredentialsRefusal(code: number, protocolVersion: 4 | 5): boolean {
  return protocolVersion === 5 ? code === 134 || code === 135 : code === 4 || code === 5;
}
