// JPEG decoding of a 640×480 q85 4:2:0 frame (the replay-throughput frame):
// driftwatch's WASM decoder at scales 1, 1/2, 1/4, 1/8 beside sharp's full
// decode (libjpeg-turbo) and sharp's decode followed by the 2×2 box average
// (the fallback path), one thread, and the per-frame pipeline budget
// (decode + frameStats, and the fused decoder.measure that replay and the
// agent use) at each scale; all interleaved in one run.
import sharp from 'sharp';
import { loadKernels, loadJpegDecoder } from '../edge/library.js';
import { boxSubsample } from '../src/box-subsample.js';
import type { JpegScale } from '../src/jpeg/jpeg-decoder.js';
import { timeInterleaved, type BenchTable, type Candidate } from './timing.js';

const WIDTH = 640, HEIGHT = 480;

export async function makeJpeg(): Promise<Uint8Array> {
  const source = new URL('../../samples/astronaut.png', import.meta.url).pathname;
  return new Uint8Array(await sharp(source).resize(WIDTH, HEIGHT).removeAlpha().jpeg({ quality: 85 }).toBuffer());
}

export async function runJpegDecodeBench(log: (line: string) => void, rounds = 31): Promise<BenchTable> {
  const jpeg = await makeJpeg();
  const simd = await loadJpegDecoder({ simd: true });
  const scalar = await loadJpegDecoder({ simd: false });
  const kernels = await loadKernels();
  const concurrency = sharp.concurrency();
  sharp.concurrency(1);
  const sharpDecode = async () => {
    const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, format: 'rgb' as const };
  };
  const wasm = (scale: JpegScale): Candidate => ({ name: `WASM SIMD 1/${scale}`, run: () => simd.decode(jpeg, { scale }), repeat: 4 });
  const withStats = (scale: JpegScale): Candidate => ({
    name: `WASM SIMD 1/${scale} + frameStats`,
    run: () => {
      const f = simd.decode(jpeg, { scale });
      kernels.frameStats(f.data, f);
    },
    repeat: 4,
  });
  const measured = (scale: JpegScale): Candidate => ({ name: `WASM SIMD 1/${scale} measure (fused decode + statistics)`, run: () => simd.measure(jpeg, { scale }), repeat: 4 });
  log(`JPEG decode: ${WIDTH}×${HEIGHT} q85 4:2:0 (${jpeg.length} bytes), ${rounds} interleaved rounds`);
  const medians = await timeInterleaved([
    { name: 'sharp full decode (1 thread)', run: sharpDecode, repeat: 2 },
    wasm(1), wasm(2), wasm(4), wasm(8),
    { name: 'WASM scalar 1/1', run: () => scalar.decode(jpeg, { scale: 1 }), repeat: 2 },
    { name: 'WASM scalar 1/2', run: () => scalar.decode(jpeg, { scale: 2 }), repeat: 4 },
    { name: 'sharp full decode + 2×2 box average (fallback)', run: async () => boxSubsample(await sharpDecode(), 2), repeat: 2 },
    { name: 'sharp full decode + frameStats', run: async () => { const f = await sharpDecode(); kernels.frameStats(f.data, f); }, repeat: 2 },
    withStats(1), withStats(2), withStats(4),
    measured(1), measured(2), measured(4),
  ], rounds);
  sharp.concurrency(concurrency);
  const sharpMs = medians.get('sharp full decode (1 thread)')!;
  const rows = [...medians].map(([name, ms]) => ({
    candidate: name,
    'median ms': ms.toFixed(3),
    'time / sharp decode': (ms / sharpMs).toFixed(2),
    'frames/s at this cost': Math.round(1000 / ms),
  }));
  return { title: `JPEG decode, ${WIDTH}×${HEIGHT} q85 4:2:0, one thread (scales 1/1 to 1/8)`, rows };
}
