// The one real photo every runtime smoke test uses, decoded once in Node so
// all runtimes see the very same bytes.
import sharp from 'sharp';
import { repoPath } from './paths.js';

export interface SmokeFrame {
  file: string;
  pixels: Uint8Array;
  width: number;
  height: number;
  format: 'rgba';
}

// 451 px wide: an odd width, so the SIMD tail paths run too.
export const SMOKE_PHOTO = 'samples/chelsea.png';

export async function decodeSmokeFrame(): Promise<SmokeFrame> {
  const { data, info } = await sharp(repoPath(SMOKE_PHOTO)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 4) throw new Error(`expected 4 channels from ${SMOKE_PHOTO}, got ${info.channels}`);
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { file: SMOKE_PHOTO, pixels, width: info.width, height: info.height, format: 'rgba' };
}
