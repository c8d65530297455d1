// Population Stability Index between a reference sample and a current one.
// Bins come from the reference: edges at its quantiles k/bins (k = 1 .. bins-1,
// linear interpolation between order statistics, numpy's default), with
// repeated edges merged, so bin i holds values in (edge_{i-1}, edge_i].
// With r_i and c_i the fractions of each sample in bin i, floored at `floor`
// so that an empty bin does not give log(0):
//   PSI = sum (c_i - r_i) ln(c_i / r_i)      (natural log, as PSI is usually quoted)
import { finiteSample, type Sample } from './validate.js';

export interface PsiOptions {
  /** Number of reference-quantile bins; default 10. */
  bins?: number;
  /** Smallest fraction a bin is given (empty bins); default 1e-4. */
  floor?: number;
}

export interface PsiResult {
  psi: number;
  /** Inner bin edges (ascending, distinct). */
  edges: Float64Array;
  reference: Float64Array;
  current: Float64Array;
}

/** numpy.quantile's default ('linear') on sorted values, including its two-sided lerp. */
function quantileSorted(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const t = position - lo;
  const a = sorted[lo], b = sorted[hi];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Number of edges strictly below x: the bin of x. */
function binOf(edges: Float64Array, x: number): number {
  let lo = 0, hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function fractions(edges: Float64Array, values: Float64Array, floor: number): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  for (const x of values) counts[binOf(edges, x)]++;
  return counts.map((c) => Math.max(c / values.length, floor));
}

export function psi(reference: Sample, current: Sample, options: PsiOptions = {}): PsiResult {
  const bins = options.bins ?? 10;
  const floor = options.floor ?? 1e-4;
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError(`options.bins must be an integer >= 2, got ${bins}`);
  if (!(floor > 0 && floor < 1)) throw new RangeError(`options.floor must lie in (0, 1), got ${floor}`);
  const ref = finiteSample('reference', reference);
  const cur = finiteSample('current', current);
  const sorted = Float64Array.from(ref).sort();
  const raw: number[] = [];
  for (let k = 1; k < bins; k++) {
    const edge = quantileSorted(sorted, k / bins);
    if (raw.length === 0 || edge !== raw[raw.length - 1]) raw.push(edge);
  }
  const edges = Float64Array.from(raw);
  const r = fractions(edges, ref, floor);
  const c = fractions(edges, cur, floor);
  let value = 0;
  for (let i = 0; i < r.length; i++) value += (c[i] - r[i]) * Math.log(c[i] / r[i]);
  return { psi: value, edges, reference: r, current: c };
}
