// The fused per-pixel pass: luma, channel sums, saturation, hue bin and the
// opponent-colour sums of colourfulness, one row at a time. Writes each row's
// luma bytes (for the neighbourhood pass) and joint (hue, luma) bin indices
// as u16 (for the histograms).
import { FORMAT_RGB, HUE_MIN_CHROMA, HUE_BINS } from "./layout";
import { addLanes, takeLanes } from "../util/lane-sums";

// Exact integer sums over the frame. The channel sums are recovered from
// sum(R+G+B), sum(R-G) and sum(R+G-2B), which the pass needs anyway.
let sumRGB: u64 = 0;
let sumRG: i64 = 0, sumRG2: u64 = 0; // rg = R - G
let sumYB: i64 = 0, sumYB2: u64 = 0; // yb2 = R + G - 2B (twice Hasler's yb)
let sumS: u64 = 0, sumS2: u64 = 0; // 8-bit saturation S8 and its square

// SIMD lane accumulators live in static memory (see util/lane-sums.ts).
// Each is updated once per 16 pixels, so no
// long store-to-load chain forms; the integer lanes are flushed into the sums
// above at the end of each row segment, before they could overflow.
const lanes = memory.data(16 * 7, 16);
const L_RGB: usize = 0, L_RG: usize = 16, L_RG2: usize = 32, L_YB: usize = 48, L_YB2: usize = 64;
const L_S: usize = 80, L_S2: usize = 96;

const HUE_GRAY_BIN: i32 = HUE_BINS; // the sink bin for near-gray pixels

export function colourReset(): void {
  sumRGB = 0;
  sumRG = 0; sumRG2 = 0; sumYB = 0; sumYB2 = 0;
  sumS = 0; sumS2 = 0;
  memory.fill(lanes, 0, 16 * 7);
}

// 8-bit HSV saturation (OpenCV's and PIL's convention): round(255 (max-min) / max)
// with halves rounded up, as floor((510 d + max) / (2 max)); 0 for black. The
// binary32 quotient floors exactly: a non-integer N/D with D <= 510 is at
// least 1/510 from an integer, far more than the float's rounding error.
@inline function saturation8(mx: i32, d: i32): i32 {
  const numerator: i32 = 510 * d + mx;
  return <i32>Mathf.floor(<f32>numerator / <f32>max(2 * mx, 1));
}

// Hue bin 0..35 (10° each) or HUE_GRAY_BIN when max-min < HUE_MIN_CHROMA.
// floor(6*num/d) is exact in binary32: a non-integer quotient num/d with
// |num| <= 255, d <= 255 is at least 1/255 away from any integer.
@inline function hueBin(r: i32, g: i32, b: i32): i32 {
  const mx = max(r, max(g, b));
  const d = mx - min(r, min(g, b));
  if (d < HUE_MIN_CHROMA) return HUE_GRAY_BIN;
  let num: i32, off: i32;
  if (mx == r) { num = g - b; off = 0; }
  else if (mx == g) { num = b - r; off = 12; }
  else { num = r - g; off = 24; }
  const scaled: i32 = num * 6;
  let q = <i32>Mathf.floor(<f32>scaled / <f32>d) + off;
  if (q < 0) q += HUE_BINS;
  return q;
}

@inline function lumaOf(r: i32, g: i32, b: i32): i32 {
  return (77 * r + 150 * g + 29 * b + 128) >> 8;
}

@inline function colourPixel(r: i32, g: i32, b: i32, lumaOut: usize, jointOut: usize): void {
  const y = lumaOf(r, g, b);
  store<u8>(lumaOut, y);
  store<u16>(jointOut, (hueBin(r, g, b) << 8) | y);
  sumRGB += <u64>(r + g + b);
  const rg = r - g, yb = r + g - 2 * b;
  sumRG += <i64>rg; sumRG2 += <u64>(rg * rg);
  sumYB += <i64>yb; sumYB2 += <u64>(yb * yb);
  const mx = max(r, max(g, b));
  const s = saturation8(mx, mx - min(r, min(g, b)));
  sumS += <u64>s; sumS2 += <u64>(s * s);
}

function flushIntLanes(): void {
  sumRGB += <u64>takeLanes(lanes + L_RGB);
  sumS += <u64>takeLanes(lanes + L_S); sumS2 += <u64>takeLanes(lanes + L_S2);
  sumRG += takeLanes(lanes + L_RG); sumRG2 += <u64>takeLanes(lanes + L_RG2);
  sumYB += takeLanes(lanes + L_YB); sumYB2 += <u64>takeLanes(lanes + L_YB2);
}

// Saturation and hue of 16 pixels share their float conversions, four lanes
// (a "quad") at a time. Quotients are floored in binary32 (exact, see
// saturation8 and hueBin) and turned back into integers by adding 1.5·2^23,
// which puts the integer in the low mantissa bits: the low 16 bits of each
// lane are then the integer itself, negative ones in two's complement.
const MAGIC: f32 = 12582912.0;

@inline function quadF32(v16: v128, high: bool): v128 {
  return f32x4.convert_i32x4_s(high ? i32x4.extend_high_i16x8_s(v16) : i32x4.extend_low_i16x8_s(v16));
}

// floor((510 d + mx) / (2 mx)) + MAGIC; 0/0 for black is avoided by max(…, 1).
@inline function saturationQuad(mxF: v128, dF: v128): v128 {
  const numerator = f32x4.add(f32x4.mul(dF, f32x4.splat(510)), mxF);
  return f32x4.add(f32x4.floor(f32x4.div(numerator, f32x4.pmax(f32x4.add(mxF, mxF), f32x4.splat(1)))), f32x4.splat(MAGIC));
}

// floor(6 num / d) + MAGIC; lanes with d = 0 give garbage that the near-gray
// mask replaces afterwards.
@inline function hueQuad(numF: v128, dF: v128): v128 {
  return f32x4.add(f32x4.floor(f32x4.div(f32x4.mul(numF, f32x4.splat(6)), dF)), f32x4.splat(MAGIC));
}

// The low 16 bits of each i32 lane of a and b, as 8 i16 lanes.
@inline function low16(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29);
}

// Saturation sums and hue bins of 8 pixels (i16 lanes); returns the hue bins.
@inline function saturationAndHue8(r: v128, g: v128, b: v128, mx: v128, d: v128): v128 {
  // Hue: the sector of the maximum channel (R first on ties, then G).
  const isR = i16x8.eq(mx, r);
  const isG = v128.andnot(i16x8.eq(mx, g), isR);
  const num = v128.bitselect(i16x8.sub(g, b), v128.bitselect(i16x8.sub(b, r), i16x8.sub(r, g), isG), isR);
  const off = v128.bitselect(i16x8.splat(0), v128.bitselect(i16x8.splat(12), i16x8.splat(24), isG), isR);

  const mxLo = quadF32(mx, false), mxHi = quadF32(mx, true);
  const dLo = quadF32(d, false), dHi = quadF32(d, true);
  const sat = low16(saturationQuad(mxLo, dLo), saturationQuad(mxHi, dHi));
  addLanes(lanes + L_S, i32x4.extadd_pairwise_i16x8_s(sat));
  addLanes(lanes + L_S2, i32x4.dot_i16x8_s(sat, sat));

  let q = i16x8.add(low16(hueQuad(quadF32(num, false), dLo), hueQuad(quadF32(num, true), dHi)), off);
  q = i16x8.min_u(q, i16x8.add(q, i16x8.splat(<i16>HUE_BINS))); // -6..-1 wrap to 30..35
  return v128.bitselect(i16x8.splat(<i16>HUE_GRAY_BIN), q, i16x8.lt_s(d, i16x8.splat(<i16>HUE_MIN_CHROMA)));
}

// 16 pixels as u8 lanes: luma bytes and joint bin indices out, sums accumulated.
@inline function colour16(r: v128, g: v128, b: v128, lumaOut: usize, jointOut: usize): void {
  const rLo = i16x8.extend_low_i8x16_u(r), rHi = i16x8.extend_high_i8x16_u(r);
  const gLo = i16x8.extend_low_i8x16_u(g), gHi = i16x8.extend_high_i8x16_u(g);
  const bLo = i16x8.extend_low_i8x16_u(b), bHi = i16x8.extend_high_i8x16_u(b);
  // R+G+B <= 765 per pixel, two pixels per u16 lane after the pairwise add.
  addLanes(lanes + L_RGB, i32x4.extadd_pairwise_i16x8_u(i16x8.add(i16x8.add(i16x8.extadd_pairwise_i8x16_u(r),
    i16x8.extadd_pairwise_i8x16_u(g)), i16x8.extadd_pairwise_i8x16_u(b))));

  // 77*255 + 150*255 + 29*255 + 128 = 65408 fits in u16 lanes.
  const c77 = i16x8.splat(77), c150 = i16x8.splat(150), c29 = i16x8.splat(29), c128 = i16x8.splat(128);
  const yLo = i16x8.shr_u(i16x8.add(i16x8.add(i16x8.mul(rLo, c77), i16x8.mul(gLo, c150)), i16x8.add(i16x8.mul(bLo, c29), c128)), 8);
  const yHi = i16x8.shr_u(i16x8.add(i16x8.add(i16x8.mul(rHi, c77), i16x8.mul(gHi, c150)), i16x8.add(i16x8.mul(bHi, c29), c128)), 8);
  v128.store(lumaOut, i8x16.narrow_i16x8_u(yLo, yHi));

  const rgLo = i16x8.sub(rLo, gLo), rgHi = i16x8.sub(rHi, gHi);
  const ybLo = i16x8.sub(i16x8.add(rLo, gLo), i16x8.shl(bLo, 1));
  const ybHi = i16x8.sub(i16x8.add(rHi, gHi), i16x8.shl(bHi, 1));
  addLanes(lanes + L_RG, i32x4.add(i32x4.extadd_pairwise_i16x8_s(rgLo), i32x4.extadd_pairwise_i16x8_s(rgHi)));
  addLanes(lanes + L_RG2, i32x4.add(i32x4.dot_i16x8_s(rgLo, rgLo), i32x4.dot_i16x8_s(rgHi, rgHi)));
  addLanes(lanes + L_YB, i32x4.add(i32x4.extadd_pairwise_i16x8_s(ybLo), i32x4.extadd_pairwise_i16x8_s(ybHi)));
  addLanes(lanes + L_YB2, i32x4.add(i32x4.dot_i16x8_s(ybLo, ybLo), i32x4.dot_i16x8_s(ybHi, ybHi)));

  const mx = i8x16.max_u(r, i8x16.max_u(g, b));
  const d = i8x16.sub(mx, i8x16.min_u(r, i8x16.min_u(g, b)));
  // Joint (hue, luma) bin indices, hue * 256 + Y, for one histogram increment per pixel.
  const hLo = saturationAndHue8(rLo, gLo, bLo, i16x8.extend_low_i8x16_u(mx), i16x8.extend_low_i8x16_u(d));
  const hHi = saturationAndHue8(rHi, gHi, bHi, i16x8.extend_high_i8x16_u(mx), i16x8.extend_high_i8x16_u(d));
  v128.store(jointOut, v128.or(i16x8.shl(hLo, 8), yLo));
  v128.store(jointOut, v128.or(i16x8.shl(hHi, 8), yHi), 16);
}

// Deinterleaving 16 pixels. Each load holds 4 pixels; one byte swizzle per
// load groups them by channel (R of the 4 pixels in i32 lane 0, G in lane 1,
// B in lane 2), and a 4 x 4 transpose of i32 lanes (unpack instructions)
// gives R, G and B of all 16. Constant swizzle indices compile to a single
// pshufb each; general two-input byte shuffles cost two plus their masks.
// (Functions, not globals: a v128 global would not compile in the scalar build.)
@inline function rgbToPlanes(): v128 { return i8x16(0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11, 0, 0, 0, 0); }
@inline function rgbToPlanesAt4(): v128 { return i8x16(4, 7, 10, 13, 5, 8, 11, 14, 6, 9, 12, 15, 0, 0, 0, 0); }
@inline function rgbaToPlanes(): v128 { return i8x16(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15); }

@inline function colourPlanes(q0: v128, q1: v128, q2: v128, q3: v128, lumaOut: usize, jointOut: usize): void {
  const lo01 = v128.shuffle<u32>(q0, q1, 0, 4, 1, 5), lo23 = v128.shuffle<u32>(q2, q3, 0, 4, 1, 5);
  const hi01 = v128.shuffle<u32>(q0, q1, 2, 6, 3, 7), hi23 = v128.shuffle<u32>(q2, q3, 2, 6, 3, 7);
  const r = v128.shuffle<u64>(lo01, lo23, 0, 2), g = v128.shuffle<u64>(lo01, lo23, 1, 3);
  const b = v128.shuffle<u64>(hi01, hi23, 0, 2);
  colour16(r, g, b, lumaOut, jointOut);
}

// One row of RGB or RGBA pixels. Rows are cut into segments of 4096 pixels
// so that the i32 lane sums cannot overflow before they are flushed.
export function colourRow(src: usize, format: i32, width: i32, luma: usize, joint: usize): void {
  let x = 0;
  if (ASC_FEATURE_SIMD) {
    while (x + 16 <= width) {
      const segmentEnd = min(width, x + 4096);
      if (format == FORMAT_RGB) {
        for (; x + 16 <= segmentEnd; x += 16) {
          // Pixels 0-3, 4-7, 8-11 from loads at bytes 0, 12, 24; pixels
          // 12-15 from bytes 36-47 of a load at 32, so no byte past the
          // 16 pixels is read.
          const p = src + <usize>(x * 3);
          const q0 = i8x16.swizzle(v128.load(p), rgbToPlanes());
          const q1 = i8x16.swizzle(v128.load(p, 12), rgbToPlanes());
          const q2 = i8x16.swizzle(v128.load(p, 24), rgbToPlanes());
          const q3 = i8x16.swizzle(v128.load(p, 32), rgbToPlanesAt4());
          colourPlanes(q0, q1, q2, q3, luma + <usize>x, joint + (<usize>x << 1));
        }
      } else {
        for (; x + 16 <= segmentEnd; x += 16) {
          const p = src + <usize>(x << 2);
          const q0 = i8x16.swizzle(v128.load(p), rgbaToPlanes());
          const q1 = i8x16.swizzle(v128.load(p, 16), rgbaToPlanes());
          const q2 = i8x16.swizzle(v128.load(p, 32), rgbaToPlanes());
          const q3 = i8x16.swizzle(v128.load(p, 48), rgbaToPlanes());
          colourPlanes(q0, q1, q2, q3, luma + <usize>x, joint + (<usize>x << 1));
        }
      }
      flushIntLanes();
    }
  }
  const bpp = format == FORMAT_RGB ? 3 : 4;
  for (; x < width; x++) {
    const p = src + <usize>(x * bpp);
    colourPixel(<i32>load<u8>(p), <i32>load<u8>(p, 1), <i32>load<u8>(p, 2), luma + <usize>x, joint + (<usize>x << 1));
  }
}

// Gray input: the pixel is the luma; the colour sums are derived at the end.
export function grayRow(src: usize, width: i32, luma: usize): void {
  memory.copy(luma, src, <usize>width);
}

// Channel sums from sum(R+G+B) = S, sum(R-G) = A and sum(R+G-2B) = Y:
// B = (S - Y) / 3, R + G = S - B, R = (R + G + A) / 2; all exact.
export function colourSumB(): u64 { return <u64>((<i64>sumRGB - sumYB) / 3); }
export function colourSumR(): u64 { return <u64>((<i64>(sumRGB - colourSumB()) + sumRG) / 2); }
export function colourSumG(): u64 { return <u64>((<i64>(sumRGB - colourSumB()) - sumRG) / 2); }
export function colourSumRG(): i64 { return sumRG; }
export function colourSumRG2(): u64 { return sumRG2; }
export function colourSumYB(): i64 { return sumYB; }
export function colourSumYB2(): u64 { return sumYB2; }

export function colourSumS(): u64 { return sumS; }
export function colourSumS2(): u64 { return sumS2; }

// One row given as three planes (the JPEG decoder's rows, jpeg/measure.ts):
// the same per-pixel results and sums as colourRow, without deinterleaving.
export function colourRowPlanar(r: usize, g: usize, b: usize, width: i32, luma: usize, joint: usize): void {
  let x = 0;
  if (ASC_FEATURE_SIMD) {
    while (x + 16 <= width) {
      const segmentEnd = min(width, x + 4096);
      for (; x + 16 <= segmentEnd; x += 16) {
        const o = <usize>x;
        colour16(v128.load(r + o), v128.load(g + o), v128.load(b + o), luma + o, joint + (o << 1));
      }
      flushIntLanes();
    }
  }
  for (; x < width; x++) {
    const o = <usize>x;
    colourPixel(<i32>load<u8>(r + o), <i32>load<u8>(g + o), <i32>load<u8>(b + o), luma + o, joint + (o << 1));
  }
}
