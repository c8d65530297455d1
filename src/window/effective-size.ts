// Effective sample size of a window of consecutive frames. Consecutive frames
// are correlated, so n frames carry the information of fewer independent
// draws; the window test uses this size in place of n. The method is
// documented, with its measured calibration, in docs/windows.md.

export interface EffectiveSizeOptions {
  /** Largest autocorrelation lag the Geyer sum may reach (default 200; at most n − 1 is used). */
  maxLag?: number;
}

export const DEFAULT_MAX_LAG = 200;

/** Average ranks 1..n (ties share their mean rank): KS is rank-based, so is its ESS. */
export function ranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b]);
  const out = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k]] = rank;
    i = j + 1;
  }
  return out;
}

/** Lag-k autocorrelations r_k of centred data, computed on demand (O(n) each) and kept. */
class Autocorrelation {
  private readonly centred: Float64Array;
  private readonly variance: number;
  private readonly cache: number[] = [1];

  constructor(y: Float64Array) {
    let mean = 0;
    for (let i = 0; i < y.length; i++) mean += y[i];
    mean /= y.length;
    this.centred = y.map((v) => v - mean);
    let sum = 0;
    for (let i = 0; i < y.length; i++) sum += this.centred[i] * this.centred[i];
    this.variance = sum;
  }

  get length(): number { return this.centred.length; }
  get constant(): boolean { return this.variance === 0; }

  at(lag: number): number {
    for (let k = this.cache.length; k <= lag; k++) {
      const c = this.centred;
      let sum = 0;
      for (let i = k; i < c.length; i++) sum += c[i] * c[i - k];
      this.cache.push(sum / this.variance);
    }
    return this.cache[lag];
  }
}

/** Iterations of the window-mean correction (3 and 10 gave the same rates to 0.4%). */
const MEAN_CORRECTION_ROUNDS = 3;
/** Largest share tau/n the correction assumes; beyond it the ESS is near 1 anyway. */
const MAX_MEAN_SHARE = 0.95;

/**
 * Geyer's initial monotone sequence on corrected autocorrelations:
 * tau = -1 + 2 Σ Γ_j, Γ_j = ρ_2j + ρ_2j+1 while Γ_j > 0, made non-increasing.
 * Centring on the window's own mean biases every r_k down by about b = tau/n
 * (the variance of the window mean over the variance), so ρ_k = r_k (1 − b) + b (n − k)/n,
 * with b from the previous round's tau (b = 0 in the first round).
 */
function geyerTau(acf: Autocorrelation, maxLag: number): number {
  const n = acf.length;
  let tau = 0;
  for (let round = 0; round <= MEAN_CORRECTION_ROUNDS; round++) {
    const b = round === 0 ? 0 : Math.min(MAX_MEAN_SHARE, Math.max(0, tau) / n);
    const rho = (lag: number): number => (lag === 0 ? 1 : acf.at(lag) * (1 - b) + (b * (n - lag)) / n);
    let sum = 0;
    let previous = Infinity;
    for (let lag = 0; lag + 1 <= maxLag; lag += 2) {
      let pair = rho(lag) + rho(lag + 1);
      if (pair <= 0) break;
      if (pair > previous) pair = previous;
      previous = pair;
      sum += pair;
    }
    tau = -1 + 2 * sum;
  }
  return tau;
}

/** AR(1) inflation (1 + ρ)/(1 − ρ) with ρ = r_1 + (1 + 3 r_1)/n, Kendall's first-order bias correction. */
function ar1Tau(r1: number, n: number): number {
  const rho = r1 + (1 + 3 * r1) / n;
  if (rho >= 1) return n;
  if (rho <= 0) return 1;
  return (1 + rho) / (1 - rho);
}

/**
 * ESS = n / max(tau_Geyer, tau_AR1) on the ranks of the values, clamped to
 * [1, n] (formulas in docs/windows.md). A window of one value, or of identical values, has ESS 1.
 * Cost: one sort plus O(n) per lag until the last round's Geyer sequence stops (≤ maxLag).
 */
export function effectiveSampleSize(values: ArrayLike<number>, options: EffectiveSizeOptions = {}): number {
  const n = values.length;
  if (n === 0) throw new RangeError('values is empty; the effective size needs at least one value');
  const maxLagOption = options.maxLag ?? DEFAULT_MAX_LAG;
  if (!Number.isInteger(maxLagOption) || maxLagOption < 1) {
    throw new RangeError(`options.maxLag must be an integer >= 1; got ${String(maxLagOption)}`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`values[${i}] is ${String(values[i])}; every value must be a finite number`);
  }
  if (n < 3) return 1;
  const acf = new Autocorrelation(ranks(values));
  if (acf.constant) return 1;
  const tau = Math.max(geyerTau(acf, Math.min(maxLagOption, n - 1)), ar1Tau(acf.at(1), n));
  return Math.min(n, Math.max(1, n / tau));
}
