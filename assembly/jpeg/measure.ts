// Decode and measure in one pass: the frame statistics (frame/frame-stats.ts)
// read each output row as the decoder produces it, as three planes, instead
// of the decoder interleaving a whole RGB image that the host copies into the
// kernel module and the colour pass deinterleaves again. Every pixel value is
// the one jpegDecode writes, so the features are the same, bit for bit.
import { componentCount, isRgb } from "./frame";
import { outWidth, outHeight } from "./planes";
import { componentRow, ycbcrPlanarRow } from "./output";
import { statsBegin, statsLumaRow, statsJointRow, statsRowDone, statsFinish, sampled, rowPitch } from "../frame/frame-stats";
import { colourRowPlanar, grayRow } from "../frame/colour";

@inline function planeBytes(width: i32): usize {
  return <usize>((width + 64 + 15) & ~15);
}

// Scratch for measureRows at `step` for output rows of `width` pixels: the
// statistics' rows and three full-width planes for one converted row.
export function measureScratchBytes(width: i32, step: i32): i32 {
  return <i32>(rowPitch(sampled(width, step)) * 5 + 3 * planeBytes(width));
}

// Every step-th byte of `from` into `to`; `to` may be `from` (the write
// position never passes the read position).
function gather(from: usize, to: usize, sampledWidth: i32, step: i32): void {
  for (let x = 0; x < sampledWidth; x++) store<u8>(to + <usize>x, load<u8>(from + <usize>(x * step)));
}

// After the scans: measures the output rows 0, step, 2 step, ... into `out`.
export function measureRows(step: i32, scratch: usize, out: usize): void {
  const sw = sampled(outWidth, step), sh = sampled(outHeight, step);
  const gray = componentCount == 1;
  const planes = scratch + rowPitch(sw) * 5;
  const r = planes, g = planes + planeBytes(outWidth), b = planes + 2 * planeBytes(outWidth);
  const rgb = isRgb();
  statsBegin(sw, gray, scratch);
  for (let i = 0; i < sh; i++) {
    const y = i * step;
    if (gray) {
      let row = componentRow(0, y);
      if (step > 1) {
        gather(row, r, sw, step);
        row = r;
      }
      grayRow(row, sw, statsLumaRow());
    } else {
      let pr = componentRow(0, y), pg = componentRow(1, y), pb = componentRow(2, y);
      if (!rgb) {
        ycbcrPlanarRow(pr, pg, pb, r, g, b, outWidth);
        pr = r; pg = g; pb = b;
      }
      if (step > 1) {
        gather(pr, r, sw, step);
        gather(pg, g, sw, step);
        gather(pb, b, sw, step);
        pr = r; pg = g; pb = b;
      }
      colourRowPlanar(pr, pg, pb, sw, statsLumaRow(), statsJointRow());
    }
    statsRowDone(sw);
  }
  statsFinish(outWidth, outHeight, sw, sh, out);
}
