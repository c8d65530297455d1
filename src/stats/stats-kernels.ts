// The statistics kernels over one Kernels instance: copies samples into the
// kernel workspace, sorts them there and runs the sweeps. The workspace is
// laid out [a | b | scratch | out] and is only valid during one call.
import type { Kernels } from '../kernels.js';

type SortFn = (data: number, n: number, scratch: number) => void;
type KsFn = (a: number, n: number, b: number, m: number, out: number) => void;
type KsWeightedFn = (av: number, aw: number, n: number, bv: number, bw: number, m: number, out: number) => void;
type WassersteinFn = (av: number, aw: number, n: number, bv: number, bw: number, m: number) => number;

export interface OneSidedPair {
  /** max over x of F_a(x) - F_b(x), at least 0. */
  plus: number;
  /** max over x of F_b(x) - F_a(x), at least 0. */
  minus: number;
}

function align16(n: number): number {
  return (n + 15) & ~15;
}

export class StatsKernels {
  private readonly sort: SortFn;
  private readonly ks: KsFn;
  private readonly ksWeighted: KsWeightedFn;
  private readonly wasserstein: WassersteinFn;

  constructor(private readonly kernels: Kernels) {
    this.sort = kernels.exported<SortFn>('sortF64');
    this.ks = kernels.exported<KsFn>('ksSorted');
    this.ksWeighted = kernels.exported<KsWeightedFn>('ksWeightedSorted');
    this.wasserstein = kernels.exported<WassersteinFn>('wassersteinSorted');
  }

  /** Copies both samples in and sorts them; returns their offsets. */
  private sortedPair(a: Float64Array, b: Float64Array): { a: number; b: number; out: number } {
    const aBytes = align16(a.length * 8), bBytes = align16(b.length * 8);
    const scratchBytes = align16(Math.max(a.length, b.length) * 8);
    const base = this.kernels.workspace(aBytes + bBytes + scratchBytes + 16);
    const offA = base, offB = base + aBytes, scratch = offB + bBytes, out = scratch + scratchBytes;
    const heap = new Float64Array(this.kernels.memory.buffer);
    heap.set(a, offA / 8);
    heap.set(b, offB / 8);
    this.sort(offA, a.length, scratch);
    this.sort(offB, b.length, scratch);
    return { a: offA, b: offB, out };
  }

  /** Sorted copy of a sample (sorted in WASM). */
  sorted(values: Float64Array): Float64Array {
    const base = this.kernels.workspace(align16(values.length * 8) * 2);
    const scratch = base + align16(values.length * 8);
    new Float64Array(this.kernels.memory.buffer).set(values, base / 8);
    this.sort(base, values.length, scratch);
    return new Float64Array(this.kernels.memory.buffer.slice(base, base + values.length * 8));
  }

  /** One-sided KS distances between the empirical CDFs of two raw samples. */
  ksPair(a: Float64Array, b: Float64Array): OneSidedPair {
    const at = this.sortedPair(a, b);
    this.ks(at.a, a.length, at.b, b.length, at.out);
    const out = new Float64Array(this.kernels.memory.buffer, at.out, 2);
    return { plus: out[0], minus: out[1] };
  }

  /** Wasserstein-1 between two raw samples. */
  wassersteinSamples(a: Float64Array, b: Float64Array): number {
    const at = this.sortedPair(a, b);
    return this.wasserstein(at.a, 0, a.length, at.b, 0, b.length);
  }

  /** Copies sorted values with weights in: [av | aw | bv | bw | out]. */
  private weightedPair(av: Float64Array, aw: Float64Array, bv: Float64Array, bw: Float64Array): number[] {
    const aBytes = align16(av.length * 8), bBytes = align16(bv.length * 8);
    const base = this.kernels.workspace(2 * aBytes + 2 * bBytes + 16);
    const offsets = [base, base + aBytes, base + 2 * aBytes, base + 2 * aBytes + bBytes, base + 2 * aBytes + 2 * bBytes];
    const heap = new Float64Array(this.kernels.memory.buffer);
    heap.set(av, offsets[0] / 8);
    heap.set(aw, offsets[1] / 8);
    heap.set(bv, offsets[2] / 8);
    heap.set(bw, offsets[3] / 8);
    return offsets;
  }

  /** One-sided KS distances between two weighted distributions (values sorted ascending). */
  ksWeightedPair(av: Float64Array, aw: Float64Array, bv: Float64Array, bw: Float64Array): OneSidedPair {
    const [a, wa, b, wb, out] = this.weightedPair(av, aw, bv, bw);
    this.ksWeighted(a, wa, av.length, b, wb, bv.length, out);
    const result = new Float64Array(this.kernels.memory.buffer, out, 2);
    return { plus: result[0], minus: result[1] };
  }

  /** Wasserstein-1 between two weighted distributions (values sorted ascending). */
  wassersteinWeighted(av: Float64Array, aw: Float64Array, bv: Float64Array, bw: Float64Array): number {
    const [a, wa, b, wb] = this.weightedPair(av, aw, bv, bw);
    return this.wasserstein(a, wa, av.length, b, wb, bv.length);
  }
}

const byKernels = new WeakMap<Kernels, StatsKernels>();

/** The statistics kernels of a loaded Kernels instance (one wrapper per instance). */
export function statsKernels(kernels: unknown): StatsKernels {
  if (kernels === null || typeof kernels !== 'object' || typeof (kernels as Kernels).workspace !== 'function') {
    throw new TypeError('options.kernels must be a Kernels instance from await loadKernels()');
  }
  const k = kernels as Kernels;
  let stats = byKernels.get(k);
  if (!stats) {
    stats = new StatsKernels(k);
    byKernels.set(k, stats);
  }
  return stats;
}
