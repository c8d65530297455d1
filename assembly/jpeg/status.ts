// Status codes returned by the decoder's exports. The host maps them to
// messages (src/jpeg/jpeg-status.ts); keep the two lists in step.
export const OK: i32 = 0;

// Corrupt or truncated data.
export const ERR_NOT_JPEG: i32 = 1; // no SOI marker
export const ERR_TRUNCATED: i32 = 2; // the data ends inside a segment or scan
export const ERR_BAD_MARKER: i32 = 3; // a byte where a marker was expected, or a marker out of place
export const ERR_BAD_SEGMENT: i32 = 4; // a segment length or field out of range
export const ERR_BAD_HUFFMAN_TABLE: i32 = 5;
export const ERR_BAD_QUANT_TABLE: i32 = 6;
export const ERR_BAD_FRAME: i32 = 7; // SOF fields (size 0, duplicate ids, missing frame)
export const ERR_BAD_SCAN: i32 = 8; // SOS fields (unknown component, undefined table)
export const ERR_BAD_HUFFMAN_CODE: i32 = 9; // a code no table defines, or a coefficient past 63
export const ERR_BAD_RESTART: i32 = 10; // a missing or out-of-order RSTn marker
export const ERR_INCOMPLETE: i32 = 11; // EOI before every component had a scan, or no EOI

// Valid JPEG this decoder does not handle: the host falls back.
export const UNSUPPORTED_PROGRESSIVE: i32 = 20;
export const UNSUPPORTED_ARITHMETIC: i32 = 21;
export const UNSUPPORTED_PRECISION: i32 = 22; // 12- or 16-bit samples
export const UNSUPPORTED_COMPONENTS: i32 = 23; // 2 or 4 components (CMYK, YCCK)
export const UNSUPPORTED_SAMPLING: i32 = 24; // a sampling factor other than 1 or 2
export const UNSUPPORTED_LOSSLESS: i32 = 25;
export const UNSUPPORTED_HIERARCHICAL: i32 = 26; // differential SOF5-7
export const UNSUPPORTED_DNL: i32 = 27; // height 0 in SOF, given later by DNL

// Bad arguments from the host.
export const ERR_BAD_ARGUMENT: i32 = 30;

// Where the last error was found (byte offset into the input), for messages.
export let errorAt: i32 = 0;

export function fail(code: i32, at: i32): i32 {
  errorAt = at;
  return code;
}
