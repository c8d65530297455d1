// An independent, deliberately plain implementation of feature catalogue v1
// (docs/features.md): one feature at a time, two-pass moments, no tricks.
// The kernels are tested against it.

export interface ReferenceFrame {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array;
  rowBytes?: number;
  step?: number;
}

export interface ReferenceStats {
  features: Record<string, number>;
  histograms: { luma: number[]; hue: number[] };
}

interface Planes {
  w: number;
  h: number;
  r: Int32Array;
  g: Int32Array;
  b: Int32Array;
  y: Int32Array;
  gray: boolean;
}

function samplePlanes(frame: ReferenceFrame): Planes {
  const step = frame.step ?? 1;
  const rowBytes = frame.rowBytes ?? frame.width * frame.channels;
  const w = Math.ceil(frame.width / step);
  const h = Math.ceil(frame.height / step);
  const r = new Int32Array(w * h), g = new Int32Array(w * h), b = new Int32Array(w * h), y = new Int32Array(w * h);
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const at = j * step * rowBytes + i * step * frame.channels;
      const k = j * w + i;
      if (frame.channels === 1) {
        r[k] = g[k] = b[k] = y[k] = frame.data[at];
      } else {
        r[k] = frame.data[at]; g[k] = frame.data[at + 1]; b[k] = frame.data[at + 2];
        y[k] = Math.floor((77 * r[k] + 150 * g[k] + 29 * b[k] + 128) / 256);
      }
    }
  }
  return { w, h, r, g, b, y, gray: frame.channels === 1 };
}

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

function populationVariance(values: ArrayLike<number>): number {
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i] - m) ** 2;
  return s / values.length;
}

// Smallest v with count(x <= v) >= percent% of n.
function invertedCdfPercentile(sorted: Int32Array, percent: number): number {
  const k = Math.max(1, Math.ceil((percent * sorted.length) / 100));
  return sorted[k - 1];
}

function hueBin(r: number, g: number, b: number): number {
  const mx = Math.max(r, g, b);
  const d = mx - Math.min(r, g, b);
  if (d < 16) return -1;
  let sector: number, num: number;
  if (mx === r) { sector = 0; num = g - b; }
  else if (mx === g) { sector = 2; num = b - r; }
  else { sector = 4; num = r - g; }
  // hue / 10° = 6 * (sector + num/d); num and d are small integers, so the
  // f64 quotient never lands on the wrong side of an integer.
  const bin = Math.floor((6 * (sector * d + num)) / d);
  return (bin + 36) % 36;
}

function interior(p: Planes, visit: (at: (dx: number, dy: number) => number) => void): number {
  let count = 0;
  for (let j = 1; j < p.h - 1; j++) {
    for (let i = 1; i < p.w - 1; i++) {
      visit((dx, dy) => p.y[(j + dy) * p.w + (i + dx)]);
      count++;
    }
  }
  return count;
}

export function referenceFrameStats(frame: ReferenceFrame): ReferenceStats {
  const p = samplePlanes(frame);
  const n = p.w * p.h;
  const lumaHist = new Array<number>(256).fill(0);
  for (const v of p.y) lumaHist[v]++;
  const sortedY = Int32Array.from(p.y).sort();
  let entropy = 0;
  for (const c of lumaHist) if (c > 0) entropy -= (c / n) * Math.log2(c / n);

  const hueHist = new Array<number>(36).fill(0);
  const sat = new Float64Array(n);
  const rg = new Float64Array(n), yb = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const mx = Math.max(p.r[k], p.g[k], p.b[k]), mn = Math.min(p.r[k], p.g[k], p.b[k]);
    // 8-bit HSV saturation, round(255 (max - min) / max) with halves up.
    sat[k] = mx === 0 ? 0 : Math.floor((510 * (mx - mn) + mx) / (2 * mx));
    const bin = p.gray ? -1 : hueBin(p.r[k], p.g[k], p.b[k]);
    if (bin >= 0) hueHist[bin]++;
    rg[k] = p.r[k] - p.g[k];
    yb[k] = 0.5 * (p.r[k] + p.g[k]) - p.b[k];
  }

  const laplacian: number[] = [], gradient: number[] = [];
  let edges = 0, immerkaer = 0;
  const interiorCount = interior(p, (at) => {
    laplacian.push(at(0, -1) + at(0, 1) + at(-1, 0) + at(1, 0) - 4 * at(0, 0));
    const gx = at(1, -1) + 2 * at(1, 0) + at(1, 1) - at(-1, -1) - 2 * at(-1, 0) - at(-1, 1);
    const gy = at(-1, 1) + 2 * at(0, 1) + at(1, 1) - at(-1, -1) - 2 * at(0, -1) - at(1, -1);
    const magnitude = Math.fround(Math.sqrt(gx * gx + gy * gy));
    gradient.push(magnitude);
    if (gx * gx + gy * gy > 100 * 100) edges++;
    const kernel = [[1, -2, 1], [-2, 4, -2], [1, -2, 1]];
    let conv = 0;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) conv += kernel[dy + 1][dx + 1] * at(dx, dy);
    immerkaer += Math.abs(conv);
  });

  const count = (pred: (v: number) => boolean) => p.y.reduce((s, v) => s + (pred(v) ? 1 : 0), 0);
  const features: Record<string, number> = {
    width: frame.width,
    height: frame.height,
    aspect_ratio: frame.width / frame.height,
    luma_mean: mean(p.y),
    luma_std: Math.sqrt(populationVariance(p.y)),
    luma_p05: invertedCdfPercentile(sortedY, 5),
    luma_p50: invertedCdfPercentile(sortedY, 50),
    luma_p95: invertedCdfPercentile(sortedY, 95),
    luma_entropy: entropy,
    dark_fraction: count((v) => v <= 16) / n,
    bright_fraction: count((v) => v >= 240) / n,
    r_mean: mean(p.r),
    g_mean: mean(p.g),
    b_mean: mean(p.b),
    saturation_mean: mean(sat) / 255,
    saturation_std: Math.sqrt(populationVariance(sat)) / 255,
    colorfulness: Math.sqrt(populationVariance(rg) + populationVariance(yb)) + 0.3 * Math.sqrt(mean(rg) ** 2 + mean(yb) ** 2),
    sharpness: interiorCount ? populationVariance(laplacian) : 0,
    edge_density: interiorCount ? edges / interiorCount : 0,
    gradient_mean: interiorCount ? mean(gradient) : 0,
    noise_sigma: interiorCount ? (Math.sqrt(Math.PI / 2) * immerkaer) / (6 * interiorCount) : 0,
  };
  return { features, histograms: { luma: lumaHist, hue: hueHist } };
}
