// Huffman decoding of one 8x8 block (T.81 F.2.2): a 64-bit bit buffer,
// MSB-aligned, refilled byte by byte with stuffed 0xFF00 handling. At a
// marker or the end of the data it feeds zero bytes and counts them, so a
// block never reads out of bounds; the scan loop then checks whether any of
// those padding bits were consumed (truncated or corrupt data).
import { lookahead, fastAcOf, maxCode, valOffset, values, LOOKAHEAD_BITS, FAST_BITS, EOB_RUN } from "./tables";
import { comp, setComp, C_PRED } from "./frame";
import { ERR_BAD_HUFFMAN_CODE } from "./status";
import { islowOffset } from "./islow";

// Dequantised coefficients of the current block. Reduced sizes (idct.ts):
// f32, transposed natural order, horizontal frequency u, vertical v at
// [u * 8 + v]. Full size (islow.ts): i16 in the order islowOffset gives.
export const block = memory.data(64 * 4, 16);
// zigzag index -> byte offset in `block`, f32 and i16 layouts
const zigzagOffset = memory.data(64 * 4, 16);
const zigzagOffset16 = memory.data(64 * 4, 16);

// Zigzag order (T.81 figure A.6): anti-diagonals row + col = s, walked
// upwards when s is even and downwards when it is odd.
function initZigzag(): void {
  let k = 0;
  for (let s = 0; s <= 14; s++) {
    const lo = s > 7 ? s - 7 : 0;
    const hi = s < 7 ? s : 7;
    for (let i = 0; i <= hi - lo; i++) {
      const row = (s & 1) == 0 ? hi - i : lo + i;
      const col = s - row;
      store<i32>(zigzagOffset + (k << 2), (col * 8 + row) << 2);
      store<i32>(zigzagOffset16 + (k << 2), islowOffset(row, col));
      k++;
    }
  }
}
initZigzag();

export let pos: i32 = 0;
export let end: i32 = 0;
let acc: u64 = 0;
let bits: i32 = 0;
let padBytes: i32 = 0;

export function startBits(start: i32, stop: i32): void {
  pos = start;
  end = stop;
  acc = 0;
  bits = 0;
  padBytes = 0;
  // The IDCTs zero `block` after each block, but a scan that failed inside
  // a block (a bad code) left its coefficients there; once per scan.
  memory.fill(block, 0, 64 * 4);
}

// True when the decoder has consumed bits that were padding, not data.
export function consumedPadding(): bool {
  return bits < (padBytes << 3);
}

function refill(): void {
  let a = acc;
  let n = bits;
  let p = pos;
  const e = end;
  // Fast path: 8 bytes without 0xFF take one big-endian load.
  if (p + 8 <= e && padBytes == 0) {
    const word = load<u64>(p);
    // has-a-0xFF-byte test: a byte is 0xFF when its complement is 0
    const inv = ~word;
    if (((inv - 0x0101010101010101) & ~inv & 0x8080808080808080) == 0) {
      const take = (64 - n) >> 3;
      let fresh = bswap<u64>(word) >> <u64>n;
      const used = n + (take << 3);
      if (used < 64) fresh &= ~(<u64>0xFFFFFFFFFFFFFFFF >> <u64>used); // keep whole bytes only
      a |= fresh;
      p += take;
      n += take << 3;
      acc = a;
      bits = n;
      pos = p;
      return;
    }
  }
  while (n <= 56) {
    let b: u64 = 0;
    if (p < e) {
      const x = load<u8>(p);
      if (x != 0xFF) {
        b = <u64>x;
        p++;
      } else if (p + 1 < e && load<u8>(p + 1) == 0) {
        b = 0xFF;
        p += 2;
      } else {
        padBytes++; // a marker: leave it for the scan loop
      }
    } else {
      padBytes++;
    }
    a |= b << <u64>(56 - n);
    n += 8;
  }
  acc = a;
  bits = n;
  pos = p;
}

// Drop the bits up to the next byte boundary and forget what was buffered,
// for a restart marker at `pos`.
export function resetBits(at: i32): void {
  pos = at;
  acc = 0;
  bits = 0;
  padBytes = 0;
}

// The natural-order offset of zigzag index k (u * 8 + v, in f32 units).
export function zigzagNatural(k: i32): i32 {
  return load<i32>(zigzagOffset + (k << 2)) >> 2;
}

// Stores coefficient k (zigzag) of value v dequantised with table q: f32
// (q f32), or i16 (q i32; the product wraps to 16 bits as libjpeg-turbo's
// SIMD dequantisation does).
@inline function putCoef<T>(k: i32, v: i32, q: usize): void {
  if (isFloat<T>()) store<f32>(block + load<i32>(zigzagOffset + (k << 2)), <f32>v * load<f32>(q + (k << 2)));
  else store<i16>(block + load<i32>(zigzagOffset16 + (k << 2)), <i16>(v * load<i32>(q + (k << 2))));
}

// Decodes one block into `block` (which must be zero), dequantised with
// the table q (zigzag order), as f32 (T = f32) or i16 (T = i16; see
// putCoef). Returns the zigzag index of the last non-zero coefficient (0
// for a DC-only block), or -ERR_BAD_HUFFMAN_CODE.
export function decodeBlock<T>(dcTable: i32, acTable: i32, q: usize, c: i32): i32 {
  if (decodeDc<T>(dcTable, q, c) < 0) return -ERR_BAD_HUFFMAN_CODE;
  let a = acc;
  let n = bits;
  let s = 0;
  let len = 0;

  // AC coefficients (F.2.2.2)
  const fast = fastAcOf(acTable);
  let k = 1;
  let last = 0;
  while (k < 64) {
    if (n < 32) {
      // refill's fast path, inline (8 bytes without 0xFF; see refill); else refill.
      const p = pos;
      let word: u64 = 0xFFFFFFFFFFFFFFFF;
      if (p + 8 <= end && padBytes == 0) word = load<u64>(p);
      const inv = ~word;
      if (((inv - 0x0101010101010101) & ~inv & 0x8080808080808080) == 0) {
        const take = (64 - n) >> 3;
        let fresh = bswap<u64>(word) >> <u64>n;
        const used = n + (take << 3);
        if (used < 64) fresh &= ~(<u64>0xFFFFFFFFFFFFFFFF >> <u64>used);
        a |= fresh;
        pos = p + take;
        n = used;
      } else {
        acc = a;
        bits = n;
        refill();
        a = acc;
        n = bits;
      }
    }
    const f = load<i32>(fast + (<usize>(a >> <u64>(64 - FAST_BITS)) << 2));
    if (f != 0) {
      k += (f >> 8) & 127;
      len = f & 255;
      if (k > 63) {
        if (((f >> 8) & 127) != EOB_RUN) return -ERR_BAD_HUFFMAN_CODE;
        a <<= <u64>len; // end of block
        n -= len;
        break;
      }
      a <<= <u64>len;
      n -= len;
      putCoef<T>(k, f >> 16, q);
      last = k;
      k++;
      continue;
    }
    let rs = decodeSymbol(acTable, a);
    if (rs < 0) return -ERR_BAD_HUFFMAN_CODE;
    len = rs >> 8;
    a <<= <u64>len;
    n -= len;
    const r = (rs >> 4) & 15;
    s = rs & 15;
    if (s == 0) {
      if (r != 15) break; // end of block
      k += 16;
      continue;
    }
    k += r;
    if (k > 63) return -ERR_BAD_HUFFMAN_CODE;
    const v = extend(<i32>(a >> <u64>(64 - s)), s);
    a <<= <u64>s;
    n -= s;
    putCoef<T>(k, v, q);
    last = k;
    k++;
  }
  acc = a;
  bits = n;
  return last;
}

// Skips one block's coefficients keeping only the DC (the 1/8 scale).
export function decodeBlockDc(dcTable: i32, acTable: i32, q: usize, c: i32): i32 {
  if (decodeDc<f32>(dcTable, q, c) < 0) return -ERR_BAD_HUFFMAN_CODE;
  let a = acc;
  let n = bits;
  let len = 0;

  const fast = fastAcOf(acTable);
  let k = 1;
  while (k < 64) {
    if (n < 32) {
      acc = a;
      bits = n;
      refill();
      a = acc;
      n = bits;
    }
    const f = load<i32>(fast + (<usize>(a >> <u64>(64 - FAST_BITS)) << 2));
    if (f != 0) {
      len = f & 255;
      a <<= <u64>len;
      n -= len;
      const run = (f >> 8) & 127;
      if (run == EOB_RUN) break;
      k += run + 1;
      continue;
    }
    const rs = decodeSymbol(acTable, a);
    if (rs < 0) return -ERR_BAD_HUFFMAN_CODE;
    len = (rs >> 8) + (rs & 15);
    a <<= <u64>len;
    n -= len;
    const r = (rs >> 4) & 15;
    if ((rs & 15) == 0 && r != 15) break;
    k += r + 1;
  }
  if (k > 64) return -ERR_BAD_HUFFMAN_CODE;
  acc = a;
  bits = n;
  return 0;
}

// The block's DC difference (F.2.2.1), from the bit buffer (acc, bits),
// which it advances: stores the dequantised DC in block[0] and updates the
// component's predictor. Returns 0, or -ERR_BAD_HUFFMAN_CODE.
@inline function decodeDc<T>(dcTable: i32, q: usize, c: i32): i32 {
  let a = acc;
  let n = bits;
  if (n < 32) {
    refill();
    a = acc;
    n = bits;
  }
  let s = decodeSymbol(dcTable, a);
  if (s < 0) return -ERR_BAD_HUFFMAN_CODE;
  const len = s >> 8;
  s &= 255;
  a <<= <u64>len;
  n -= len;
  if (s > 11) return -ERR_BAD_HUFFMAN_CODE;
  let diff = 0;
  if (s != 0) {
    diff = extend(<i32>(a >> <u64>(64 - s)), s);
    a <<= <u64>s;
    n -= s;
  }
  const pred = comp(c, C_PRED) + diff;
  setComp(c, C_PRED, pred);
  putCoef<T>(0, pred, q);
  acc = a;
  bits = n;
  return 0;
}

// (length << 8) | symbol of the code at the top of `a`, or -1 for a code
// the table does not define.
@inline function decodeSymbol(table: i32, a: u64): i32 {
  const e = <i32>load<u16>(lookahead + ((<usize>table) << (LOOKAHEAD_BITS + 1)) + (<usize>(a >> <u64>(64 - LOOKAHEAD_BITS)) << 1));
  if (e != 0) return e;
  return decodeLong(table, a);
}

function decodeLong(table: i32, a: u64): i32 {
  const mc = maxCode + table * 18 * 4;
  let l = LOOKAHEAD_BITS + 1;
  let code = <i32>(a >> <u64>(64 - l));
  while (code > load<i32>(mc + (l << 2))) {
    l++;
    if (l > 16) return -1;
    code = <i32>(a >> <u64>(64 - l));
  }
  const index = code + load<i32>(valOffset + table * 17 * 4 + (l << 2));
  if (index < 0 || index > 255) return -1;
  return (l << 8) | <i32>load<u8>(values + table * 256 + index);
}

// F.2.2.1 EXTEND: the s-bit value v as a signed difference.
@inline function extend(v: i32, s: i32): i32 {
  return v < (1 << (s - 1)) ? v - (1 << s) + 1 : v;
}
