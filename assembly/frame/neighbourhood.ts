// The neighbourhood pass over luma rows: Laplacian moments (sharpness), Sobel
// magnitude (edge density, mean gradient) and Immerkær's noise estimate, for
// the interior pixels of the middle row of three.
import { EDGE_THRESHOLD, setScalar, feature_sharpness, feature_edge_density,
  feature_gradient_mean, feature_noise_sigma } from "./layout";
import { exactVariance } from "../util/exact-variance";
import { laneSum } from "../util/lane-sums";

let sumLap: i64 = 0, sumLap2: u64 = 0, sumImm: u64 = 0, edges: u64 = 0;
let sumGrad: f64 = 0;

// The f64 gradient lanes persist across rows in static memory; the SIMD loop
// keeps every accumulator in locals, since an accumulator updated through
// memory chains each update to the previous one through store-to-load
// forwarding (four gradient updates per 16 pixels).
const gradLanes = memory.data(16, 16);

const EDGE_T2: i32 = EDGE_THRESHOLD * EDGE_THRESHOLD;

export function neighbourhoodReset(): void {
  sumLap = 0; sumLap2 = 0; sumImm = 0; edges = 0; sumGrad = 0;
  memory.fill(gradLanes, 0, 16);
}

// The 3x3 terms of 8 output pixels from their neighbourhoods as i16 lanes.
@inline function crossOf(n: v128, w: v128, e: v128, s: v128): v128 {
  return i16x8.add(i16x8.add(n, s), i16x8.add(w, e));
}

@inline function lapOf(n: v128, w: v128, c: v128, e: v128, s: v128): v128 {
  return i16x8.sub(crossOf(n, w, e, s), i16x8.shl(c, 2));
}

@inline function immOf(nw: v128, n: v128, ne: v128, w: v128, c: v128, e: v128, sw: v128, s: v128, se: v128): v128 {
  const corners = i16x8.add(i16x8.add(nw, ne), i16x8.add(sw, se));
  return i16x8.add(i16x8.sub(corners, i16x8.shl(crossOf(n, w, e, s), 1)), i16x8.shl(c, 2));
}

// Gx = (SE - NW) + (NE - SW) + 2 (E - W), Gy = (SE - NW) - (NE - SW) + 2 (S - N).
@inline function gxOf(nw: v128, ne: v128, w: v128, e: v128, sw: v128, se: v128): v128 {
  return i16x8.add(i16x8.add(i16x8.sub(se, nw), i16x8.sub(ne, sw)), i16x8.shl(i16x8.sub(e, w), 1));
}

@inline function gyOf(nw: v128, n: v128, ne: v128, sw: v128, s: v128, se: v128): v128 {
  return i16x8.add(i16x8.sub(i16x8.sub(se, nw), i16x8.sub(ne, sw)), i16x8.shl(i16x8.sub(s, n), 1));
}

// gx² + gy² of four pixels: (gx, gy) pairs interleaved, each lane a dot
// product (pmaddwd; |gx|, |gy| <= 1020, so the i32 sums are exact).
@inline function mag2Low(gx: v128, gy: v128): v128 {
  const pairs = v128.shuffle<u16>(gx, gy, 0, 8, 1, 9, 2, 10, 3, 11);
  return i32x4.dot_i16x8_s(pairs, pairs);
}

@inline function mag2High(gx: v128, gy: v128): v128 {
  const pairs = v128.shuffle<u16>(gx, gy, 4, 12, 5, 13, 6, 14, 7, 15);
  return i32x4.dot_i16x8_s(pairs, pairs);
}

@inline function edgeCount(acc: v128, mag2: v128): v128 {
  return i32x4.sub(acc, i32x4.gt_s(mag2, i32x4.splat(EDGE_T2)));
}

// Adds sqrt(mag2) of four pixels to the two f64 lanes: lane 0 gains
// pixels 0 and 2, lane 1 pixels 1 and 3.
@inline function gradAdd(acc: v128, mag2: v128): v128 {
  const g = f32x4.sqrt(f32x4.convert_i32x4_s(mag2));
  return f64x2.add(acc, f64x2.add(f64x2.promote_low_f32x4(g), f64x2.promote_low_f32x4(v128.shuffle<u32>(g, g, 2, 3, 0, 1))));
}

@inline function px(row: usize, x: i32): i32 {
  return <i32>load<u8>(row + <usize>x);
}

function neighbourhoodPixel(up: usize, mid: usize, down: usize, x: i32): void {
  const nw = px(up, x - 1), n = px(up, x), ne = px(up, x + 1);
  const w = px(mid, x - 1), c = px(mid, x), e = px(mid, x + 1);
  const sw = px(down, x - 1), s = px(down, x), se = px(down, x + 1);
  const cross = n + s + w + e;
  const lap = cross - 4 * c;
  sumLap += <i64>lap; sumLap2 += <u64>(lap * lap);
  const imm = nw + ne + sw + se - 2 * cross + 4 * c;
  sumImm += <u64>(imm < 0 ? -imm : imm);
  const gx = ne + 2 * e + se - nw - 2 * w - sw;
  const gy = sw + 2 * s + se - nw - 2 * n - ne;
  const mag2 = gx * gx + gy * gy;
  if (mag2 > EDGE_T2) edges++;
  sumGrad += <f64>Mathf.sqrt(<f32>mag2);
}

@inline function lo(v: v128): v128 { return i16x8.extend_low_i8x16_u(v); }
@inline function hi(v: v128): v128 { return i16x8.extend_high_i8x16_u(v); }

// Interior pixels x = 1 .. width-2 of the row `mid`.
export function neighbourhoodRow(up: usize, mid: usize, down: usize, width: i32): void {
  let x = 1;
  if (ASC_FEATURE_SIMD) {
    let grad = v128.load(gradLanes);
    // 16 outputs at x..x+15 read bytes x-1 .. x+16, all inside the row.
    while (x + 17 <= width) {
      const segmentEnd = min(width, x + 4096);
      let lapAcc = i32x4.splat(0), lap2Acc = i32x4.splat(0), immAcc = i32x4.splat(0), edgeAcc = i32x4.splat(0);
      for (; x + 17 <= segmentEnd; x += 16) {
        const o = <usize>x;
        const nw8 = v128.load(up + o - 1), n8 = v128.load(up + o), ne8 = v128.load(up + o + 1);
        const w8 = v128.load(mid + o - 1), c8 = v128.load(mid + o), e8 = v128.load(mid + o + 1);
        const sw8 = v128.load(down + o - 1), s8 = v128.load(down + o), se8 = v128.load(down + o + 1);
        const lapL = lapOf(lo(n8), lo(w8), lo(c8), lo(e8), lo(s8));
        const lapH = lapOf(hi(n8), hi(w8), hi(c8), hi(e8), hi(s8));
        const immL = immOf(lo(nw8), lo(n8), lo(ne8), lo(w8), lo(c8), lo(e8), lo(sw8), lo(s8), lo(se8));
        const immH = immOf(hi(nw8), hi(n8), hi(ne8), hi(w8), hi(c8), hi(e8), hi(sw8), hi(s8), hi(se8));
        const gxL = gxOf(lo(nw8), lo(ne8), lo(w8), lo(e8), lo(sw8), lo(se8));
        const gyL = gyOf(lo(nw8), lo(n8), lo(ne8), lo(sw8), lo(s8), lo(se8));
        const gxH = gxOf(hi(nw8), hi(ne8), hi(w8), hi(e8), hi(sw8), hi(se8));
        const gyH = gyOf(hi(nw8), hi(n8), hi(ne8), hi(sw8), hi(s8), hi(se8));
        lapAcc = i32x4.add(lapAcc, i32x4.add(i32x4.extadd_pairwise_i16x8_s(lapL), i32x4.extadd_pairwise_i16x8_s(lapH)));
        lap2Acc = i32x4.add(lap2Acc, i32x4.add(i32x4.dot_i16x8_s(lapL, lapL), i32x4.dot_i16x8_s(lapH, lapH)));
        immAcc = i32x4.add(immAcc, i32x4.add(i32x4.extadd_pairwise_i16x8_s(i16x8.abs(immL)), i32x4.extadd_pairwise_i16x8_s(i16x8.abs(immH))));
        const m0 = mag2Low(gxL, gyL), m1 = mag2High(gxL, gyL), m2 = mag2Low(gxH, gyH), m3 = mag2High(gxH, gyH);
        edgeAcc = edgeCount(edgeCount(edgeCount(edgeCount(edgeAcc, m0), m1), m2), m3);
        // in pixel order, as the lanes were always summed
        grad = gradAdd(gradAdd(gradAdd(gradAdd(grad, m0), m1), m2), m3);
      }
      sumLap += laneSum(lapAcc); sumLap2 += <u64>laneSum(lap2Acc);
      sumImm += <u64>laneSum(immAcc); edges += <u64>laneSum(edgeAcc);
    }
    v128.store(gradLanes, grad);
  }
  for (; x < width - 1; x++) neighbourhoodPixel(up, mid, down, x);
}

export function neighbourhoodFinish(out: usize, width: i32, height: i32): void {
  const interior: u64 = width >= 3 && height >= 3 ? <u64>(width - 2) * <u64>(height - 2) : 0;
  if (interior == 0) {
    setScalar(out, feature_sharpness, 0);
    setScalar(out, feature_edge_density, 0);
    setScalar(out, feature_gradient_mean, 0);
    setScalar(out, feature_noise_sigma, 0);
    return;
  }
  const grad = sumGrad + load<f64>(gradLanes) + load<f64>(gradLanes, 8);
  const nf = <f64>interior;
  setScalar(out, feature_sharpness, exactVariance(interior, sumLap, sumLap2));
  setScalar(out, feature_edge_density, <f64>edges / nf);
  setScalar(out, feature_gradient_mean, grad / nf);
  // Immerkær (1996): sigma = sqrt(pi/2) * sum|I*N| / (6 (W-2)(H-2)).
  setScalar(out, feature_noise_sigma, Math.sqrt(Math.PI / 2) * <f64>sumImm / (6 * nf));
}
