// Reduced-size inverse DCTs (T.81 A.3.3) in f32, separable, with the
// even/odd split f(x) +- f(N-1-x) in each 1-D transform:
//   f(x) = sum_u (1/2) C(u) G(u) cos((2x + 1) u pi / (2N)),  C(0) = 1/sqrt(2).
// (The full 8x8 size is islow.ts, in integers.) A reduced block
// (N = 4, 2, 1) is the exact mean of each s x s cell of the full 8x8 IDCT
// (before rounding): averaging cells turns each full-size basis function
// into a multiple of an N-point one, so the N-point transform runs on
// folded coefficients G (derivation in docs/decode.md):
//   N = 4: G(0) = F(0), G(k) = F(k) cos(k pi/16) - F(8-k) sin(k pi/16), k = 1..3
//   N = 2: G(0) = F(0), G(1) = D1 F(1) - D3 F(3) - D5 F(5) + D7 F(7),
//          Du = (cos(u pi/16) + cos(3u pi/16)) / 2
//   N = 1: G(0) = F(0)
// applied along both axes. The weights (foldWeight) are multiplied into the
// dequantisation table, so folding here is only sums of mirrored entries.
import { block } from "./entropy";

const M0: f32 = 0.353553391; // (1/2) C(0) = cos(pi/4) / 2
const A: f32 = 0.461939766; // cos(pi/8) / 2
const B: f32 = 0.191341716; // cos(3pi/8) / 2

const C1: f32 = 0.98078528; // cos(k pi/16), sin(k pi/16)
const S1: f32 = 0.195090322;
const C2: f32 = 0.923879533;
const S2: f32 = 0.382683432;
const C3: f32 = 0.831469612;
const S3: f32 = 0.555570233;
const D1: f32 = 0.906127446;
const D3: f32 = 0.318189645;
const D5: f32 = -0.212607524;
const D7: f32 = -0.180239956;

// The level shift (+128, T.81 A.3.1) and the +0.5 of rounding, as a DC
// term: a DC of d adds d/8 to every sample of every block size.
export const DC_BIAS: f32 = 1028;

const pass = memory.data(64 * 4, 16);
const turned = memory.data(64 * 4, 16);

@inline function toByte(v: f32): u8 {
  const i = <i32>v; // truncation; the bias made it round-to-nearest
  return <u8>(i < 0 ? 0 : i > 255 ? 255 : i);
}

// Writes the block as an N x N tile at dst (N = 4, 2 or 1), then zeroes the block.
// `last` is the zigzag index of the last non-zero coefficient.
export function idctBlock(last: i32, n: i32, dst: usize, stride: i32): void {
  store<f32>(block, load<f32>(block) + DC_BIAS);
  if (last == 0 || n == 1) {
    fillDc(n, dst, stride);
    store<f32>(block, 0);
    if (last != 0) clearBlock();
    return;
  }
  if (n == 4) {
    if (last >= 10) foldHalf(); // zigzag 0..9 all lie in the top-left 4x4
    if (ASC_FEATURE_SIMD) idct4Simd(dst, stride);
    else idct4Scalar(dst, stride);
  } else {
    foldQuarter();
    idct2(dst, stride);
  }
  clearBlock();
}

// Explicit stores: memory.fill is a runtime call in engines, slow for 256 bytes.
@inline function clearBlock(): void {
  if (ASC_FEATURE_SIMD) {
    const zero = i32x4.splat(0);
    for (let i = 0; i < 256; i += 16) v128.store(block + i, zero);
  } else {
    for (let i = 0; i < 256; i += 8) store<u64>(block + i, 0);
  }
}

function fillDc(n: i32, dst: usize, stride: i32): void {
  const v = toByte(load<f32>(block) * 0.125);
  if (n == 4) {
    const row = <u32>v * 0x01010101;
    for (let y = 0; y < 4; y++) store<u32>(dst + y * stride, row);
  } else if (n == 2) {
    const row = <u16>(<u16>v * 0x0101);
    store<u16>(dst, row);
    store<u16>(dst + stride, row);
  } else {
    store<u8>(dst, v);
  }
}

// Weight of frequency f (0..7) in the folded coefficients of an N-point output.
export function foldWeight(n: i32, f: i32): f32 {
  if (n == 4) {
    if (f == 0) return 1;
    if (f == 4) return 0; // cos((2m+1) 4 pi / 8) = 0
    if (f < 4) return f == 1 ? C1 : f == 2 ? C2 : C3;
    return f == 5 ? -S3 : f == 6 ? -S2 : -S1; // F(8-k) enters as -sin(k pi/16)
  }
  if (n == 2) {
    if (f == 0) return 1;
    if ((f & 1) == 0) return 0; // even frequencies vanish in 2-point cells
    return f == 1 ? D1 : f == 3 ? -D3 : f == 5 ? -D5 : D7;
  }
  return 1;
}

// N = 4: G(u, v) = sum of the weighted F over u and 8 - u, v and 8 - v.
// Only needed when a coefficient outside the top-left 4x4 is non-zero.
function foldHalf(): void {
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    for (let u = 0; u < 8; u++) {
      const row = block + (u << 5);
      // lanes v = 0..3 gain F(u, 8 - v): 0, F(u,7), F(u,6), F(u,5)
      v128.store(row, f32x4.add(v128.load(row), v128.shuffle<f32>(v128.load(row + 16), zero, 4, 3, 2, 1)));
    }
    for (let k = 1; k < 4; k++) {
      const row = block + (k << 5);
      v128.store(row, f32x4.add(v128.load(row), v128.load(block + ((8 - k) << 5))));
    }
  } else {
    for (let u = 0; u < 8; u++) {
      const row = block + (u << 5);
      for (let v = 1; v < 4; v++) store<f32>(row + (v << 2), load<f32>(row + (v << 2)) + load<f32>(row + ((8 - v) << 2)));
    }
    for (let k = 1; k < 4; k++) {
      for (let v = 0; v < 4; v++) {
        const at = block + (k << 5) + (v << 2);
        store<f32>(at, load<f32>(at) + load<f32>(block + ((8 - k) << 5) + (v << 2)));
      }
    }
  }
}

// N = 2: G(u, 1) = sum over odd v, then G(1, v) = sum over odd u.
function foldQuarter(): void {
  for (let u = 1; u < 8; u += 2) {
    const row = block + (u << 5);
    store<f32>(row + 4, load<f32>(row + 4) + load<f32>(row + 12) + load<f32>(row + 20) + load<f32>(row + 28));
  }
  store<f32>(block + 4, load<f32>(block + 4) + load<f32>(block + 12) + load<f32>(block + 20) + load<f32>(block + 28));
  for (let v = 0; v < 2; v++) {
    const col = block + (v << 2);
    store<f32>(col + 32, load<f32>(col + 32) + load<f32>(col + 96) + load<f32>(col + 160) + load<f32>(col + 224));
  }
}

function idct2(dst: usize, stride: i32): void {
  // coefficients F(u, v) at [u * 8 + v]
  const f00 = load<f32>(block), f01 = load<f32>(block, 4);
  const f10 = load<f32>(block, 32), f11 = load<f32>(block, 36);
  const c0 = M0 * (f00 + f01), c1 = M0 * (f00 - f01); // column u = 0 at y = 0, 1
  const d0 = M0 * (f10 + f11), d1 = M0 * (f10 - f11); // column u = 1
  store<u8>(dst, toByte(M0 * (c0 + d0)));
  store<u8>(dst + 1, toByte(M0 * (c0 - d0)));
  store<u8>(dst + stride, toByte(M0 * (c1 + d1)));
  store<u8>(dst + stride + 1, toByte(M0 * (c1 - d1)));
}

// ---- scalar build ----

@inline function idct4Line(src: usize, step: usize, dst: usize, dstep: usize): void {
  const a0 = load<f32>(src), a1 = load<f32>(src + step), a2 = load<f32>(src + 2 * step), a3 = load<f32>(src + 3 * step);
  const e0 = M0 * (a0 + a2), e1 = M0 * (a0 - a2);
  const o0 = A * a1 + B * a3, o1 = B * a1 - A * a3;
  store<f32>(dst, e0 + o0);
  store<f32>(dst + dstep, e1 + o1);
  store<f32>(dst + 2 * dstep, e1 - o1);
  store<f32>(dst + 3 * dstep, e0 - o0);
}

function idct4Scalar(dst: usize, stride: i32): void {
  for (let v = 0; v < 4; v++) idct4Line(block + (v << 2), 32, pass + (v << 2), 32);
  for (let x = 0; x < 4; x++) idct4Line(pass + (x << 5), 4, turned + (x << 2), 32);
  for (let y = 0; y < 4; y++) {
    for (let x = 0; x < 4; x++) store<u8>(dst + y * stride + x, toByte(load<f32>(turned + ((y * 8 + x) << 2))));
  }
}

// ---- SIMD build: four 1-D transforms per f32x4 ----

@inline function idct4Vectors(src: usize, step: usize, dst: usize, dstep: usize): void {
  const a0 = v128.load(src), a1 = v128.load(src + step), a2 = v128.load(src + 2 * step), a3 = v128.load(src + 3 * step);
  const m0 = f32x4.splat(M0), ka = f32x4.splat(A), kb = f32x4.splat(B);
  const e0 = f32x4.mul(m0, f32x4.add(a0, a2)), e1 = f32x4.mul(m0, f32x4.sub(a0, a2));
  const o0 = f32x4.add(f32x4.mul(ka, a1), f32x4.mul(kb, a3));
  const o1 = f32x4.sub(f32x4.mul(kb, a1), f32x4.mul(ka, a3));
  v128.store(dst, f32x4.add(e0, o0));
  v128.store(dst + dstep, f32x4.add(e1, o1));
  v128.store(dst + 2 * dstep, f32x4.sub(e1, o1));
  v128.store(dst + 3 * dstep, f32x4.sub(e0, o0));
}

// Transposes the 4x4 f32 tile of four vectors at src (step bytes apart) to dst.
@inline function transpose4(src: usize, step: usize, dst: usize, dstep: usize): void {
  const r0 = v128.load(src), r1 = v128.load(src + step), r2 = v128.load(src + 2 * step), r3 = v128.load(src + 3 * step);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f64>(t0, t1, 0, 2));
  v128.store(dst + dstep, v128.shuffle<f64>(t0, t1, 1, 3));
  v128.store(dst + 2 * dstep, v128.shuffle<f64>(t2, t3, 0, 2));
  v128.store(dst + 3 * dstep, v128.shuffle<f64>(t2, t3, 1, 3));
}

function idct4Simd(dst: usize, stride: i32): void {
  idct4Vectors(block, 32, pass, 16);
  transpose4(pass, 16, turned, 16);
  idct4Vectors(turned, 16, pass, 16);
  for (let y = 0; y < 4; y++) {
    const w = i32x4.trunc_sat_f32x4_s(v128.load(pass + (y << 4)));
    const words = i16x8.narrow_i32x4_s(w, w);
    v128.store32_lane(dst + y * stride, i8x16.narrow_i16x8_u(words, words), 0);
  }
}
