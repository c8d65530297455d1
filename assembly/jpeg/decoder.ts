// The marker loop (T.81 B.2, B.3): tables, frame header, scans, until EOI.
// Only sequential 8-bit Huffman frames (SOF0, SOF1) are decoded; every
// other process is reported as unsupported so the host can fall back.
import {
  resetFrame, frameWidth, frameHeight, componentCount, hMax, vMax, mcusX, mcusY, restartInterval,
  adobeTransform, frameSeen, comp, setComp, C_ID, C_H, C_V, C_TQ, C_SCANNED,
} from "./frame";
import { resetTables, readHuffmanTables, readQuantTables } from "./tables";
import { decodeScan, scanEnd } from "./scan";
import { layoutPlanes } from "./planes";
import {
  OK, ERR_NOT_JPEG, ERR_TRUNCATED, ERR_BAD_MARKER, ERR_BAD_SEGMENT, ERR_BAD_FRAME, ERR_INCOMPLETE,
  UNSUPPORTED_PROGRESSIVE, UNSUPPORTED_ARITHMETIC, UNSUPPORTED_PRECISION, UNSUPPORTED_COMPONENTS,
  UNSUPPORTED_SAMPLING, UNSUPPORTED_LOSSLESS, UNSUPPORTED_HIERARCHICAL, UNSUPPORTED_DNL, ERR_BAD_ARGUMENT, fail,
} from "./status";

@inline function u16be(p: i32): i32 {
  return (<i32>load<u8>(p) << 8) | <i32>load<u8>(p + 1);
}

function readFrame(p: i32, segEnd: i32, at: i32): i32 {
  if (frameSeen) return fail(ERR_BAD_FRAME, at); // one frame per image
  if (segEnd - p < 6) return fail(ERR_BAD_FRAME, at);
  const precision = <i32>load<u8>(p);
  const height = u16be(p + 1);
  const width = u16be(p + 3);
  const n = <i32>load<u8>(p + 5);
  if (precision != 8) return fail(UNSUPPORTED_PRECISION, p);
  if (n == 0 || segEnd - p != 6 + 3 * n) return fail(ERR_BAD_FRAME, p + 5);
  if (n == 2 || n == 4) return fail(UNSUPPORTED_COMPONENTS, p + 5);
  if (n != 1 && n != 3) return fail(ERR_BAD_FRAME, p + 5);
  if (width == 0) return fail(ERR_BAD_FRAME, p + 3);
  if (height == 0) return fail(UNSUPPORTED_DNL, p + 1);
  frameWidth = width;
  frameHeight = height;
  componentCount = n;
  let hm = 1, vm = 1;
  for (let c = 0; c < n; c++) {
    const q = p + 6 + 3 * c;
    const id = <i32>load<u8>(q);
    const hv = <i32>load<u8>(q + 1);
    let h = hv >> 4, v = hv & 15;
    const tq = <i32>load<u8>(q + 2);
    if (h < 1 || h > 4 || v < 1 || v > 4 || tq > 3) return fail(ERR_BAD_FRAME, q);
    if (h > 2 || v > 2) return fail(UNSUPPORTED_SAMPLING, q + 1);
    for (let j = 0; j < c; j++) if (comp(j, C_ID) == id) return fail(ERR_BAD_FRAME, q);
    if (n == 1) {
      h = 1; // a lone component is never interleaved: its factors do not matter
      v = 1;
    }
    setComp(c, C_ID, id);
    setComp(c, C_H, h);
    setComp(c, C_V, v);
    setComp(c, C_TQ, tq);
    if (h > hm) hm = h;
    if (v > vm) vm = v;
  }
  hMax = hm;
  vMax = vm;
  mcusX = (width + 8 * hm - 1) / (8 * hm);
  mcusY = (height + 8 * vm - 1) / (8 * vm);
  frameSeen = true;
  return OK;
}

function unsupportedFrame(m: i32, at: i32): i32 {
  if (m == 0xc2) return fail(UNSUPPORTED_PROGRESSIVE, at);
  if (m == 0xc3) return fail(UNSUPPORTED_LOSSLESS, at);
  if (m == 0xc5 || m == 0xc6 || m == 0xc7 || m == 0xde || m == 0xdf) return fail(UNSUPPORTED_HIERARCHICAL, at);
  if (m == 0xc9 || m == 0xca || m == 0xcb || m == 0xcc || m == 0xcd || m == 0xce || m == 0xcf) return fail(UNSUPPORTED_ARITHMETIC, at);
  return -1;
}

// Walks the markers from SOI. With decode false it stops at the first SOS
// (header only); with decode true it decodes every scan and needs EOI.
export function walk(src: i32, len: i32, decode: bool, scale: i32, work: i32): i32 {
  resetFrame();
  resetTables();
  const e = src + len;
  if (len < 4 || load<u8>(src) != 0xff || load<u8>(src + 1) != 0xd8) return fail(ERR_NOT_JPEG, src);
  let p = src + 2;
  while (true) {
    if (p >= e) return fail(ERR_TRUNCATED, p);
    if (load<u8>(p) != 0xff) return fail(ERR_BAD_MARKER, p);
    while (p < e && load<u8>(p) == 0xff) p++; // fill bytes
    if (p >= e) return fail(ERR_TRUNCATED, p);
    const m = <i32>load<u8>(p);
    const at = p - 1;
    p++;
    if (m == 0xd9) {
      if (!frameSeen) return fail(ERR_BAD_FRAME, at);
      if (!decode) return fail(ERR_INCOMPLETE, at);
      for (let c = 0; c < componentCount; c++) if (comp(c, C_SCANNED) == 0) return fail(ERR_INCOMPLETE, at);
      return OK;
    }
    if (m == 0x01 || (m >= 0xd0 && m <= 0xd7)) continue; // stand-alone markers
    if (m == 0xd8 || m == 0x00 || m == 0xc8) return fail(ERR_BAD_MARKER, at);
    if (p + 2 > e) return fail(ERR_TRUNCATED, p);
    const length = u16be(p);
    if (length < 2) return fail(ERR_BAD_SEGMENT, p);
    const segEnd = p + length;
    if (segEnd > e) return fail(ERR_TRUNCATED, e);
    const body = p + 2;
    let status = OK;
    const unsupported = unsupportedFrame(m, at);
    if (unsupported >= 0) return unsupported;
    if (m == 0xc0 || m == 0xc1) {
      status = readFrame(body, segEnd, at);
      if (status == OK && decode && layoutPlanes(scale, work) < 0) return fail(ERR_BAD_ARGUMENT, at);
    } else if (m == 0xc4) {
      status = readHuffmanTables(body, segEnd, decode);
    } else if (m == 0xdb) {
      status = readQuantTables(body, segEnd);
    } else if (m == 0xdd) {
      if (length != 4) return fail(ERR_BAD_SEGMENT, at);
      restartInterval = u16be(body);
    } else if (m == 0xee) {
      // Adobe APP14: "Adobe", version, flags0, flags1, transform
      if (length >= 14 && load<u8>(body) == 0x41 && load<u8>(body + 1) == 0x64 && load<u8>(body + 2) == 0x6f &&
          load<u8>(body + 3) == 0x62 && load<u8>(body + 4) == 0x65) {
        adobeTransform = <i32>load<u8>(body + 11);
      }
    } else if (m == 0xda) {
      if (!frameSeen) return fail(ERR_BAD_FRAME, at);
      if (!decode) return OK;
      status = decodeScan(body, segEnd, e);
      if (status != OK) return status;
      p = scanEnd;
      continue;
    }
    if (status != OK) return status;
    p = segEnd;
  }
  return OK;
}
