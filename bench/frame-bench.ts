// Frame statistics on a 1920×1080 RGBA frame made from a real photo: both
// WASM builds, the fused plain-JS peer, sharp's stats() on the same raw
// buffer, and one copy of the frame (the memory bound), in one run.
import sharp from 'sharp';
import { loadKernels } from '../edge/library.js';
import { jsFusedFrameStats } from './js-fused-frame-stats.js';
import { timeInterleaved, type BenchTable } from './timing.js';

const WIDTH = 1920, HEIGHT = 1080;

export async function makeFrame(): Promise<Uint8Array> {
  const source = new URL('../../samples/coffee.png', import.meta.url).pathname;
  const { data } = await sharp(source).resize(WIDTH, HEIGHT, { fit: 'fill' }).ensureAlpha(1).raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

export async function runFrameBench(log: (line: string) => void, rounds = 25): Promise<BenchTable> {
  const frame = await makeFrame();
  const options = { width: WIDTH, height: HEIGHT, format: 'rgba' as const };
  const simd = await loadKernels({ simd: true });
  const scalar = await loadKernels({ simd: false });
  const copyTarget = new Uint8Array(frame.length);
  const sharpConcurrency = sharp.concurrency();
  const statsOf = (threads: number) => async () => {
    sharp.concurrency(threads);
    await sharp(frame, { raw: { width: WIDTH, height: HEIGHT, channels: 4 } }).stats();
  };
  log(`frame statistics: ${WIDTH}×${HEIGHT} RGBA, ${rounds} interleaved rounds`);
  const medians = await timeInterleaved([
    // Every candidate runs once per round, so each meets the caches as a new frame would.
    { name: 'one frame copy (Uint8Array.set, 8.3 MB)', run: () => copyTarget.set(frame) },
    { name: 'driftwatch WASM SIMD', run: () => simd.frameStats(frame, options) },
    { name: 'driftwatch WASM scalar', run: () => scalar.frameStats(frame, options) },
    { name: 'fused plain JS', run: () => jsFusedFrameStats(frame, WIDTH, HEIGHT, 4) },
    { name: 'sharp stats(), 1 thread', run: statsOf(1) },
    // libvips' own default thread count, where it differs.
    ...(sharpConcurrency > 1 ? [{ name: `sharp stats(), ${sharpConcurrency} threads`, run: statsOf(sharpConcurrency) }] : []),
  ], rounds);
  sharp.concurrency(sharpConcurrency);
  const simdMs = medians.get('driftwatch WASM SIMD')!;
  const copyMs = medians.get('one frame copy (Uint8Array.set, 8.3 MB)')!;
  const rows = [...medians].map(([name, ms]) => ({
    candidate: name,
    'median ms': ms.toFixed(3),
    'time / SIMD': (ms / simdMs).toFixed(2),
    'time / copy': (ms / copyMs).toFixed(2),
  }));
  return { title: `Frame statistics, ${WIDTH}×${HEIGHT} RGBA (whole catalogue v1)`, rows };
}
