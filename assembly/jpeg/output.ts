// From component planes to interleaved output pixels: chroma upsampling
// (a centred triangle filter, 3/4 near + 1/4 far sample in each subsampled
// direction, edges replicated), then YCbCr -> RGB (JFIF / T.871 with
// full-range coefficients), or gray.
import { componentCount, comp, isRgb, C_PLANE, C_STRIDE, C_RX, C_RY, C_WIDTH, C_HEIGHT, C_ROWBUF } from "./frame";
import { outWidth, outHeight, columnSums } from "./planes";

// Conversion tables, 16-bit fixed point.
const crToR = memory.data(256 * 4, 16);
const cbToB = memory.data(256 * 4, 16);
const crToG = memory.data(256 * 4, 16);
const cbToG = memory.data(256 * 4, 16);

function initTables(): void {
  for (let i = 0; i < 256; i++) {
    const d = <f64>(i - 128);
    store<i32>(crToR + (i << 2), <i32>Math.round(1.402 * d));
    store<i32>(cbToB + (i << 2), <i32>Math.round(1.772 * d));
    store<i32>(crToG + (i << 2), <i32>Math.round(-0.714136286 * d * 65536));
    store<i32>(cbToG + (i << 2), <i32>Math.round(-0.344136286 * d * 65536) + 32768);
  }
}
initTables();

@inline function clamp255(v: i32): i32 {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

// Row y of component c at the output resolution.
export function componentRow(c: i32, y: i32): usize {
  const plane = <usize>comp(c, C_PLANE);
  const stride = comp(c, C_STRIDE);
  const rx = comp(c, C_RX), ry = comp(c, C_RY);
  if (rx == 1 && ry == 1) return plane + <usize>(y * stride);
  const width = comp(c, C_WIDTH), height = comp(c, C_HEIGHT);
  // vertical: 4x the sample, or 3 near + 1 far
  let near = y, far = y;
  if (ry == 2) {
    near = y >> 1;
    far = (y & 1) != 0 ? near + 1 : near - 1;
    if (far < 0) far = 0;
    if (far >= height) far = height - 1;
    if (near >= height) near = height - 1;
  }
  const pn = plane + <usize>(near * stride), pf = plane + <usize>(far * stride);
  // i16 sums with one replicated sample either side: sums[-1], sums[width]
  const sums = <usize>columnSums + 16;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i < width; i += 8) {
      const n = i16x8.extend_low_i8x16_u(v128.load64_zero(pn + i));
      const f = i16x8.extend_low_i8x16_u(v128.load64_zero(pf + i));
      v128.store(sums + (i << 1), ry == 2 ? i16x8.add(i16x8.add(n, i16x8.add(n, n)), f) : i16x8.shl(n, 2));
    }
  } else {
    for (; i < width; i++) {
      const n = <i32>load<u8>(pn + i);
      store<i16>(sums + (i << 1), <i16>(ry == 2 ? 3 * n + <i32>load<u8>(pf + i) : 4 * n));
    }
  }
  store<i16>(sums - 2, load<i16>(sums));
  store<i16>(sums + (width << 1), load<i16>(sums + ((width - 1) << 1)));
  const row = <usize>comp(c, C_ROWBUF);
  const outW = outWidth;
  if (rx == 1) {
    for (i = 0; i < outW; i++) store<u8>(row + i, <u8>((<i32>load<i16>(sums + (i << 1)) + 2) >> 2));
    return row;
  }
  // horizontal: out[2i] leans to i-1, out[2i+1] to i+1 (weights 3:1)
  i = 0;
  if (ASC_FEATURE_SIMD) {
    const eight = i16x8.splat(8), seven = i16x8.splat(7);
    for (; i < width; i += 8) {
      const at = sums + (i << 1);
      const mid = v128.load(at);
      const mid3 = i16x8.add(mid, i16x8.add(mid, mid));
      const even = i16x8.shr_s(i16x8.add(i16x8.add(mid3, v128.load(at - 2)), eight), 4);
      const odd = i16x8.shr_s(i16x8.add(i16x8.add(mid3, v128.load(at + 2)), seven), 4);
      // even and odd are 0..255 (at most (4 * 1020 + 8) >> 4): byte pairs in one shift and or.
      v128.store(row + (i << 1), v128.or(even, i16x8.shl(odd, 8)));
    }
  } else {
    for (; i < width; i++) {
      const mid = 3 * <i32>load<i16>(sums + (i << 1));
      const x = i << 1;
      store<u8>(row + x, <u8>((mid + <i32>load<i16>(sums + (i << 1) - 2) + 8) >> 4));
      store<u8>(row + x + 1, <u8>((mid + <i32>load<i16>(sums + (i << 1) + 2) + 7) >> 4));
    }
  }
  return row;
}

export function writeOutput(channels: i32, out: usize): void {
  const w = outWidth;
  const rgb = isRgb();
  for (let y = 0; y < outHeight; y++) {
    const dst = out + <usize>(y * w * channels);
    const p0 = componentRow(0, y);
    if (componentCount == 1) {
      grayRow(p0, dst, w, channels);
      continue;
    }
    const p1 = componentRow(1, y);
    const p2 = componentRow(2, y);
    if (rgb) rgbRow(p0, p1, p2, dst, w, channels);
    else if (channels == 1) memory.copy(dst, p0, w);
    else ycbcrRow(p0, p1, p2, dst, w, channels);
  }
}

function grayRow(src: usize, dst: usize, w: i32, channels: i32): void {
  if (channels == 1) {
    memory.copy(dst, src, w);
    return;
  }
  for (let x = 0; x < w; x++) {
    const g = load<u8>(src + x);
    const o = dst + x * channels;
    store<u8>(o, g);
    store<u8>(o + 1, g);
    store<u8>(o + 2, g);
    if (channels == 4) store<u8>(o + 3, 255);
  }
}

function rgbRow(r: usize, g: usize, b: usize, dst: usize, w: i32, channels: i32): void {
  for (let x = 0; x < w; x++) {
    const rv = <i32>load<u8>(r + x), gv = <i32>load<u8>(g + x), bv = <i32>load<u8>(b + x);
    if (channels == 1) {
      store<u8>(dst + x, <u8>((77 * rv + 150 * gv + 29 * bv + 128) >> 8));
      continue;
    }
    const o = dst + x * channels;
    store<u8>(o, <u8>rv);
    store<u8>(o + 1, <u8>gv);
    store<u8>(o + 2, <u8>bv);
    if (channels == 4) store<u8>(o + 3, 255);
  }
}

function ycbcrRow(yp: usize, cbp: usize, crp: usize, dst: usize, w: i32, channels: i32): void {
  let x = 0;
  if (ASC_FEATURE_SIMD) {
    if (channels == 4) {
      for (; x + 16 <= w; x += 16) ycbcr16Rgba(yp + x, cbp + x, crp + x, dst + (x << 2));
    } else {
      for (; x + 16 <= w; x += 16) ycbcr16Rgb(yp + x, cbp + x, crp + x, dst + x * 3);
    }
  }
  for (; x < w; x++) {
    const o = dst + x * channels;
    tablePixel(yp + x, cbp + x, crp + x, o, o + 1, o + 2);
    if (channels == 4) store<u8>(o + 3, 255);
  }
}

// The table path for one pixel (the SIMD rows' tails, and the scalar build).
@inline function tablePixel(yp: usize, cbp: usize, crp: usize, rOut: usize, gOut: usize, bOut: usize): void {
  const y = <i32>load<u8>(yp);
  const cb = (<usize>load<u8>(cbp)) << 2;
  const cr = (<usize>load<u8>(crp)) << 2;
  store<u8>(rOut, <u8>clamp255(y + load<i32>(crToR + cr)));
  store<u8>(gOut, <u8>clamp255(y + ((load<i32>(cbToG + cb) + load<i32>(crToG + cr)) >> 16)));
  store<u8>(bOut, <u8>clamp255(y + load<i32>(cbToB + cb)));
}

// One row converted into three planes, pixel for pixel the values
// ycbcrRow writes (SIMD for whole groups of 16, the table path for the rest).
export function ycbcrPlanarRow(yp: usize, cbp: usize, crp: usize, r: usize, g: usize, b: usize, w: i32): void {
  let x = 0;
  if (ASC_FEATURE_SIMD) {
    for (; x + 16 <= w; x += 16) convert16(yp + x, cbp + x, crp + x, r + x, g + x, b + x);
  }
  for (; x < w; x++) tablePixel(yp + x, cbp + x, crp + x, r + x, g + x, b + x);
}

// ---- SIMD: 16 pixels at a time, in i16 lanes with Q15 products ----
// Chroma differences are scaled by 64 before the products and the sum shifted
// back with rounding, which keeps each channel within 1 level of the table path.

const R_CR: i16 = 13173; // (1.402 - 1) * 32768
const G_CB: i16 = 11277; // 0.344136 * 32768
const G_CR: i16 = 23401; // 0.714136 * 32768
const B_CB: i16 = 25297; // (1.772 - 1) * 32768

// Writes r, g, b of 16 pixels as u8x16 at rOut, gOut, bOut.
const rgbScratch = memory.data(48, 16);

@inline function convert16(yp: usize, cbp: usize, crp: usize, rOut: usize, gOut: usize, bOut: usize): void {
  const yv = v128.load(yp), cbv = v128.load(cbp), crv = v128.load(crp);
  const bias = i16x8.splat(128);
  const two = i16x8.splat(32); // half of the 1 << 6 scale
  const cbLo = i16x8.shl(i16x8.sub(i16x8.extend_low_i8x16_u(cbv), bias), 6);
  const cbHi = i16x8.shl(i16x8.sub(i16x8.extend_high_i8x16_u(cbv), bias), 6);
  const crLo = i16x8.shl(i16x8.sub(i16x8.extend_low_i8x16_u(crv), bias), 6);
  const crHi = i16x8.shl(i16x8.sub(i16x8.extend_high_i8x16_u(crv), bias), 6);
  const yLo = i16x8.extend_low_i8x16_u(yv), yHi = i16x8.extend_high_i8x16_u(yv);
  const kr = i16x8.splat(R_CR), kgb = i16x8.splat(G_CB), kgr = i16x8.splat(G_CR), kb = i16x8.splat(B_CB);
  const rLo = i16x8.add(yLo, i16x8.shr_s(i16x8.add(i16x8.add(crLo, i16x8.q15mulr_sat_s(crLo, kr)), two), 6));
  const rHi = i16x8.add(yHi, i16x8.shr_s(i16x8.add(i16x8.add(crHi, i16x8.q15mulr_sat_s(crHi, kr)), two), 6));
  const gLo = i16x8.add(yLo, i16x8.shr_s(i16x8.sub(two, i16x8.add(i16x8.q15mulr_sat_s(cbLo, kgb), i16x8.q15mulr_sat_s(crLo, kgr))), 6));
  const gHi = i16x8.add(yHi, i16x8.shr_s(i16x8.sub(two, i16x8.add(i16x8.q15mulr_sat_s(cbHi, kgb), i16x8.q15mulr_sat_s(crHi, kgr))), 6));
  const bLo = i16x8.add(yLo, i16x8.shr_s(i16x8.add(i16x8.add(cbLo, i16x8.q15mulr_sat_s(cbLo, kb)), two), 6));
  const bHi = i16x8.add(yHi, i16x8.shr_s(i16x8.add(i16x8.add(cbHi, i16x8.q15mulr_sat_s(cbHi, kb)), two), 6));
  v128.store(rOut, i8x16.narrow_i16x8_u(rLo, rHi));
  v128.store(gOut, i8x16.narrow_i16x8_u(gLo, gHi));
  v128.store(bOut, i8x16.narrow_i16x8_u(bLo, bHi));
}

function ycbcr16Rgba(yp: usize, cbp: usize, crp: usize, dst: usize): void {
  convert16(yp, cbp, crp, rgbScratch, rgbScratch + 16, rgbScratch + 32);
  const r = v128.load(rgbScratch), g = v128.load(rgbScratch + 16), b = v128.load(rgbScratch + 32);
  const a = i8x16.splat(-1);
  const rgLo = v128.shuffle<u8>(r, g, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const rgHi = v128.shuffle<u8>(r, g, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  const baLo = v128.shuffle<u8>(b, a, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const baHi = v128.shuffle<u8>(b, a, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  v128.store(dst, v128.shuffle<u16>(rgLo, baLo, 0, 8, 1, 9, 2, 10, 3, 11));
  v128.store(dst + 16, v128.shuffle<u16>(rgLo, baLo, 4, 12, 5, 13, 6, 14, 7, 15));
  v128.store(dst + 32, v128.shuffle<u16>(rgHi, baHi, 0, 8, 1, 9, 2, 10, 3, 11));
  v128.store(dst + 48, v128.shuffle<u16>(rgHi, baHi, 4, 12, 5, 13, 6, 14, 7, 15));
}

// 48 bytes r0 g0 b0 r1 ...: byte and word unpacks give four vectors of 4
// pixels as r g b b; one constant swizzle packs each into its first 12 bytes.
// The stores overlap: each of the first three writes 4 bytes that the next
// one overwrites, and the last writes exactly 12, so nothing past the 16
// pixels is touched. (Unpacks and a constant swizzle compile to one
// instruction each; general two-input byte shuffles to two plus their masks.)
@inline function rgbbToRgb(): v128 { return i8x16(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 15, 15, 15, 15); }

function ycbcr16Rgb(yp: usize, cbp: usize, crp: usize, dst: usize): void {
  convert16(yp, cbp, crp, rgbScratch, rgbScratch + 16, rgbScratch + 32);
  const r = v128.load(rgbScratch), g = v128.load(rgbScratch + 16), b = v128.load(rgbScratch + 32);
  const rgLo = v128.shuffle<u8>(r, g, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const rgHi = v128.shuffle<u8>(r, g, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  const bbLo = v128.shuffle<u8>(b, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const bbHi = v128.shuffle<u8>(b, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  v128.store(dst, i8x16.swizzle(v128.shuffle<u16>(rgLo, bbLo, 0, 8, 1, 9, 2, 10, 3, 11), rgbbToRgb()));
  v128.store(dst + 12, i8x16.swizzle(v128.shuffle<u16>(rgLo, bbLo, 4, 12, 5, 13, 6, 14, 7, 15), rgbbToRgb()));
  v128.store(dst + 24, i8x16.swizzle(v128.shuffle<u16>(rgHi, bbHi, 0, 8, 1, 9, 2, 10, 3, 11), rgbbToRgb()));
  const last = i8x16.swizzle(v128.shuffle<u16>(rgHi, bbHi, 4, 12, 5, 13, 6, 14, 7, 15), rgbbToRgb());
  v128.store64_lane(dst + 36, last, 0);
  v128.store32_lane(dst + 44, last, 2);
}
