// The full-size (8x8) inverse DCT in integers, giving exactly the output of
// libjpeg-turbo's default "islow" IDCT (the LL&M algorithm with 13-bit
// constants; its C and SSE2 versions agree): a first pass down each column
// keeping PASS1_BITS extra bits, a second along each row, each rounded by
// adding half and shifting, then the level shift and a clamp to 0..255.
//
// The SIMD build does four 1-D transforms per vector, one per i32 lane with
// its inputs as i16 pairs, the rotations as i32x4.dot_i16x8_s of those
// pairs: each pair (p, q) times a
// constant pair (c, d) gives p c + q d exactly in i32, so libjpeg's
// z1 = (z2 + z3) * c sums are rewritten as two-term dot products
// (integer arithmetic: the same value). The coefficients arrive already
// interleaved (entropy.ts places them, `islowOffset`), so the first pass
// needs no shuffles; its outputs leave it interleaved for the second.
//
// Overflow (only corrupt data or absurd quantisation gets there) follows
// the SSE2 version, in both builds: the dequantised coefficients are stored
// as i16 (wrapping, as pmullw), a0 + a4, a0 - a4 and the odd part's z3, z4
// wrap in i16 (paddw), the first pass saturates to i16 (packssdw) except
// in its shortcut for blocks whose only non-zero coefficients are in the
// first row (a0 << 2, wrapping as psllw), and the second pass saturates
// to -128..127 before the level shift. (One difference is left: the SSE2
// shortcut tests the coefficients before dequantisation, this one after,
// so a non-zero coefficient whose product wraps to 0 takes the shortcut
// here; the two differ only when the first row then overflows i16 << 2.)
// libjpeg-turbo's C version instead computes in wider integers and wraps
// its final value into a 1024-entry range table.
import { block } from "./entropy";

const CONST_BITS = 13;
const PASS1_BITS = 2;

// libjpeg's FIX(x) = round(x 2^13)
const F_0_298631336: i32 = 2446;
const F_0_390180644: i32 = 3196;
const F_0_541196100: i32 = 4433;
const F_0_765366865: i32 = 6270;
const F_0_899976223: i32 = 7373;
const F_1_175875602: i32 = 9633;
const F_1_501321110: i32 = 12299;
const F_1_847759065: i32 = 15137;
const F_1_961570560: i32 = 16069;
const F_2_053119869: i32 = 16819;
const F_2_562915447: i32 = 20995;
const F_3_072711026: i32 = 25172;

// The rotations as pairs. Even part, inputs (a0, a4) and (a2, a6):
//   tmp0 = (a0 + a4) << 13, tmp1 = (a0 - a4) << 13
//   tmp3 = a2 (0.541 + 0.765) + a6 0.541, tmp2 = a2 0.541 + a6 (0.541 - 1.848)
const E_SUM_A: i32 = 1 << CONST_BITS, E_SUM_B: i32 = 1 << CONST_BITS;
const E_DIF_A: i32 = 1 << CONST_BITS, E_DIF_B: i32 = -(1 << CONST_BITS);
const E3_A: i32 = F_0_541196100 + F_0_765366865, E3_B: i32 = F_0_541196100;
const E2_A: i32 = F_0_541196100, E2_B: i32 = F_0_541196100 - F_1_847759065;
// Odd part, inputs (a7, a1), (a3, a5) and (z3, z4) = (a7 + a3, a1 + a5):
//   z5 = (z3 + z4) 1.176; z3' = z3 (-1.962) + z5; z4' = z4 (-0.390) + z5
//   tmp0 = a7 0.299 - (a7 + a1) 0.900 + z3', tmp3 = a1 1.501 - (a7 + a1) 0.900 + z4'
//   tmp1 = a5 2.053 - (a5 + a3) 2.563 + z4', tmp2 = a3 3.073 - (a5 + a3) 2.563 + z3'
const Z3_A: i32 = F_1_175875602 - F_1_961570560, Z3_B: i32 = F_1_175875602;
const Z4_A: i32 = F_1_175875602, Z4_B: i32 = F_1_175875602 - F_0_390180644;
const O0_A: i32 = F_0_298631336 - F_0_899976223, O0_B: i32 = -F_0_899976223;
const O3_A: i32 = -F_0_899976223, O3_B: i32 = F_1_501321110 - F_0_899976223;
const O1_A: i32 = -F_2_562915447, O1_B: i32 = F_2_053119869 - F_2_562915447; // pair (a3, a5)
const O2_A: i32 = F_3_072711026 - F_2_562915447, O2_B: i32 = -F_2_562915447;

const SHIFT1: i32 = CONST_BITS - PASS1_BITS;
const BIAS1: i32 = 1 << (SHIFT1 - 1);
const SHIFT2: i32 = CONST_BITS + PASS1_BITS + 3;
const BIAS2: i32 = 1 << (SHIFT2 - 1);

// Coefficient layout of the SIMD build, 8 vectors of 16 bytes: pair kind
// (a0, a4), (a2, a6), (a7, a1), (a3, a5) of vertical frequencies, times two
// halves of horizontal frequencies, in lane order u = 0 4 2 6 | 7 1 3 5 so
// that the first pass's outputs pair up the same way along the rows.
// Vector (kind * 2 + half), i16 lane (2 * (lane in half) + member).
// The scalar build uses natural order, v * 8 + u.
export function islowOffset(v: i32, u: i32): i32 {
  if (!ASC_FEATURE_SIMD) return (v * 8 + u) << 1;
  const lane = u == 0 ? 0 : u == 4 ? 1 : u == 2 ? 2 : u == 6 ? 3 : u == 7 ? 4 : u == 1 ? 5 : u == 3 ? 6 : 7;
  const kind = v == 0 || v == 4 ? 0 : v == 2 || v == 6 ? 1 : v == 7 || v == 1 ? 2 : 3;
  const member = v == 4 || v == 6 || v == 1 || v == 5 ? 1 : 0;
  return ((kind * 2 + (lane >> 2)) << 4) + (((lane & 3) * 2 + member) << 1);
}

const work = memory.data(128, 16);

// Writes the 8x8 block of i16 coefficients (dequantised) at dst, then zeroes it.
export function islowBlock(last: i32, dst: usize, stride: i32): void {
  if (last == 0) {
    // DC only: the first pass's shortcut gives w = dc << 2 (i16) in every
    // row, the second (w 2^13 + 2^17) >> 18 = (w + 16) >> 5 everywhere
    const x = (<i32><i16>(<i32>load<i16>(block) << PASS1_BITS) + 16) >> 5;
    const row = <u64>((x < -128 ? -128 : x > 127 ? 127 : x) + 128) * 0x0101010101010101;
    for (let y = 0; y < 8; y++) store<u64>(dst + y * stride, row);
    store<i16>(block, 0);
    return;
  }
  if (ASC_FEATURE_SIMD) {
    const p04lo = v128.load(block), p04hi = v128.load(block, 16);
    const rest = v128.or(v128.or(v128.or(v128.load(block, 32), v128.load(block, 48)), v128.or(v128.load(block, 64), v128.load(block, 80))),
      v128.or(v128.or(v128.load(block, 96), v128.load(block, 112)), v128.and(v128.or(p04lo, p04hi), i32x4.splat(0xffff0000))));
    if (!v128.any_true(rest)) {
      // Only the first row (a0 lanes of p04): every row of the first
      // pass's output is a0 << 2, so the second pass's pair vectors repeat
      // one row's pairs and its rows 4-7 equal rows 0-3.
      const lo = i16x8.shl(p04lo, PASS1_BITS), hi = i16x8.shl(p04hi, PASS1_BITS);
      v128.store(work, v128.shuffle<i16>(lo, lo, 0, 2, 0, 2, 0, 2, 0, 2));
      v128.store(work, v128.shuffle<i16>(lo, lo, 4, 6, 4, 6, 4, 6, 4, 6), 32);
      v128.store(work, v128.shuffle<i16>(hi, hi, 0, 2, 0, 2, 0, 2, 0, 2), 64);
      v128.store(work, v128.shuffle<i16>(hi, hi, 4, 6, 4, 6, 4, 6, 4, 6), 96);
      transform4(work, true, dst, stride);
      for (let y = 0; y < 4; y++) store<u64>(dst + (y + 4) * stride, load<u64>(dst + y * stride));
    } else {
      transform4(block, false, work, 0); // horizontal frequencies 0 4 2 6
      transform4(block + 16, false, work + 64, 0); // 7 1 3 5
      transform4(work, true, dst, stride); // rows 0-3
      transform4(work + 16, true, dst + 4 * stride, stride);
    }
    const zero = i32x4.splat(0);
    for (let i = 0; i < 128; i += 16) v128.store(block + i, zero);
  } else {
    islowScalar(dst, stride);
    for (let i = 0; i < 128; i += 8) store<u64>(block + i, 0);
  }
}

// ---- SIMD build ----

@inline function pairs(a: i32, b: i32): v128 {
  return i32x4.splat((b << 16) | (a & 0xffff));
}

// Four 1-D transforms, one per i32 lane, of the pair vectors at src,
// src + 32, src + 64, src + 96 (a0 a4, a2 a6, a7 a1, a3 a5).
// First pass (`final` false): the transforms are columns of one half of
// the horizontal frequencies; outputs y = 0..7 are narrowed to i16 and
// regrouped as the second pass's pair vectors (rows in the i32 lanes):
// dst + 0 and + 16 the first pair of the half (rows 0-3, 4-7), dst + 32
// and + 48 the second.
// Second pass (`final` true): the transforms are rows dst's 0..3; outputs
// x = 0..7 are clamped to bytes, transposed and stored as four rows of 8.
@inline function transform4(src: usize, final: bool, dst: usize, stride: i32): void {
  const p04 = v128.load(src), p26 = v128.load(src, 32), p71 = v128.load(src, 64), p35 = v128.load(src, 96);
  const bias = i32x4.splat(final ? BIAS2 : BIAS1);
  const shift = final ? SHIFT2 : SHIFT1;
  // (a0 +- a4) << 13, with the sum wrapped to i16 (as paddw): shifting
  // left 3 then right 3 keeps its low 16 bits, sign-extended
  const t0 = i32x4.add(i32x4.shr_s(i32x4.shl(i32x4.dot_i16x8_s(p04, pairs(E_SUM_A, E_SUM_B)), 3), 3), bias);
  const t1 = i32x4.add(i32x4.shr_s(i32x4.shl(i32x4.dot_i16x8_s(p04, pairs(E_DIF_A, E_DIF_B)), 3), 3), bias);
  const t3 = i32x4.dot_i16x8_s(p26, pairs(E3_A, E3_B));
  const t2 = i32x4.dot_i16x8_s(p26, pairs(E2_A, E2_B));
  const e10 = i32x4.add(t0, t3), e13 = i32x4.sub(t0, t3);
  const e11 = i32x4.add(t1, t2), e12 = i32x4.sub(t1, t2);
  const z = i16x8.add(p71, p35); // (z3, z4), wrapping in i16 as SSE2's paddw
  const z3 = i32x4.dot_i16x8_s(z, pairs(Z3_A, Z3_B));
  const z4 = i32x4.dot_i16x8_s(z, pairs(Z4_A, Z4_B));
  const o0 = i32x4.add(i32x4.dot_i16x8_s(p71, pairs(O0_A, O0_B)), z3);
  const o3 = i32x4.add(i32x4.dot_i16x8_s(p71, pairs(O3_A, O3_B)), z4);
  const o1 = i32x4.add(i32x4.dot_i16x8_s(p35, pairs(O1_A, O1_B)), z4);
  const o2 = i32x4.add(i32x4.dot_i16x8_s(p35, pairs(O2_A, O2_B)), z3);
  const y0 = i32x4.shr_s(i32x4.add(e10, o3), shift);
  const y1 = i32x4.shr_s(i32x4.add(e11, o2), shift);
  const y2 = i32x4.shr_s(i32x4.add(e12, o1), shift);
  const y3 = i32x4.shr_s(i32x4.add(e13, o0), shift);
  const y4 = i32x4.shr_s(i32x4.sub(e13, o0), shift);
  const y5 = i32x4.shr_s(i32x4.sub(e12, o1), shift);
  const y6 = i32x4.shr_s(i32x4.sub(e11, o2), shift);
  const y7 = i32x4.shr_s(i32x4.sub(e10, o3), shift);
  if (!final) {
    // i16 lanes of narrow(y, y + 1): the two pairs of row y, then of row y + 1
    const n01 = i16x8.narrow_i32x4_s(y0, y1), n23 = i16x8.narrow_i32x4_s(y2, y3);
    const n45 = i16x8.narrow_i32x4_s(y4, y5), n67 = i16x8.narrow_i32x4_s(y6, y7);
    v128.store(dst, v128.shuffle<i32>(n01, n23, 0, 2, 4, 6));
    v128.store(dst, v128.shuffle<i32>(n45, n67, 0, 2, 4, 6), 16);
    v128.store(dst, v128.shuffle<i32>(n01, n23, 1, 3, 5, 7), 32);
    v128.store(dst, v128.shuffle<i32>(n45, n67, 1, 3, 5, 7), 48);
  } else {
    // bytes x * 4 + row, saturated to -128..127, then transposed to
    // row * 4 + x and level-shifted (+128 is flipping the top bit)
    const left = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(y0, y1), i16x8.narrow_i32x4_s(y2, y3));
    const right = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(y4, y5), i16x8.narrow_i32x4_s(y6, y7));
    const l = v128.shuffle<u8>(left, left, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    const r = v128.shuffle<u8>(right, right, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    const shift = i8x16.splat(-128);
    const rows01 = v128.xor(v128.shuffle<i32>(l, r, 0, 4, 1, 5), shift);
    const rows23 = v128.xor(v128.shuffle<i32>(l, r, 2, 6, 3, 7), shift);
    v128.store64_lane(dst, rows01, 0);
    v128.store64_lane(dst + stride, rows01, 1);
    v128.store64_lane(dst + 2 * stride, rows23, 0);
    v128.store64_lane(dst + 3 * stride, rows23, 1);
  }
}

// ---- scalar build: the same arithmetic, one 1-D transform at a time ----

const ws = memory.data(64 * 4, 16);

@inline function sat16(x: i32): i32 {
  return x < -32768 ? -32768 : x > 32767 ? 32767 : x;
}

// 1-D transform of the i32 values at src[0, step, ..., 7 step]; output k
// (shifted) to dst + k dstep, as i32 (pass 1, saturated to i16) or as a
// clamped byte (pass 2).
@inline function islowLine(src: usize, step: usize, wide: bool, dst: usize, dstep: usize, final: bool): void {
  let a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32, a6: i32, a7: i32;
  if (wide) {
    a0 = load<i32>(src); a1 = load<i32>(src + step); a2 = load<i32>(src + 2 * step); a3 = load<i32>(src + 3 * step);
    a4 = load<i32>(src + 4 * step); a5 = load<i32>(src + 5 * step); a6 = load<i32>(src + 6 * step); a7 = load<i32>(src + 7 * step);
  } else {
    a0 = load<i16>(src); a1 = load<i16>(src + step); a2 = load<i16>(src + 2 * step); a3 = load<i16>(src + 3 * step);
    a4 = load<i16>(src + 4 * step); a5 = load<i16>(src + 5 * step); a6 = load<i16>(src + 6 * step); a7 = load<i16>(src + 7 * step);
  }
  const bias = final ? BIAS2 : BIAS1;
  const shift = final ? SHIFT2 : SHIFT1;
  const t0 = (<i32><i16>(a0 + a4) << CONST_BITS) + bias;
  const t1 = (<i32><i16>(a0 - a4) << CONST_BITS) + bias;
  const t3 = a2 * E3_A + a6 * E3_B;
  const t2 = a2 * E2_A + a6 * E2_B;
  const e10 = t0 + t3, e13 = t0 - t3, e11 = t1 + t2, e12 = t1 - t2;
  const zs3 = <i32><i16>(a7 + a3), zs4 = <i32><i16>(a1 + a5);
  const z3 = zs3 * Z3_A + zs4 * Z3_B;
  const z4 = zs3 * Z4_A + zs4 * Z4_B;
  const o0 = a7 * O0_A + a1 * O0_B + z3;
  const o3 = a7 * O3_A + a1 * O3_B + z4;
  const o1 = a3 * O1_A + a5 * O1_B + z4;
  const o2 = a3 * O2_A + a5 * O2_B + z3;
  putLine(dst, 0, (e10 + o3) >> shift, final);
  putLine(dst, dstep, (e11 + o2) >> shift, final);
  putLine(dst, 2 * dstep, (e12 + o1) >> shift, final);
  putLine(dst, 3 * dstep, (e13 + o0) >> shift, final);
  putLine(dst, 4 * dstep, (e13 - o0) >> shift, final);
  putLine(dst, 5 * dstep, (e12 - o1) >> shift, final);
  putLine(dst, 6 * dstep, (e11 - o2) >> shift, final);
  putLine(dst, 7 * dstep, (e10 - o3) >> shift, final);
}

@inline function putLine(dst: usize, at: usize, x: i32, final: bool): void {
  if (final) store<u8>(dst + at, (x < -128 ? -128 : x > 127 ? 127 : x) + 128);
  else store<i32>(dst + at, sat16(x));
}

function islowScalar(dst: usize, stride: i32): void {
  // columns u: down v, into ws[y * 8 + u]; the SIMD build's shortcut when
  // only the first row is non-zero (a0 << 2 in i16, not saturated)
  let rest: u64 = 0;
  for (let i = 16; i < 128; i += 8) rest |= load<u64>(block + i);
  if (rest == 0) {
    for (let u = 0; u < 8; u++) {
      const w = <i32><i16>(<i32>load<i16>(block + (u << 1)) << PASS1_BITS);
      for (let y = 0; y < 8; y++) store<i32>(ws + ((y * 8 + u) << 2), w);
    }
  } else {
    for (let u = 0; u < 8; u++) islowLine(block + (u << 1), 16, false, ws + (u << 2), 32, false);
  }
  // rows y: along u, to the pixels
  for (let y = 0; y < 8; y++) islowLine(ws + (y << 5), 4, true, dst + y * stride, 1, true);
}
