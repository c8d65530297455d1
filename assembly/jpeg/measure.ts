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

@inline function planeBytes(): usize {
  return <usize>((outWidth + 64 + 15) & ~15);
}

// Scratch for measureRows at `step`, once the frame is laid out: the
// statistics' rows and three full-width planes for one converted row.
export function measureScratchBytes(step: i32): i32 {
  return <i32>(rowPitch(sampled(outWidth, step)) * 5 + 3 * planeBytes());
}

// Every step-th byte of a row, moved to its front (in place: the write
// position never passes the read position).
function gatherInPlace(row: usize, sampledWidth: i32, step: i32): void {
  for (let x = 1; x < sampledWidth; x++) store<u8>(row + <usize>x, load<u8>(row + <usize>(x * step)));
}

// After the scans: measures the output rows 0, step, 2 step, ... into `out`.
export function measureRows(step: i32, scratch: usize, out: usize): void {
  const sw = sampled(outWidth, step), sh = sampled(outHeight, step);
  const gray = componentCount == 1;
  const planes = scratch + rowPitch(sw) * 5;
  const r = planes, g = planes + planeBytes(), b = planes + 2 * planeBytes();
  const rgb = isRgb();
  statsBegin(sw, gray, scratch);
  for (let i = 0; i < sh; i++) {
    const y = i * step;
    if (gray) {
      let row = componentRow(0, y);
      if (step > 1) {
        memory.copy(r, row, <usize>outWidth);
        gatherInPlace(r, sw, step);
        row = r;
      }
      grayRow(row, sw, statsLumaRow());
    } else {
      let pr = componentRow(0, y), pg = componentRow(1, y), pb = componentRow(2, y);
      if (!rgb) {
        ycbcrPlanarRow(pr, pg, pb, r, g, b, outWidth);
        pr = r; pg = g; pb = b;
      } else if (step > 1) {
        memory.copy(r, pr, <usize>outWidth);
        memory.copy(g, pg, <usize>outWidth);
        memory.copy(b, pb, <usize>outWidth);
        pr = r; pg = g; pb = b;
      }
      if (step > 1) {
        gatherInPlace(r, sw, step);
        gatherInPlace(g, sw, step);
        gatherInPlace(b, sw, step);
      }
      colourRowPlanar(pr, pg, pb, sw, statsLumaRow(), statsJointRow());
    }
    statsRowDone(sw);
  }
  statsFinish(outWidth, outHeight, sw, sh, out);
}
