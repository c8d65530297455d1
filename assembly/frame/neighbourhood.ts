// The neighbourhood pass over luma rows: Laplacian moments (sharpness), Sobel
// magnitude (edge density, mean gradient) and Immerkær's noise estimate, for
// the interior pixels of the middle row of three.
import { EDGE_THRESHOLD, setScalar, feature_sharpness, feature_edge_density,
  feature_gradient_mean, feature_noise_sigma } from "./layout";
import { exactVariance } from "../util/exact-variance";
import { addLanes, takeLanes } from "../util/lane-sums";

let sumLap: i64 = 0, sumLap2: u64 = 0, sumImm: u64 = 0, edges: u64 = 0;
let sumGrad: f64 = 0;

// SIMD lane accumulators in static memory (see util/lane-sums.ts).
const lanes = memory.data(16 * 5, 16);
const L_LAP: usize = 0, L_LAP2: usize = 16, L_IMM: usize = 32, L_EDGES: usize = 48, L_GRAD: usize = 64;

const EDGE_T2: i32 = EDGE_THRESHOLD * EDGE_THRESHOLD;

export function neighbourhoodReset(): void {
  sumLap = 0; sumLap2 = 0; sumImm = 0; edges = 0; sumGrad = 0;
  memory.fill(lanes, 0, 16 * 5);
}

function flushLanes(): void {
  sumLap += takeLanes(lanes + L_LAP); sumLap2 += <u64>takeLanes(lanes + L_LAP2);
  sumImm += <u64>takeLanes(lanes + L_IMM); edges += <u64>takeLanes(lanes + L_EDGES);
}

@inline function gradLanes(mag2: v128): void {
  v128.store(lanes + L_EDGES, i32x4.sub(v128.load(lanes + L_EDGES), i32x4.gt_s(mag2, i32x4.splat(EDGE_T2))));
  const g = f32x4.sqrt(f32x4.convert_i32x4_s(mag2));
  v128.store(lanes + L_GRAD, f64x2.add(v128.load(lanes + L_GRAD), f64x2.add(f64x2.promote_low_f32x4(g),
    f64x2.promote_low_f32x4(v128.shuffle<u32>(g, g, 2, 3, 0, 1)))));
}

// 8 output pixels from the 3×3 neighbourhoods given as i16 lanes.
@inline function neighbourhood8(nw: v128, n: v128, ne: v128, w: v128, c: v128, e: v128,
                                 sw: v128, s: v128, se: v128): void {
  const cross = i16x8.add(i16x8.add(n, s), i16x8.add(w, e));
  const c4 = i16x8.shl(c, 2);
  const lap = i16x8.sub(cross, c4);
  const corners = i16x8.add(i16x8.add(nw, ne), i16x8.add(sw, se));
  const imm = i16x8.add(i16x8.sub(corners, i16x8.shl(cross, 1)), c4);
  // Gx = (SE - NW) + (NE - SW) + 2 (E - W), Gy = (SE - NW) - (NE - SW) + 2 (S - N).
  const diagonal = i16x8.sub(se, nw), antiDiagonal = i16x8.sub(ne, sw);
  const gx = i16x8.add(i16x8.add(diagonal, antiDiagonal), i16x8.shl(i16x8.sub(e, w), 1));
  const gy = i16x8.add(i16x8.sub(diagonal, antiDiagonal), i16x8.shl(i16x8.sub(s, n), 1));
  addLanes(lanes + L_LAP, i32x4.extadd_pairwise_i16x8_s(lap));
  addLanes(lanes + L_LAP2, i32x4.dot_i16x8_s(lap, lap));
  addLanes(lanes + L_IMM, i32x4.extadd_pairwise_i16x8_s(i16x8.abs(imm)));
  // gx² + gy² of pixels 0-3 and 4-7: (gx, gy) pairs interleaved, each lane a
  // dot product (pmaddwd; |gx|, |gy| <= 1020, so the i32 sums are exact).
  const lowPairs = v128.shuffle<u16>(gx, gy, 0, 8, 1, 9, 2, 10, 3, 11);
  const highPairs = v128.shuffle<u16>(gx, gy, 4, 12, 5, 13, 6, 14, 7, 15);
  gradLanes(i32x4.dot_i16x8_s(lowPairs, lowPairs));
  gradLanes(i32x4.dot_i16x8_s(highPairs, highPairs));
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
    // 16 outputs at x..x+15 read bytes x-1 .. x+16, all inside the row.
    while (x + 17 <= width) {
      const segmentEnd = min(width, x + 4096);
      for (; x + 17 <= segmentEnd; x += 16) {
        // Each of the nine shifted rows is loaded once; the accumulator
        // stores in between would stop the engine from merging repeated loads.
        const o = <usize>x;
        const nw = v128.load(up + o - 1), n = v128.load(up + o), ne = v128.load(up + o + 1);
        const w = v128.load(mid + o - 1), c = v128.load(mid + o), e = v128.load(mid + o + 1);
        const sw = v128.load(down + o - 1), s = v128.load(down + o), se = v128.load(down + o + 1);
        neighbourhood8(lo(nw), lo(n), lo(ne), lo(w), lo(c), lo(e), lo(sw), lo(s), lo(se));
        neighbourhood8(hi(nw), hi(n), hi(ne), hi(w), hi(c), hi(e), hi(sw), hi(s), hi(se));
      }
      flushLanes();
    }
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
  const grad = sumGrad + load<f64>(lanes + L_GRAD) + load<f64>(lanes + L_GRAD, 8);
  const nf = <f64>interior;
  setScalar(out, feature_sharpness, exactVariance(interior, sumLap, sumLap2));
  setScalar(out, feature_edge_density, <f64>edges / nf);
  setScalar(out, feature_gradient_mean, grad / nf);
  // Immerkær (1996): sigma = sqrt(pi/2) * sum|I*N| / (6 (W-2)(H-2)).
  setScalar(out, feature_noise_sigma, Math.sqrt(Math.PI / 2) * <f64>sumImm / (6 * nf));
}
