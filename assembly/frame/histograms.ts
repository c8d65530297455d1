// Luma and hue histograms, counted from the rows the colour pass wrote, and
// the luma features that follow from the luma histogram alone.
import { LUMA_BINS, HUE_BINS, OUT_LUMA_HIST, OUT_HUE_HIST, DARK_MAX, BRIGHT_MIN, setScalar,
  feature_luma_mean, feature_luma_std, feature_luma_p05, feature_luma_p50, feature_luma_p95,
  feature_luma_entropy, feature_dark_fraction, feature_bright_fraction } from "./layout";
import { exactVariance } from "../util/exact-variance";

// Colour frames count one joint (hue, luma) histogram, one increment per
// pixel; the luma and hue histograms are its two marginals. Gray frames count
// luma only. Four interleaved copies of each table: neighbouring pixels often
// fall in the same bin, and one counter would serialise those increments
// through store-to-load forwarding.
const COPIES: i32 = 4;
const HUE_ROWS: i32 = HUE_BINS + 1; // the 36 hue bins and the near-gray sink
const JOINT_BINS: i32 = HUE_ROWS * LUMA_BINS;
const JOINT_TABLE_BYTES: usize = <usize>JOINT_BINS * 4;
const LUMA_TABLE_BYTES: usize = <usize>LUMA_BINS * 4;
const jointTables = memory.data(COPIES * JOINT_BINS * 4, 16);
const lumaTables = memory.data(COPIES * LUMA_BINS * 4, 16);
let colourFrame = false;

export function histogramsReset(colour: bool): void {
  colourFrame = colour;
  if (colour) memory.fill(jointTables, 0, COPIES * JOINT_BINS * 4);
  else memory.fill(lumaTables, 0, COPIES * LUMA_BINS * 4);
}

@inline function bump(table: usize, bin: u32): void {
  const at = table + (<usize>bin << 2);
  store<u32>(at, load<u32>(at) + 1);
}

export function countLumaRow(luma: usize, width: i32): void {
  let x = 0;
  for (; x + 4 <= width; x += 4) {
    const four = load<u32>(luma + <usize>x);
    bump(lumaTables, four & 0xff);
    bump(lumaTables + LUMA_TABLE_BYTES, (four >> 8) & 0xff);
    bump(lumaTables + 2 * LUMA_TABLE_BYTES, (four >> 16) & 0xff);
    bump(lumaTables + 3 * LUMA_TABLE_BYTES, four >> 24);
  }
  for (; x < width; x++) bump(lumaTables, load<u8>(luma + <usize>x));
}

export function countJointRow(joint: usize, width: i32): void {
  let x = 0;
  for (; x + 4 <= width; x += 4) {
    const four = load<u64>(joint + (<usize>x << 1));
    bump(jointTables, <u32>(four & 0xffff));
    bump(jointTables + JOINT_TABLE_BYTES, <u32>((four >> 16) & 0xffff));
    bump(jointTables + 2 * JOINT_TABLE_BYTES, <u32>((four >> 32) & 0xffff));
    bump(jointTables + 3 * JOINT_TABLE_BYTES, <u32>(four >> 48));
  }
  for (; x < width; x++) bump(jointTables, load<u16>(joint + (<usize>x << 1)));
}

@inline function mergedCount(tables: usize, tableBytes: usize, bin: i32): u32 {
  const off = <usize>bin << 2;
  return load<u32>(tables + off) + load<u32>(tables + tableBytes + off)
       + load<u32>(tables + 2 * tableBytes + off) + load<u32>(tables + 3 * tableBytes + off);
}

// Writes the luma and hue histograms into the output region.
function writeHistograms(out: usize): void {
  const luma = out + OUT_LUMA_HIST, hue = out + OUT_HUE_HIST;
  if (!colourFrame) {
    for (let y = 0; y < LUMA_BINS; y++) store<u32>(luma + (<usize>y << 2), mergedCount(lumaTables, LUMA_TABLE_BYTES, y));
    memory.fill(hue, 0, HUE_BINS * 4);
    return;
  }
  memory.fill(luma, 0, LUMA_BINS * 4);
  for (let h = 0; h < HUE_ROWS; h++) {
    let hueCount: u32 = 0;
    for (let y = 0; y < LUMA_BINS; y++) {
      const c = mergedCount(jointTables, JOINT_TABLE_BYTES, h * LUMA_BINS + y);
      const at = luma + (<usize>y << 2);
      store<u32>(at, load<u32>(at) + c);
      hueCount += c;
    }
    if (h < HUE_BINS) store<u32>(hue + (<usize>h << 2), hueCount);
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
  writeHistograms(out);
  const hist = out + OUT_LUMA_HIST;
  let s1: u64 = 0, s2: u64 = 0, dark: u64 = 0, bright: u64 = 0;
  for (let y = 0; y < LUMA_BINS; y++) {
    const c = load<u32>(hist + (<usize>y << 2));
    const cy = <u64>c * <u64>y;
    s1 += cy; s2 += cy * <u64>y;
    if (y <= DARK_MAX) dark += <u64>c;
    if (y >= BRIGHT_MIN) bright += <u64>c;
  }
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
