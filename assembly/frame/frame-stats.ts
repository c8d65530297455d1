// frameStats: the whole catalogue in one pass over the rows. The host owns
// memory: it passes the pixel pointer, a scratch region of
// frameScratchBytes() bytes and an output region of OUT_BYTES bytes.
import { FORMAT_GRAY, FORMAT_RGB, FORMAT_RGBA, ERR_NONE, ERR_BAD_SIZE, ERR_BAD_FORMAT,
  ERR_BAD_STRIDE, setScalar, feature_width, feature_height, feature_aspect_ratio,
  feature_r_mean, feature_g_mean, feature_b_mean, feature_saturation_mean,
  feature_saturation_std, feature_colorfulness } from "./layout";
import { colourReset, colourRow, grayRow, colourSumR, colourSumG, colourSumB, colourSumRG,
  colourSumRG2, colourSumYB, colourSumYB2, colourSumS, colourSumS2 } from "./colour";
import { histogramsReset, countLumaRow, countJointRow, histogramsFinish } from "./histograms";
import { neighbourhoodReset, neighbourhoodRow, neighbourhoodFinish } from "./neighbourhood";
import { exactVariance } from "../util/exact-variance";

const ROW_PAD: i32 = 64;

@inline export function sampled(size: i32, step: i32): i32 {
  return (size + step - 1) / step;
}

@inline export function rowPitch(sampledWidth: i32): usize {
  return <usize>((sampledWidth + ROW_PAD + 15) & ~15);
}

// Scratch: a ring of three luma rows, one row of u16 joint bin indices and,
// when sub-sampling, one row of gathered pixels.
export function frameScratchBytes(width: i32, format: i32, step: i32): i32 {
  if (width < 1 || step < 1) return 0;
  const pitch = <i32>rowPitch(sampled(width, step));
  return pitch * 5 + (step > 1 ? pitch * format : 0);
}

function gatherRow(src: usize, width: i32, format: i32, step: i32, dst: usize): void {
  const stride = <usize>(step * format);
  let from = src, to = dst;
  for (let x = 0; x < width; x++) {
    for (let c = 0; c < format; c++) store<u8>(to + <usize>c, load<u8>(from + <usize>c));
    from += stride; to += <usize>format;
  }
}

// The row pipeline, shared by frameStats and the JPEG module's fused
// decode-and-measure path (jpeg/measure.ts): begin, then per sampled row
// write its luma (and joint bins) where statsLumaRow/statsJointRow say and
// call statsRowDone, then statsFinish.
let ringScratch: usize = 0;
let ringPitch: usize = 0;
let rowsDone: i32 = 0;
let grayFrame = false;

export function statsBegin(sampledWidth: i32, gray: bool, scratch: usize): void {
  ringScratch = scratch;
  ringPitch = rowPitch(sampledWidth);
  rowsDone = 0;
  grayFrame = gray;
  histogramsReset(!gray);
  neighbourhoodReset();
  if (!gray) colourReset();
}

// Where the next row's luma bytes go: a ring of three rows.
@inline export function statsLumaRow(): usize {
  return ringScratch + <usize>(rowsDone % 3) * ringPitch;
}

@inline export function statsJointRow(): usize {
  return ringScratch + 3 * ringPitch;
}

// A row whose luma (gray) or luma and joint bins (colour) are written.
export function statsRowDone(sampledWidth: i32): void {
  const y = rowsDone;
  if (grayFrame) countLumaRow(statsLumaRow(), sampledWidth);
  else countJointRow(statsJointRow(), sampledWidth);
  if (y >= 2) {
    neighbourhoodRow(ringScratch + <usize>((y - 2) % 3) * ringPitch, ringScratch + <usize>((y - 1) % 3) * ringPitch,
      statsLumaRow(), sampledWidth);
  }
  rowsDone = y + 1;
}

export function frameStats(src: usize, width: i32, height: i32, format: i32, rowBytes: i32,
                           step: i32, scratch: usize, out: usize): i32 {
  if (width < 1 || height < 1 || step < 1) return ERR_BAD_SIZE;
  if (format != FORMAT_GRAY && format != FORMAT_RGB && format != FORMAT_RGBA) return ERR_BAD_FORMAT;
  if (rowBytes < width * format) return ERR_BAD_STRIDE;
  const sw = sampled(width, step), sh = sampled(height, step);
  const gathered = scratch + 5 * rowPitch(sw);
  const gray = format == FORMAT_GRAY;

  statsBegin(sw, gray, scratch);
  for (let y = 0; y < sh; y++) {
    let row = src + <usize>y * <usize>step * <usize>rowBytes;
    if (step > 1) { gatherRow(row, sw, format, step, gathered); row = gathered; }
    if (gray) grayRow(row, sw, statsLumaRow());
    else colourRow(row, format, sw, statsLumaRow(), statsJointRow());
    statsRowDone(sw);
  }
  statsFinish(width, height, sw, sh, out);
  return ERR_NONE;
}

// Writes the features of the frame the rows came from (width x height,
// sampled to sw x sh) into the output region.
export function statsFinish(width: i32, height: i32, sw: i32, sh: i32, out: usize): void {
  const n = <u64>sw * <u64>sh;
  const nf = <f64>n;
  setScalar(out, feature_width, <f64>width);
  setScalar(out, feature_height, <f64>height);
  setScalar(out, feature_aspect_ratio, <f64>width / <f64>height);
  const lumaSum = histogramsFinish(out, n);
  neighbourhoodFinish(out, sw, sh);
  if (grayFrame) {
    const m = <f64>lumaSum / nf;
    setScalar(out, feature_r_mean, m);
    setScalar(out, feature_g_mean, m);
    setScalar(out, feature_b_mean, m);
    setScalar(out, feature_saturation_mean, 0);
    setScalar(out, feature_saturation_std, 0);
    setScalar(out, feature_colorfulness, 0);
    return;
  }
  setScalar(out, feature_r_mean, <f64>colourSumR() / nf);
  setScalar(out, feature_g_mean, <f64>colourSumG() / nf);
  setScalar(out, feature_b_mean, <f64>colourSumB() / nf);
  // Saturation in 0..1: the 8-bit value over 255.
  setScalar(out, feature_saturation_mean, <f64>colourSumS() / nf / 255);
  setScalar(out, feature_saturation_std, Math.sqrt(exactVariance(n, <i64>colourSumS(), colourSumS2())) / 255);
  // Hasler & Süsstrunk (2003): sigma_rgyb + 0.3 mu_rgyb, with yb = yb2 / 2.
  const varRG = exactVariance(n, colourSumRG(), colourSumRG2());
  const varYB = exactVariance(n, colourSumYB(), colourSumYB2()) / 4;
  const meanRG = <f64>colourSumRG() / nf;
  const meanYB = <f64>colourSumYB() / nf / 2;
  setScalar(out, feature_colorfulness, Math.sqrt(varRG + varYB) + 0.3 * Math.sqrt(meanRG * meanRG + meanYB * meanYB));
}
