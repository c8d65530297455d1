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
function componentRow(c: i32, y: i32): usize {
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
  const sums = <usize>columnSums;
  for (let i = 0; i < width; i++) {
    store<i32>(sums + (i << 2), ry == 2 ? 3 * <i32>load<u8>(pn + i) + <i32>load<u8>(pf + i) : 4 * <i32>load<u8>(pn + i));
  }
  const row = <usize>comp(c, C_ROWBUF);
  const outW = outWidth;
  if (rx == 1) {
    for (let i = 0; i < outW; i++) store<u8>(row + i, <u8>((load<i32>(sums + (i << 2)) + 2) >> 2));
    return row;
  }
  // horizontal: out[2i] leans to i-1, out[2i+1] to i+1 (weights 3:1)
  for (let i = 0; i < width; i++) {
    const mid = 3 * load<i32>(sums + (i << 2));
    const left = load<i32>(sums + (<usize>(i > 0 ? i - 1 : 0) << 2));
    const right = load<i32>(sums + ((i + 1 < width ? i + 1 : width - 1) << 2));
    const x = i << 1;
    if (x < outW) store<u8>(row + x, <u8>((mid + left + 8) >> 4));
    if (x + 1 < outW) store<u8>(row + x + 1, <u8>((mid + right + 7) >> 4));
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
  for (let x = 0; x < w; x++) {
    const y = <i32>load<u8>(yp + x);
    const cb = (<usize>load<u8>(cbp + x)) << 2;
    const cr = (<usize>load<u8>(crp + x)) << 2;
    const o = dst + x * channels;
    store<u8>(o, <u8>clamp255(y + load<i32>(crToR + cr)));
    store<u8>(o + 1, <u8>clamp255(y + ((load<i32>(cbToG + cb) + load<i32>(crToG + cr)) >> 16)));
    store<u8>(o + 2, <u8>clamp255(y + load<i32>(cbToB + cb)));
    if (channels == 4) store<u8>(o + 3, 255);
  }
}
