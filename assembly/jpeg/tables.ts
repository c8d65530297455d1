// Huffman and quantisation tables (ITU T.81 B.2.4, C, F.2.2.3), kept in
// static memory. Decoding reads a 9-bit lookahead table first (AC
// coefficients an 11-bit fast table before it); longer codes go through the
// canonical maxcode/valoffset search of F.2.2.3.
import { OK, ERR_BAD_HUFFMAN_TABLE, ERR_BAD_QUANT_TABLE, ERR_TRUNCATED, fail } from "./status";

export const LOOKAHEAD_BITS: i32 = 9;
const LOOKAHEAD_SIZE: i32 = 1 << LOOKAHEAD_BITS;

// 8 tables: DC 0-3 then AC 0-3 (index = class * 4 + id).
const TABLES: i32 = 8;
// lookahead: u16 per code prefix, (length << 8) | symbol, 0 when the code is longer
export const lookahead = memory.data(TABLES * LOOKAHEAD_SIZE * 2, 16);
// AC fast path, indexed by the next FAST_BITS bits: i32 per prefix,
// (value << 16) | (run << 8) | total bits, where code and magnitude bits
// fit; end of block as run EOB_RUN; 0 when not fast. Wider than the
// lookahead: more of a q85 frame's coefficients take the fast path.
export const FAST_BITS: i32 = 11;
const FAST_SIZE: i32 = 1 << FAST_BITS;
export const EOB_RUN: i32 = 64; // past any k: leaves the coefficient loop
const fastAc = memory.data(4 * FAST_SIZE * 4, 16); // AC tables 0-3

/** The fast-path table of Huffman table `table`, an AC one (4-7). */
@inline export function fastAcOf(table: i32): usize {
  return fastAc + (<usize>(table - 4)) * FAST_SIZE * 4;
}

// maxcode[l] for l = 1..16 (index 17 is a sentinel), valoffset[l]
export const maxCode = memory.data(TABLES * 18 * 4, 16);
export const valOffset = memory.data(TABLES * 17 * 4, 16);
export const values = memory.data(TABLES * 256, 16);
const defined = memory.data(TABLES, 16);

// Quantisation tables: i32 per coefficient, in zigzag order; 4 tables.
export const quant = memory.data(4 * 64 * 4, 16);
const quantDefined = memory.data(4, 16);

// The last specification (16 counts, then the values) each table was built
// from: camera streams repeat their tables in every frame, and the lookup
// tables of an identical specification are already in place.
const SPEC_BYTES: i32 = 16 + 256;
const builtSpec = memory.data(TABLES * SPEC_BYTES, 16);
const builtLength = memory.data(TABLES * 4, 16); // 16 + total, 0 when not built

const counts = memory.data(17 * 4, 16);
const codes = memory.data(256 * 4, 16);

export function resetTables(): void {
  memory.fill(defined, 0, TABLES);
  memory.fill(quantDefined, 0, 4);
}

export function huffmanDefined(table: i32): bool {
  return load<u8>(defined + table) != 0;
}

export function quantDefinedAt(table: i32): bool {
  return load<u8>(quantDefined + table) != 0;
}

// One DHT segment body [p, end): one or more tables. With `lookups` false
// (a header-only walk) the tables are checked but their lookup tables not
// built: decoding walks the markers again.
export function readHuffmanTables(p: i32, end: i32, lookups: bool): i32 {
  while (p < end) {
    if (p + 17 > end) return fail(ERR_BAD_HUFFMAN_TABLE, p);
    const tcth = <i32>load<u8>(p);
    const tclass = tcth >> 4;
    const id = tcth & 15;
    if (tclass > 1 || id > 3) return fail(ERR_BAD_HUFFMAN_TABLE, p);
    const table = tclass * 4 + id;
    let total = 0;
    for (let l = 1; l <= 16; l++) {
      const n = <i32>load<u8>(p + l);
      store<i32>(counts + (l << 2), n);
      total += n;
    }
    p += 17;
    if (total > 256 || p + total > end) return fail(ERR_BAD_HUFFMAN_TABLE, p);
    if (sameSpec(table, p - 16, 16 + total)) {
      store<u8>(defined + table, 1);
      p += total;
      continue;
    }
    store<i32>(builtLength + (table << 2), 0);
    const vals = values + table * 256;
    memory.copy(vals, p, total);
    p += total;
    const status = buildTable(table, total, tclass == 1, lookups);
    if (status != OK) return fail(status, p);
    if (lookups) {
      memory.copy(builtSpec + table * SPEC_BYTES, p - total - 16, 16 + total);
      store<i32>(builtLength + (table << 2), 16 + total);
    }
  }
  return OK;
}

function sameSpec(table: i32, spec: usize, length: i32): bool {
  if (load<i32>(builtLength + (table << 2)) != length) return false;
  const built = builtSpec + table * SPEC_BYTES;
  let i = 0;
  for (; i + 8 <= length; i += 8) if (load<u64>(built + i) != load<u64>(spec + i)) return false;
  for (; i < length; i++) if (load<u8>(built + i) != load<u8>(spec + i)) return false;
  return true;
}

function buildTable(table: i32, total: i32, ac: bool, lookups: bool): i32 {
  // Canonical codes (C.2): consecutive within a length, doubled between lengths.
  let code = 0;
  let k = 0;
  const mc = maxCode + table * 18 * 4;
  const vo = valOffset + table * 17 * 4;
  for (let l = 1; l <= 16; l++) {
    const n = load<i32>(counts + (l << 2));
    store<i32>(vo + (l << 2), k - code);
    for (let i = 0; i < n; i++) {
      store<i32>(codes + (k << 2), code);
      code++;
      k++;
    }
    // Codes of length l must fit in l bits.
    if (code > (1 << l)) return ERR_BAD_HUFFMAN_TABLE;
    store<i32>(mc + (l << 2), n > 0 ? code - 1 : -1);
    code <<= 1;
  }
  store<i32>(mc + (17 << 2), 0x7fffffff);
  if (!lookups) {
    store<u8>(defined + table, 1);
    return OK;
  }

  const look = lookahead + table * LOOKAHEAD_SIZE * 2;
  memory.fill(look, 0, LOOKAHEAD_SIZE * 2);
  const vals = values + table * 256;
  k = 0;
  for (let l = 1; l <= LOOKAHEAD_BITS; l++) {
    const n = load<i32>(counts + (l << 2));
    for (let i = 0; i < n; i++) {
      const c = load<i32>(codes + (k << 2));
      const shift = LOOKAHEAD_BITS - l;
      const first = c << shift;
      const entry = <u16>((l << 8) | <i32>load<u8>(vals + k));
      for (let j = first; j < first + (1 << shift); j++) store<u16>(look + (j << 1), entry);
      k++;
    }
  }
  if (ac) buildFastAc(table);
  store<u8>(defined + table, 1);
  return OK;
}

// AC symbols whose code and magnitude bits fit in FAST_BITS decode in one
// lookup, and so does the end of block.
function buildFastAc(table: i32): void {
  const fast = fastAcOf(table);
  memory.fill(fast, 0, FAST_SIZE * 4);
  const vals = values + table * 256;
  let k = 0;
  for (let l = 1; l <= FAST_BITS; l++) {
    const n = load<i32>(counts + (l << 2));
    for (let i = 0; i < n; i++) {
      const c = load<i32>(codes + (k << 2));
      const symbol = <i32>load<u8>(vals + k);
      k++;
      const size = symbol & 15;
      if (symbol != 0 && (size == 0 || l + size > FAST_BITS)) continue; // ZRL, or too long
      const shift = FAST_BITS - l;
      const first = c << shift;
      for (let j = first; j < first + (1 << shift); j++) {
        let entry = (EOB_RUN << 8) | l;
        if (symbol != 0) {
          const bits = (j >> (shift - size)) & ((1 << size) - 1);
          const value = bits < (1 << (size - 1)) ? bits - (1 << size) + 1 : bits;
          entry = (value << 16) | ((symbol >> 4) << 8) | (l + size);
        }
        store<i32>(fast + (j << 2), entry);
      }
    }
  }
}

// One DQT segment body [p, end): 8- or 16-bit tables.
export function readQuantTables(p: i32, end: i32): i32 {
  while (p < end) {
    const pqtq = <i32>load<u8>(p);
    const precision = pqtq >> 4;
    const id = pqtq & 15;
    if (precision > 1 || id > 3) return fail(ERR_BAD_QUANT_TABLE, p);
    p++;
    const size = precision == 0 ? 64 : 128;
    if (p + size > end) return fail(ERR_TRUNCATED, p);
    const q = quant + id * 256;
    for (let i = 0; i < 64; i++) {
      const v = precision == 0 ? <i32>load<u8>(p + i) : ((<i32>load<u8>(p + 2 * i)) << 8) | <i32>load<u8>(p + 2 * i + 1);
      if (v == 0) return fail(ERR_BAD_QUANT_TABLE, p + i);
      store<i32>(q + (i << 2), v);
    }
    store<u8>(quantDefined + id, 1);
    p += size;
  }
  return OK;
}
