// What the frame header (SOF, APP14, DRI) declared, and per-component state.
// Scalars are module globals; components live in a small static table.

export const MAX_COMPONENTS: i32 = 4;

export let frameWidth: i32 = 0;
export let frameHeight: i32 = 0;
export let componentCount: i32 = 0;
export let hMax: i32 = 1;
export let vMax: i32 = 1;
export let mcusX: i32 = 0; // MCUs per row of an interleaved scan
export let mcusY: i32 = 0;
export let restartInterval: i32 = 0;
export let adobeTransform: i32 = -1; // APP14 transform flag; -1 when absent
export let frameSeen: bool = false;

// Component fields (i32 each).
export const C_ID: i32 = 0;
export const C_H: i32 = 1;
export const C_V: i32 = 2;
export const C_TQ: i32 = 3; // quantisation table
export const C_PLANE: i32 = 4; // first byte of its sample plane
export const C_STRIDE: i32 = 5; // bytes per plane row
export const C_BLOCK: i32 = 6; // output samples per 8x8 block side: 8, 4, 2 or 1
export const C_RX: i32 = 7; // horizontal upsampling to the output: 1 or 2
export const C_RY: i32 = 8;
export const C_WIDTH: i32 = 9; // samples per row at the output scale (before upsampling)
export const C_HEIGHT: i32 = 10;
export const C_PRED: i32 = 11; // DC predictor
export const C_DC: i32 = 12; // DC Huffman table of the current scan
export const C_AC: i32 = 13;
export const C_SCANNED: i32 = 14; // 1 once a scan carried this component
export const C_ROWBUF: i32 = 15; // upsampled row buffer
const C_FIELDS: i32 = 16;

const components = memory.data(MAX_COMPONENTS * C_FIELDS * 4, 16);

@inline export function comp(c: i32, field: i32): i32 {
  return load<i32>(components + ((c * C_FIELDS + field) << 2));
}

@inline export function setComp(c: i32, field: i32, value: i32): void {
  store<i32>(components + ((c * C_FIELDS + field) << 2), value);
}

export function resetFrame(): void {
  frameWidth = 0;
  frameHeight = 0;
  componentCount = 0;
  hMax = 1;
  vMax = 1;
  mcusX = 0;
  mcusY = 0;
  restartInterval = 0;
  adobeTransform = -1;
  frameSeen = false;
  memory.fill(components, 0, MAX_COMPONENTS * C_FIELDS * 4);
}

// RGB rather than YCbCr: Adobe's transform flag 0, or component ids 'R','G','B'.
export function isRgb(): bool {
  if (componentCount != 3) return false;
  if (adobeTransform == 0) return true;
  if (adobeTransform > 0) return false;
  return comp(0, C_ID) == 82 && comp(1, C_ID) == 71 && comp(2, C_ID) == 66;
}
