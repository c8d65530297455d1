// The decode scale `baseline build` picks when --decode-scale is not given.
// Frames of at least 640×480 are measured at half size: at 640×480 the
// scenario drifts (blur of σ 2 px among them) fire as at full size, abrupt
// ones on the same frame, and stable streams stay quiet (docs/decode.md,
// BENCHMARKS.md issue 5), for about half the decode-and-measure time, which is what lets
// replay pass 500 frames/s of such JPEGs on one core. Smaller frames are
// measured whole; 1/4 and 1/8 are left to an explicit choice.
import type { DecodeScale } from './decode.js';

/** Long and short side from which frames are measured at half size. */
export const HALF_SIZE_FROM = { long: 640, short: 480 } as const;

export function autoDecodeScale(width: number, height: number): DecodeScale {
  return Math.max(width, height) >= HALF_SIZE_FROM.long && Math.min(width, height) >= HALF_SIZE_FROM.short ? 2 : 1;
}
