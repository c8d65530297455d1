// Two-sample Kolmogorov–Smirnov statistics on sorted samples. Both empirical
// CDFs are evaluated after every distinct value (all ties on both sides are
// consumed first), so ties are handled exactly. Differences are formed as
// i/n - j/m, the same floating-point expression scipy evaluates.
// Output: out[0] = max(F_a - F_b) >= 0, out[1] = max(F_b - F_a) >= 0.

export function ksSorted(a: usize, n: i32, b: usize, m: i32, out: usize): void {
  const nf = <f64>n, mf = <f64>m;
  let i = 0, j = 0;
  let plus = 0.0, minus = 0.0;
  while (i < n && j < m) {
    const x = load<f64>(a + (<usize>i << 3));
    const y = load<f64>(b + (<usize>j << 3));
    const v = x <= y ? x : y;
    while (i < n && load<f64>(a + (<usize>i << 3)) == v) i++;
    while (j < m && load<f64>(b + (<usize>j << 3)) == v) j++;
    const diff = <f64>i / nf - <f64>j / mf;
    if (diff > plus) plus = diff;
    if (-diff > minus) minus = -diff;
  }
  // Once one sample is exhausted its CDF is 1 and the other only rises to 1,
  // so the remaining differences shrink monotonically toward 0; only the
  // first remaining step can still matter.
  if (i < n) {
    const v = load<f64>(a + (<usize>i << 3));
    while (i < n && load<f64>(a + (<usize>i << 3)) == v) i++;
    const diff = <f64>i / nf - 1.0;
    if (-diff > minus) minus = -diff;
  } else if (j < m) {
    const v = load<f64>(b + (<usize>j << 3));
    while (j < m && load<f64>(b + (<usize>j << 3)) == v) j++;
    const diff = 1.0 - <f64>j / mf;
    if (diff > plus) plus = diff;
  }
  store<f64>(out, plus);
  store<f64>(out, minus, 8);
}

// Weighted form: sorted values with non-negative weights on each side (for
// example two quantile sketches, or a sketch and raw values with weight 1).
// F(x) = (sum of weights at values <= x) / (total weight).
export function ksWeightedSorted(av: usize, aw: usize, n: i32, bv: usize, bw: usize, m: i32, out: usize): void {
  let totalA = 0.0, totalB = 0.0;
  for (let k = 0; k < n; k++) totalA += load<f64>(aw + (<usize>k << 3));
  for (let k = 0; k < m; k++) totalB += load<f64>(bw + (<usize>k << 3));
  let i = 0, j = 0;
  let cumA = 0.0, cumB = 0.0;
  let plus = 0.0, minus = 0.0;
  while (i < n || j < m) {
    let v: f64;
    if (i >= n) v = load<f64>(bv + (<usize>j << 3));
    else if (j >= m) v = load<f64>(av + (<usize>i << 3));
    else v = min(load<f64>(av + (<usize>i << 3)), load<f64>(bv + (<usize>j << 3)));
    while (i < n && load<f64>(av + (<usize>i << 3)) == v) { cumA += load<f64>(aw + (<usize>i << 3)); i++; }
    while (j < m && load<f64>(bv + (<usize>j << 3)) == v) { cumB += load<f64>(bw + (<usize>j << 3)); j++; }
    const diff = cumA / totalA - cumB / totalB;
    if (diff > plus) plus = diff;
    if (-diff > minus) minus = -diff;
  }
  store<f64>(out, plus);
  store<f64>(out, minus, 8);
}
