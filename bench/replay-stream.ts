// The replay benchmark's camera stream: seeded 640×480 q85 JPEG frames of
// samples/astronaut.png, each one of 16 noisy versions of the photo (σ 2
// levels) under its own gain (1 ± 1%), written as f000000.jpg, ...; the
// first `reference` frames are copied into a second folder for the baseline.
// Used by bench/replay-bench.ts and scripts/replay-throughput.mjs.
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

export const STREAM_WIDTH = 640, STREAM_HEIGHT = 480;

export interface WrittenStream {
  /** The folder of all frames, in file-name order. */
  stream: string;
  /** The folder of the first `reference` frames. */
  reference: string;
}

export async function writeReplayStream(dir: string, frames: number, reference: number): Promise<WrittenStream> {
  let s = 2026;
  const uniform = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const photo = await sharp(new URL('../../samples/astronaut.png', import.meta.url).pathname)
    .resize(STREAM_WIDTH, STREAM_HEIGHT).removeAlpha().raw().toBuffer();
  const noisy = Array.from({ length: 16 }, () => Buffer.from(photo.map((v) => Math.max(0, Math.min(255, Math.round(v + 2 * gaussian()))))));
  const stream = join(dir, 'stream'), referenceDir = join(dir, 'reference');
  await mkdir(stream, { recursive: true });
  await mkdir(referenceDir, { recursive: true });
  for (let i = 0; i < frames; i++) {
    const image = sharp(noisy[Math.floor(uniform() * 16)], { raw: { width: STREAM_WIDTH, height: STREAM_HEIGHT, channels: 3 } })
      .linear(1 + 0.01 * gaussian(), 0).jpeg({ quality: 85 });
    const name = `f${String(i).padStart(6, '0')}.jpg`;
    await image.toFile(join(stream, name));
    if (i < reference) await copyFile(join(stream, name), join(referenceDir, name));
  }
  return { stream, reference: referenceDir };
}
