// A fused plain-JavaScript implementation of catalogue v1, written for speed
// the way a careful JS developer would (one pass over the rows, typed arrays,
// integer arithmetic, a three-row luma ring): the peer the WASM kernels are
// measured against. Tested against the reference in test/js-fused.test.ts.

export interface JsFrameStats {
  features: Record<string, number>;
  luma: Uint32Array;
  hue: Uint32Array;
}

function variance(n: number, s1: number, s2: number): number {
  const m = s1 / n;
  return Math.max(0, s2 / n - m * m);
}

export function jsFusedFrameStats(px: Uint8Array, width: number, height: number, channels: 1 | 3 | 4): JsFrameStats {
  const luma = new Uint32Array(256);
  const hue = new Uint32Array(37);
  const ring = [new Uint8Array(width), new Uint8Array(width), new Uint8Array(width)];
  let sumR = 0, sumG = 0, sumB = 0, sumRG = 0, sumRG2 = 0, sumYB = 0, sumYB2 = 0, sumS = 0, sumS2 = 0;
  let sumLap = 0, sumLap2 = 0, sumImm = 0, edges = 0, sumGrad = 0;
  const gray = channels === 1;
  for (let y = 0; y < height; y++) {
    const row = ring[y % 3];
    let p = y * width * channels;
    for (let x = 0; x < width; x++, p += channels) {
      if (gray) {
        row[x] = px[p];
        luma[px[p]]++;
        continue;
      }
      const r = px[p], g = px[p + 1], b = px[p + 2];
      const l = (77 * r + 150 * g + 29 * b + 128) >> 8;
      row[x] = l;
      luma[l]++;
      sumR += r; sumG += g; sumB += b;
      const rg = r - g, yb = r + g - 2 * b;
      sumRG += rg; sumRG2 += rg * rg; sumYB += yb; sumYB2 += yb * yb;
      const mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
      const mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
      const d = mx - mn;
      const s = mx === 0 ? 0 : Math.floor((510 * d + mx) / (2 * mx));
      sumS += s; sumS2 += s * s;
      if (d < 16) { hue[36]++; continue; }
      let q: number;
      if (mx === r) q = Math.floor((6 * (g - b)) / d);
      else if (mx === g) q = 12 + Math.floor((6 * (b - r)) / d);
      else q = 24 + Math.floor((6 * (r - g)) / d);
      hue[q < 0 ? q + 36 : q]++;
    }
    if (y < 2) continue;
    const up = ring[(y - 2) % 3], mid = ring[(y - 1) % 3], down = row;
    for (let x = 1; x < width - 1; x++) {
      const nw = up[x - 1], n = up[x], ne = up[x + 1];
      const w = mid[x - 1], c = mid[x], e = mid[x + 1];
      const sw = down[x - 1], s = down[x], se = down[x + 1];
      const cross = n + s + w + e;
      const lap = cross - 4 * c;
      sumLap += lap; sumLap2 += lap * lap;
      const imm = nw + ne + sw + se - 2 * cross + 4 * c;
      sumImm += imm < 0 ? -imm : imm;
      const gx = ne + 2 * e + se - nw - 2 * w - sw;
      const gy = sw + 2 * s + se - nw - 2 * n - ne;
      const m2 = gx * gx + gy * gy;
      if (m2 > 10000) edges++;
      sumGrad += Math.fround(Math.sqrt(m2));
    }
  }
  const n = width * height;
  let s1 = 0, s2 = 0, dark = 0, bright = 0, entropy = 0;
  for (let v = 0; v < 256; v++) {
    const c = luma[v];
    s1 += c * v; s2 += c * v * v;
    if (v <= 16) dark += c;
    if (v >= 240) bright += c;
    if (c) entropy -= (c / n) * Math.log2(c / n);
  }
  const percentile = (percent: number): number => {
    let cum = 0;
    for (let v = 0; v < 256; v++) { cum += luma[v]; if (cum * 100 >= percent * n) return v; }
    return 255;
  };
  if (gray) { sumR = sumG = sumB = s1; }
  const inner = width >= 3 && height >= 3 ? (width - 2) * (height - 2) : 0;
  const meanRG = sumRG / n, meanYB = sumYB / n / 2;
  const features: Record<string, number> = {
    width, height, aspect_ratio: width / height,
    luma_mean: s1 / n, luma_std: Math.sqrt(variance(n, s1, s2)),
    luma_p05: percentile(5), luma_p50: percentile(50), luma_p95: percentile(95),
    luma_entropy: entropy, dark_fraction: dark / n, bright_fraction: bright / n,
    r_mean: sumR / n, g_mean: sumG / n, b_mean: sumB / n,
    saturation_mean: sumS / n / 255, saturation_std: Math.sqrt(variance(n, sumS, sumS2)) / 255,
    colorfulness: Math.sqrt(variance(n, sumRG, sumRG2) + variance(n, sumYB, sumYB2) / 4) + 0.3 * Math.sqrt(meanRG * meanRG + meanYB * meanYB),
    sharpness: inner ? variance(inner, sumLap, sumLap2) : 0,
    edge_density: inner ? edges / inner : 0,
    gradient_mean: inner ? sumGrad / inner : 0,
    noise_sigma: inner ? (Math.sqrt(Math.PI / 2) * sumImm) / (6 * inner) : 0,
  };
  return { features, luma, hue: hue.subarray(0, 36) };
}
