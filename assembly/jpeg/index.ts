// The JPEG decoder module's exports (built on its own: build/jpeg-*.wasm).
// The host calls jpegReadHeader, reads the size, sizes memory from
// jpegWorkBytes, then calls jpegDecode with the same input bytes.
import { walk } from "./decoder";
import { layoutPlanes, outWidth, outHeight } from "./planes";
import { writeOutput } from "./output";
import { frameWidth, frameHeight, componentCount, isRgb } from "./frame";
import { OK, ERR_BAD_ARGUMENT } from "./status";
import { measureRows, measureScratchBytes } from "./measure";

import { errorAt } from "./status";

let lastSource: i32 = 0;

// Byte offset in the input where the last error was found.
export function jpegErrorOffset(): i32 {
  return errorAt - lastSource;
}

// The frame statistics' output layout (and SIMD_BUILD), for jpegMeasure.
export * from "../frame/layout";

export function heapBase(): usize {
  return __heap_base;
}

function validScale(scale: i32): bool {
  return scale == 1 || scale == 2 || scale == 4 || scale == 8;
}

// Reads the markers up to the first scan. Status 0 when the frame is one
// this decoder handles.
export function jpegReadHeader(src: i32, len: i32): i32 {
  lastSource = src;
  return walk(src, len, false, 1, 0);
}

export function jpegWidth(): i32 { return frameWidth; }
export function jpegHeight(): i32 { return frameHeight; }
export function jpegComponents(): i32 { return componentCount; }
export function jpegIsRgb(): i32 { return isRgb() ? 1 : 0; }

// Scratch bytes jpegDecode needs at `scale`, after jpegReadHeader; -1 if too large.
export function jpegWorkBytes(scale: i32): i32 {
  if (!validScale(scale)) return -1;
  return layoutPlanes(scale, 0) + 16;
}

// Decodes the whole image at 1/scale into out (channels 1, 3 or 4), using
// `work` (jpegWorkBytes) for planes, laid out when the frame header is read.
// Output is ceil(w/scale) x ceil(h/scale).
export function jpegDecode(src: i32, len: i32, scale: i32, channels: i32, work: i32, out: i32): i32 {
  if (!validScale(scale) || (channels != 1 && channels != 3 && channels != 4)) return ERR_BAD_ARGUMENT;
  lastSource = src;
  const status = walk(src, len, true, scale, work);
  if (status != OK) return status;
  writeOutput(channels, <usize>out);
  return OK;
}

export function jpegOutputWidth(): i32 { return outWidth; }
export function jpegOutputHeight(): i32 { return outHeight; }

// Scratch bytes jpegMeasure needs at `scale` and `step`, after
// jpegReadHeader (the statistics' rows and one converted row).
export function jpegMeasureScratchBytes(scale: i32, step: i32): i32 {
  if (!validScale(scale) || step < 1) return -1;
  return measureScratchBytes((frameWidth + scale - 1) / scale, step);
}

// Decodes like jpegDecode and writes the frame statistics of the 1/scale
// image, every step-th pixel of every step-th row, into `out` (OUT_BYTES)
// with `scratch` (jpegMeasureScratchBytes): the features frameStats gives
// for jpegDecode's gray (one component) or RGB pixels, without the image.
export function jpegMeasure(src: i32, len: i32, scale: i32, step: i32, work: i32, scratch: i32, out: i32): i32 {
  if (!validScale(scale) || step < 1) return ERR_BAD_ARGUMENT;
  lastSource = src;
  const status = walk(src, len, true, scale, work);
  if (status != OK) return status;
  measureRows(step, <usize>scratch, <usize>out);
  return OK;
}
