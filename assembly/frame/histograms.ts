// Luma and hue histograms, counted from the row bytes the colour pass wrote,
// and the luma features that follow from the luma histogram alone.
import { LUMA_BINS, HUE_BINS, OUT_LUMA_HIST, OUT_HUE_HIST, DARK_MAX, BRIGHT_MIN, setScalar,
  feature_luma_mean, feature_luma_std, feature_luma_p05, feature_luma_p50, feature_luma_p95,
  feature_luma_entropy, feature_dark_fraction, feature_bright_fraction } from "./layout";
import { exactVariance } from "../util/exact-variance";

// Two interleaved luma histograms so that runs of equal pixels do not stall
// on one counter; the hue histogram has one extra sink bin for near-gray.
const lumaA = memory.data(LUMA_BINS * 4, 16);
const lumaB = memory.data(LUMA_BINS * 4, 16);
const hueCounts = memory.data(48 * 4, 16);

export function histogramsReset(): void {
  memory.fill(lumaA, 0, LUMA_BINS * 4);
  memory.fill(lumaB, 0, LUMA_BINS * 4);
  memory.fill(hueCounts, 0, 48 * 4);
}

@inline function bump(table: usize, bin: u32): void {
  const at = table + (<usize>bin << 2);
  store<u32>(at, load<u32>(at) + 1);
}

export function countRow(luma: usize, hue: usize, width: i32, withHue: bool): void {
  let x = 0;
  for (; x + 2 <= width; x += 2) {
    bump(lumaA, load<u8>(luma + <usize>x));
    bump(lumaB, load<u8>(luma + <usize>x, 1));
  }
  if (x < width) bump(lumaA, load<u8>(luma + <usize>x));
  if (withHue) {
    for (x = 0; x < width; x++) bump(hueCounts, load<u8>(hue + <usize>x));
  }
}

// Smallest level y with 100*cum(y) >= percent*n (the inverted-CDF percentile).
function percentile(hist: usize, n: u64, percent: u64): f64 {
  let cum: u64 = 0;
  for (let y = 0; y < LUMA_BINS; y++) {
    cum += <u64>load<u32>(hist + (<usize>y << 2));
    if (cum * 100 >= percent * n) return <f64>y;
  }
  return <f64>(LUMA_BINS - 1);
}

// Merges the counters into the output region and writes the luma features.
// Returns the luma sum, which gray input uses for its channel means.
export function histogramsFinish(out: usize, n: u64): u64 {
  const hist = out + OUT_LUMA_HIST;
  let s1: u64 = 0, s2: u64 = 0, dark: u64 = 0, bright: u64 = 0;
  for (let y = 0; y < LUMA_BINS; y++) {
    const off = <usize>y << 2;
    const c = load<u32>(lumaA + off) + load<u32>(lumaB + off);
    store<u32>(hist + off, c);
    const cy = <u64>c * <u64>y;
    s1 += cy; s2 += cy * <u64>y;
    if (y <= DARK_MAX) dark += <u64>c;
    if (y >= BRIGHT_MIN) bright += <u64>c;
  }
  memory.copy(out + OUT_HUE_HIST, hueCounts, HUE_BINS * 4);
  const nf = <f64>n;
  let entropy: f64 = 0;
  for (let y = 0; y < LUMA_BINS; y++) {
    const c = load<u32>(hist + (<usize>y << 2));
    if (c != 0) {
      const p = <f64>c / nf;
      entropy -= p * Math.log2(p);
    }
  }
  setScalar(out, feature_luma_mean, <f64>s1 / nf);
  setScalar(out, feature_luma_std, Math.sqrt(exactVariance(n, <i64>s1, s2)));
  setScalar(out, feature_luma_p05, percentile(hist, n, 5));
  setScalar(out, feature_luma_p50, percentile(hist, n, 50));
  setScalar(out, feature_luma_p95, percentile(hist, n, 95));
  setScalar(out, feature_luma_entropy, entropy);
  setScalar(out, feature_dark_fraction, <f64>dark / nf);
  setScalar(out, feature_bright_fraction, <f64>bright / nf);
  return s1;
}
