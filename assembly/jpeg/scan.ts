// One scan (T.81 B.2.3, F.2): its header, then every MCU, with restart
// intervals (B.2.4.4). Blocks go through the scaled IDCT into the planes.
import {
  frameWidth, frameHeight, componentCount, hMax, vMax, mcusX, mcusY, restartInterval,
  comp, setComp, C_ID, C_H, C_V, C_TQ, C_PLANE, C_STRIDE, C_BLOCK, C_PRED, C_DC, C_AC, C_SCANNED,
} from "./frame";
import { huffmanDefined, quantDefinedAt, quant } from "./tables";
import { startBits, resetBits, consumedPadding, decodeBlock, decodeBlockDc, zigzagNatural, pos, end } from "./entropy";
import { idctBlock, foldWeight } from "./idct";
import { islowBlock } from "./islow";
import { OK, ERR_BAD_SCAN, ERR_TRUNCATED, ERR_BAD_RESTART, ERR_BAD_QUANT_TABLE, fail } from "./status";

const scanComponents = memory.data(4 * 4, 16);
// Per component, in zigzag order: for the full-size integer IDCT
// (islow.ts) its quantisation table as is (i32); for a reduced IDCT
// (idct.ts) as f32 times the folding weights, so folding needs only sums.
const scaledQuant = memory.data(4 * 64 * 4, 16);

function prepareQuant(c: i32): void {
  const q = quant + (comp(c, C_TQ) << 8);
  const size = comp(c, C_BLOCK);
  const dst = scaledQuant + (c << 8);
  if (size == 8) {
    memory.copy(dst, q, 64 * 4);
    return;
  }
  for (let k = 0; k < 64; k++) {
    const natural = zigzagNatural(k);
    const w = foldWeight(size, natural >> 3) * foldWeight(size, natural & 7);
    store<f32>(dst + (k << 2), <f32>load<i32>(q + (k << 2)) * w);
  }
}
let scanCount: i32 = 0;
// where the scan's entropy-coded data ended: the next marker
export let scanEnd: i32 = 0;

function readScanHeader(p: i32, segEnd: i32): i32 {
  const ns = <i32>load<u8>(p);
  if (ns < 1 || ns > componentCount || segEnd - p != 4 + 2 * ns) return fail(ERR_BAD_SCAN, p);
  scanCount = ns;
  let at = p + 1;
  for (let i = 0; i < ns; i++) {
    const id = <i32>load<u8>(at);
    const tables = <i32>load<u8>(at + 1);
    let c = 0;
    while (c < componentCount && comp(c, C_ID) != id) c++;
    if (c == componentCount) return fail(ERR_BAD_SCAN, at);
    for (let j = 0; j < i; j++) if (load<i32>(scanComponents + (j << 2)) == c) return fail(ERR_BAD_SCAN, at);
    const dc = tables >> 4, ac = tables & 15;
    if (dc > 3 || ac > 3 || !huffmanDefined(dc) || !huffmanDefined(4 + ac)) return fail(ERR_BAD_SCAN, at + 1);
    if (!quantDefinedAt(comp(c, C_TQ))) return fail(ERR_BAD_QUANT_TABLE, at);
    setComp(c, C_DC, dc);
    setComp(c, C_AC, 4 + ac);
    setComp(c, C_PRED, 0);
    setComp(c, C_SCANNED, 1);
    prepareQuant(c);
    store<i32>(scanComponents + (i << 2), c);
    at += 2;
  }
  // sequential DCT: spectral selection 0..63, no successive approximation
  if (load<u8>(at) != 0 || load<u8>(at + 1) != 63 || load<u8>(at + 2) != 0) return fail(ERR_BAD_SCAN, at);
  return OK;
}

@inline function decodeOne(c: i32, bx: i32, by: i32): i32 {
  const size = comp(c, C_BLOCK);
  const stride = comp(c, C_STRIDE);
  const q = scaledQuant + (c << 8);
  const dst = <usize>(comp(c, C_PLANE) + by * size * stride + bx * size);
  if (size == 8) {
    const last = decodeBlock<i16>(comp(c, C_DC), comp(c, C_AC), q, c);
    if (last < 0) return -last;
    islowBlock(last, dst, stride);
    return OK;
  }
  const last = size == 1
    ? decodeBlockDc(comp(c, C_DC), comp(c, C_AC), q, c)
    : decodeBlock<f32>(comp(c, C_DC), comp(c, C_AC), q, c);
  if (last < 0) return -last;
  idctBlock(last, size, dst, stride);
  return OK;
}

// Finds the next marker at or after p (skipping data and fill bytes).
function nextMarker(p: i32, e: i32): i32 {
  while (p + 1 < e) {
    if (load<u8>(p) == 0xff) {
      const m = load<u8>(p + 1);
      if (m != 0 && m != 0xff) return p;
    }
    p++;
  }
  return e;
}

// Decodes the scan whose header is [p, segEnd); data follows to srcEnd.
export function decodeScan(p: i32, segEnd: i32, srcEnd: i32): i32 {
  let status = readScanHeader(p, segEnd);
  if (status != OK) return status;
  startBits(segEnd, srcEnd);
  let unitsX: i32, unitsY: i32;
  const single = scanCount == 1;
  const c0 = load<i32>(scanComponents);
  if (single) {
    // non-interleaved: one block per MCU, over the component's own size (A.2.2)
    const w = (frameWidth * comp(c0, C_H) + hMax - 1) / hMax;
    const h = (frameHeight * comp(c0, C_V) + vMax - 1) / vMax;
    unitsX = (w + 7) >> 3;
    unitsY = (h + 7) >> 3;
  } else {
    unitsX = mcusX;
    unitsY = mcusY;
  }
  const interval = restartInterval;
  let untilRestart = interval;
  let expectedRst = 0;
  for (let my = 0; my < unitsY; my++) {
    for (let mx = 0; mx < unitsX; mx++) {
      if (interval > 0) {
        if (untilRestart == 0) {
          const at = nextMarker(pos, end);
          if (at + 1 >= end) return fail(ERR_TRUNCATED, at);
          if (<i32>load<u8>(at + 1) != 0xd0 + expectedRst) return fail(ERR_BAD_RESTART, at);
          expectedRst = (expectedRst + 1) & 7;
          resetBits(at + 2);
          for (let i = 0; i < scanCount; i++) setComp(load<i32>(scanComponents + (i << 2)), C_PRED, 0);
          untilRestart = interval;
        }
        untilRestart--;
      }
      if (single) {
        status = decodeOne(c0, mx, my);
        if (status != OK) return fail(status, pos);
      } else {
        for (let i = 0; i < scanCount; i++) {
          const c = load<i32>(scanComponents + (i << 2));
          const h = comp(c, C_H), v = comp(c, C_V);
          for (let by = 0; by < v; by++) {
            for (let bx = 0; bx < h; bx++) {
              status = decodeOne(c, mx * h + bx, my * v + by);
              if (status != OK) return fail(status, pos);
            }
          }
        }
      }
      if (consumedPadding()) return fail(ERR_TRUNCATED, pos);
    }
  }
  scanEnd = nextMarker(pos, end);
  return OK;
}
