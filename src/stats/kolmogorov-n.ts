// Survival function of the two-sided one-sample KS statistic D_n for finite
// n: Pr(D_n >= x). The choice of method by (n, x) follows Simard & L'Ecuyer
// (2011) exactly as scipy.stats.kstwo does, so results agree with scipy:
// Ruben–Gambino closed forms at the ends, Durbin's matrix (Marsaglia, Tsang &
// Wang 2003) and Pomeranz's recursion for small n*x^2, twice Smirnov's
// one-sided tail for large n*x^2, and the Pelz–Good series for large n.
import { smirnovSf } from './smirnov.js';

const SCALE_BITS = 128;
const BIG = Math.pow(2, SCALE_BITS);
const SMALL = Math.pow(2, -SCALE_BITS);
const clip = (p: number): number => Math.min(1, Math.max(0, p));

/** x * 2^e without overflowing 2^e on its own. */
function ldexp(x: number, e: number): number {
  while (e > 1000) { x *= Math.pow(2, 1000); e -= 1000; }
  while (e < -1000) { x *= Math.pow(2, -1000); e += 1000; }
  return x * Math.pow(2, e);
}

/** log(n! / n^n) by Stirling's series, without forming n log n. */
function logFactorialOverPower(n: number): number {
  const r = 1 / n, r2 = r / n;
  // B_{2j} / (2j (2j-1)) for j = 8 .. 1, Horner in 1/n^2.
  const c = [-2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
    8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
    -2.7777777777777777778e-3, 8.3333333333333333333e-2];
  let poly = 0;
  for (const coefficient of c) poly = poly * r2 + coefficient;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + r * poly;
}

function multiply(a: Float64Array, b: Float64Array, size: number): Float64Array {
  const out = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < size; k++) {
      const aik = a[i * size + k];
      if (aik === 0) continue;
      for (let j = 0; j < size; j++) out[i * size + j] += aik * b[k * size + j];
    }
  }
  return out;
}

/** Pr(D_n <= d) by the k-th diagonal entry of H^n (Durbin; Marsaglia, Tsang & Wang). */
function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const size = 2 * k - 1;
  const v = new Float64Array(size), w = new Float64Array(size);
  let factorial = 1;
  for (let j = 1; j <= size; j++) {
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = (1 - Math.pow(h, j)) * factorial;
  }
  v[size - 1] = (1 + Math.pow(Math.max(2 * h - 1, 0), size) - 2 * Math.pow(h, size)) * factorial;
  let H: Float64Array = new Float64Array(size * size);
  for (let col = 1; col < size; col++) {
    for (let row = col - 1; row < size; row++) H[row * size + col] = w[row - col + 1];
  }
  for (let row = 0; row < size; row++) H[row * size] = v[row];
  for (let col = 0; col < size; col++) H[(size - 1) * size + col] = v[size - 1 - col];

  let power: Float64Array = new Float64Array(size * size);
  for (let i = 0; i < size; i++) power[i * size + i] = 1;
  let exponent = 0, hExponent = 0;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) {
      power = multiply(power, H, size);
      exponent += hExponent;
    }
    H = multiply(H, H, size);
    hExponent *= 2;
    if (Math.abs(H[(k - 1) * size + (k - 1)]) > BIG) {
      for (let i = 0; i < H.length; i++) H[i] /= BIG;
      hExponent += SCALE_BITS;
    }
  }
  let p = power[(k - 1) * size + (k - 1)];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SMALL) {
      p *= BIG;
      exponent -= SCALE_BITS;
    }
  }
  return clip(ldexp(p, exponent));
}

/** Pr(D_n <= x) by Pomeranz's recursion over 2n+1 rows of Poisson-like convolutions. */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilF = f > 0 ? 1 : 0;
  const roundF = f > 0.5 ? 1 : 0;
  const width = 2 * (ll + 1);
  const gPow = new Float64Array(width), twoGPow = new Float64Array(width), restPow = new Float64Array(width);
  gPow[0] = twoGPow[0] = restPow[0] = 1;
  for (let m = 1; m < width; m++) {
    gPow[m] = (gPow[m - 1] * (g / n)) / m;
    twoGPow[m] = (twoGPow[m - 1] * ((2 * g) / n)) / m;
    restPow[m] = (restPow[m - 1] * ((1 - 2 * g) / n)) / m;
  }
  // Interval of non-zero entries [j1, j2] in row i.
  const bounds = (i: number): [number, number] => {
    let j1: number, j2: number;
    if (i === 0) {
      j1 = -ll - ceilF - 1; j2 = ll + ceilF - 1;
    } else {
      const half = Math.floor((i + 1) / 2), odd = (i + 1) % 2;
      if (odd === 0) {
        if (half === n + 1) { j1 = n - ll - ceilF - 1; j2 = n + ll + ceilF - 1; } else {
          j1 = half - 1 - ll - roundF - 1; j2 = half + ll - 1 + ceilF - 1;
        }
      } else {
        j1 = half - 1 - ll - 1; j2 = half + ll + roundF - 1;
      }
    }
    return [Math.max(j1 + 2, 0), Math.min(j2, n)];
  };
  let previous = new Float64Array(width), current = new Float64Array(width);
  current[0] = 1;
  let previousStart = 0, currentStart = 0, exponent = 0;
  let [j1, j2] = bounds(0);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [previous, current] = [current, previous];
    [previousStart, currentStart] = [currentStart, previousStart];
    current.fill(0);
    [j1, j2] = bounds(i);
    const powers = i === 1 || i === 2 * n + 1 ? gPow : i % 2 === 1 ? twoGPow : restPow;
    const span = j2 - k1 + 1;
    if (span > 0) {
      // current[r] = sum_s previous[k1 - previousStart + s] * powers[j1 - k1 + r - s]
      const skip = j1 - k1, count = j2 - j1 + 1, from = k1 - previousStart;
      const aLength = Math.min(span, width - from), bLength = Math.min(span, width);
      let largest = 0;
      for (let r = 0; r < count; r++) {
        const q = skip + r;
        let acc = 0;
        for (let s = Math.max(0, q - bLength + 1); s <= Math.min(q, aLength - 1); s++) {
          acc += previous[from + s] * powers[q - s];
        }
        current[r] = acc;
        if (acc > largest) largest = acc;
      }
      if (largest > 0 && largest < SMALL) {
        for (let r = 0; r < width; r++) current[r] *= BIG;
        exponent -= SCALE_BITS;
      }
      currentStart = previousStart + j1 - k1;
    }
  }
  let answer = current[n - currentStart];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > BIG) {
      answer *= SMALL;
      exponent += SCALE_BITS;
    }
    answer *= m;
  }
  return clip(ldexp(answer, exponent));
}

/** Pelz–Good approximation of Pr(D_n <= x): Li-Chien/Korolyuk's expansion in 1/sqrt(n), theta-transformed. */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
  const logQ = -(Math.PI * Math.PI) / 8 / z2;
  if (logQ < -708) return 0;
  const q = Math.exp(logQ);
  const pi2 = Math.PI * Math.PI, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
  const k1a = -z2, k1b = pi2 / 4;
  const k2a = 6 * z6 + 2 * z4, k2b = ((2 * z4 - 5 * z2) * pi2) / 4, k2c = (pi4 * (1 - 2 * z2)) / 16;
  const k3d = (pi6 * (5 - 30 * z2)) / 64, k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4, k3a = -30 * z6 - 90 * Math.pow(z, 8);
  const K = [0, 0, 0, 0];
  const terms = Math.ceil((16 * z) / Math.PI);
  // Sums over odd m = 2k-1 of c(m) q^(m^2), by Horner in q^(8k).
  for (let k = terms; k > 0; k--) {
    const m = 2 * k - 1, m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
    const qPower = Math.pow(q, 8 * k);
    const c = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i] * qPower + c[i];
  }
  const root2pi = Math.sqrt(2 * Math.PI);
  const divisors = [z, 6 * z4, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * root2pi) / divisors[i];
  // The extra terms of K2 and K3 over all integers k.
  const q2 = Math.exp(-pi2 / 2 / z2);
  let extra2 = 0, extra3 = 0;
  const root3z = Math.sqrt(3) * z;
  for (let k = terms; k > 0; k--) {
    const k2 = k * k, w = Math.pow(q2, k2), kpi = Math.PI * k;
    extra2 += k2 * w;
    extra3 += (root3z + kpi) * (root3z - kpi) * k2 * w;
  }
  K[2] += (extra2 * pi2 * root2pi) / (-36 * z3);
  K[3] += (extra3 * pi2 * root2pi) / (216 * z6);
  return K[0] + K[1] / Math.sqrt(n) + K[2] / n + K[3] / Math.pow(n, 1.5);
}

/** Pr(D_n >= x) for the two-sided one-sample statistic (scipy.stats.kstwo.sf). */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`kolmogorovSf needs a positive integer n, got ${n}`);
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * Math.pow(1 - x, n));
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip(1 - durbinCdf(n, x));
    if (nx2 <= 4) return clip(1 - pomeranzCdf(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x));
  let cdf: number;
  if (nx2 >= 18) cdf = 1;
  else if (n <= 100000 && n * Math.pow(x, 1.5) <= 1.4) cdf = durbinCdf(n, x);
  else cdf = pelzGoodCdf(n, x);
  return clip(1 - clip(cdf));
}
