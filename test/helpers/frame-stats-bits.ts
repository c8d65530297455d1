// Frame statistics as comparable plain data: features as their float64 bit
// patterns (so -0/+0 or NaN would show too), histograms as arrays.
import type { FrameStats } from '../../src/kernels.js';

export function statsBits(stats: FrameStats): unknown {
  const features = Object.entries(stats.features).map(([name, v]) => [name, Buffer.from(new Float64Array([v]).buffer).toString('hex')]);
  return { width: stats.width, height: stats.height, features, luma: [...stats.histograms.luma], hue: [...stats.histograms.hue] };
}
