// Population variance from exact integer sums, without the cancellation of
// s2/n - mean². D = n*s2 - s1² is formed in 128-bit integer arithmetic, so a
// constant signal gives exactly 0 and the result carries one or two roundings.

// High 64 bits of the 128-bit product a*b (unsigned).
function mulHigh(a: u64, b: u64): u64 {
  const aLo = a & 0xffffffff, aHi = a >> 32;
  const bLo = b & 0xffffffff, bHi = b >> 32;
  const ll = aLo * bLo;
  const lh = aLo * bHi;
  const hl = aHi * bLo;
  const hh = aHi * bHi;
  const mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
  return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

export function exactVariance(n: u64, s1: i64, s2: u64): f64 {
  if (n == 0) return 0;
  const a = <u64>(s1 < 0 ? -s1 : s1);
  // n*s2 and s1*s1 as (hi, lo) pairs.
  const pLo = n * s2, pHi = mulHigh(n, s2);
  const qLo = a * a, qHi = mulHigh(a, a);
  let dHi = pHi - qHi;
  const dLo = pLo - qLo;
  if (pLo < qLo) dHi -= 1;
  if (<i64>dHi < 0) return 0; // cannot happen for consistent sums
  const d = <f64>dHi * 18446744073709551616.0 + <f64>dLo;
  const nf = <f64>n;
  return d / (nf * nf);
}
