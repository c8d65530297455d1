// Frames for tests: real photos decoded once, and seeded synthetic pixels.
import sharp from 'sharp';
import type { PixelFormat } from '../../src/frame-format.js';
import { repoPath } from './paths.js';

export interface RawFrame {
  name: string;
  data: Uint8Array;
  width: number;
  height: number;
  format: PixelFormat;
  channels: 1 | 3 | 4;
}

export const PHOTOS = ['astronaut.png', 'camera.png', 'chelsea.png', 'coffee.png', 'brick.png', 'horse.png', 'rocket.jpg', 'hubble_deep_field.jpg'];

const CHANNELS_OF: Record<PixelFormat, 1 | 3 | 4> = { gray: 1, rgb: 3, rgba: 4 };

export async function photo(name: string, format: PixelFormat): Promise<RawFrame> {
  let image = sharp(repoPath('samples', name), { ignoreIcc: true });
  if (format === 'gray') image = image.toColourspace('b-w');
  else image = image.toColourspace('srgb').removeAlpha();
  if (format === 'rgba') image = image.ensureAlpha(1);
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== CHANNELS_OF[format]) throw new Error(`${name}: got ${info.channels} channels for ${format}`);
  return { name: `${name} (${format})`, data: new Uint8Array(data), width: info.width, height: info.height, format, channels: CHANNELS_OF[format] };
}

/** xorshift32: a tiny seeded generator so synthetic frames are the same on every run. */
export function seededBytes(length: number, seed: number): Uint8Array {
  let state = seed >>> 0 || 1;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    out[i] = state & 0xff;
  }
  return out;
}

export function synthetic(width: number, height: number, format: PixelFormat, seed: number): RawFrame {
  const channels = CHANNELS_OF[format];
  return { name: `${width}×${height} ${format} seed ${seed}`, data: seededBytes(width * height * channels, seed), width, height, format, channels };
}

export function filled(width: number, height: number, format: PixelFormat, value: number): RawFrame {
  const channels = CHANNELS_OF[format];
  return { name: `${width}×${height} ${format} all ${value}`, data: new Uint8Array(width * height * channels).fill(value), width, height, format, channels };
}
