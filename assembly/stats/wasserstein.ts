// Wasserstein-1 distance between two one-dimensional distributions given as
// sorted values (with optional weights): the area between the two CDFs,
// sum over consecutive distinct values of |F_a - F_b| * gap. Neumaier
// summation keeps the sum accurate for a million terms.

@inline function at(p: usize, k: i32): f64 {
  return load<f64>(p + (<usize>k << 3));
}

// aw/bw = 0 means unit weights.
export function wassersteinSorted(av: usize, aw: usize, n: i32, bv: usize, bw: usize, m: i32): f64 {
  let totalA = <f64>n, totalB = <f64>m;
  if (aw != 0) { totalA = 0; for (let k = 0; k < n; k++) totalA += at(aw, k); }
  if (bw != 0) { totalB = 0; for (let k = 0; k < m; k++) totalB += at(bw, k); }
  let i = 0, j = 0;
  let cumA = 0.0, cumB = 0.0;
  let sum = 0.0, carry = 0.0;
  let v = min(at(av, 0), at(bv, 0));
  while (i < n || j < m) {
    while (i < n && at(av, i) == v) { cumA += aw != 0 ? at(aw, i) : 1.0; i++; }
    while (j < m && at(bv, j) == v) { cumB += bw != 0 ? at(bw, j) : 1.0; j++; }
    if (i >= n && j >= m) break;
    let next: f64;
    if (i >= n) next = at(bv, j);
    else if (j >= m) next = at(av, i);
    else next = min(at(av, i), at(bv, j));
    const term = abs(cumA / totalA - cumB / totalB) * (next - v);
    const t = sum + term;
    carry += abs(sum) >= abs(term) ? (sum - t) + term : (term - t) + sum;
    sum = t;
    v = next;
  }
  return sum + carry;
}
