// Where each component's decoded samples go: one plane per component at the
// output scale, padded to whole blocks. A chroma component subsampled 2x2
// uses an IDCT twice the luma's size when that still fits in 8 (4:2:0 at
// 1/2 scale decodes chroma at 8x8), so it needs no upsampling.
import {
  frameWidth, frameHeight, componentCount, hMax, vMax, mcusX, mcusY, comp, setComp,
  C_H, C_V, C_PLANE, C_STRIDE, C_BLOCK, C_RX, C_RY, C_WIDTH, C_HEIGHT, C_ROWBUF,
} from "./frame";

export let outWidth: i32 = 0;
export let outHeight: i32 = 0;
export let columnSums: i32 = 0; // i16 scratch row for upsampling

@inline function align16(n: i64): i64 {
  return (n + 15) & ~15;
}

@inline function ceilDiv(a: i64, b: i64): i32 {
  return <i32>((a + b - 1) / b);
}

// Lays the planes out from `work` for `scale` (1, 2, 4, 8); returns the
// bytes used, or -1 when they would not fit in 2 GiB.
export function layoutPlanes(scale: i32, work: i32): i32 {
  const n = 8 / scale;
  outWidth = ceilDiv(frameWidth, scale);
  outHeight = ceilDiv(frameHeight, scale);
  let at: i64 = align16(<i64>work);
  let widest: i64 = 0;
  for (let c = 0; c < componentCount; c++) {
    const h = comp(c, C_H), v = comp(c, C_V);
    let rx = hMax / h, ry = vMax / v, size = n;
    if (rx == 2 && ry == 2 && n < 8) {
      size = n * 2;
      rx = 1;
      ry = 1;
    }
    const stride: i64 = <i64>mcusX * h * size;
    const rows: i64 = <i64>mcusY * v * size;
    const width = ceilDiv(<i64>frameWidth * h * size, <i64>hMax * 8);
    setComp(c, C_BLOCK, size);
    setComp(c, C_RX, rx);
    setComp(c, C_RY, ry);
    setComp(c, C_STRIDE, <i32>stride);
    setComp(c, C_WIDTH, width);
    setComp(c, C_HEIGHT, ceilDiv(<i64>frameHeight * v * size, <i64>vMax * 8));
    setComp(c, C_PLANE, <i32>at);
    at = align16(at + stride * rows + 16);
    if (rx != 1 || ry != 1) {
      setComp(c, C_ROWBUF, <i32>at);
      at = align16(at + outWidth + 48); // SIMD rows write up to 31 bytes past the end
    } else {
      setComp(c, C_ROWBUF, 0);
    }
    if (width > widest) widest = width;
    if (at > 0x7fff0000) return -1;
  }
  columnSums = <i32>at;
  at = align16(at + (widest + 32) * 4);
  if (at > 0x7fff0000) return -1;
  return <i32>(at - work);
}
