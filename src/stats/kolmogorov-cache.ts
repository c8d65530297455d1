// kolmogorovSf, remembered. A camera's checks ask for the same (n, x) again
// and again: n is fixed per feature once its window is full, and a stable
// window's KS distance falls on a few lattice values of the window's and the
// baseline sketch's ranks. On a 3,000-frame replay, 1,821 calls with x > 0
// asked for 495 distinct pairs, and each finite-n evaluation (Durbin's matrix
// or Pomeranz's recursion) costs 30-60 µs hot. The value is the function's
// own, so remembering changes no p-value.
import { kolmogorovSf } from './kolmogorov-n.js';

/** Pairs kept at most; past it the memory starts again (a few tens of KiB). */
export const KOLMOGOROV_CACHE_LIMIT = 1024;

const byN = new Map<number, Map<number, number>>();
let size = 0;

/** Pairs remembered now (for tests: it never exceeds KOLMOGOROV_CACHE_LIMIT). */
export function kolmogorovCacheSize(): number {
  return size;
}

export function kolmogorovSfCached(n: number, x: number): number {
  let byX = byN.get(n);
  const known = byX?.get(x);
  if (known !== undefined) return known;
  const p = kolmogorovSf(n, x);
  if (size >= KOLMOGOROV_CACHE_LIMIT) {
    byN.clear();
    size = 0;
    byX = undefined;
  }
  if (!byX) byN.set(n, (byX = new Map()));
  byX.set(x, p);
  size++;
  return p;
}
