// JPEG compression of frames in batches: one sharp call per frame costs about
// 0.7 ms of pipeline setup, more than the codec itself, so a batch of frames
// is stacked into one tall image, encoded and decoded once, and cut apart.
// Frames are a whole number of 16-row MCUs high, so no 8×8 block or 4:2:0
// chroma block spans two frames; between frames lie 16 pad rows (8 copies of
// the frame's last row, then 8 of the next frame's first row), so the
// decoder's chroma upsampling at a frame edge sees that frame's own edge, as
// it would at the edge of a single image.
import sharp from 'sharp';

export const PAD_ROWS = 16;

export function batchRows(frameHeight: number, frames: number): number {
  return frames * frameHeight + (frames - 1) * PAD_ROWS;
}

/** Row at which frame i starts in the stacked image. */
export function frameRow(frameHeight: number, i: number): number {
  return i * (frameHeight + PAD_ROWS);
}

export function checkFrameHeight(height: number): void {
  if (!Number.isInteger(height) || height < 16 || height % 16 !== 0) {
    throw new RangeError(`frame height must be a multiple of 16 (whole JPEG MCUs); got ${height}`);
  }
}

/** Fills the pad rows between the frames already drawn into `tall`. */
export function fillPads(tall: Uint8ClampedArray, width: number, frameHeight: number, frames: number): void {
  const rowBytes = width * 3;
  for (let i = 0; i + 1 < frames; i++) {
    const lastRow = (frameRow(frameHeight, i) + frameHeight - 1) * rowBytes;
    const nextFirst = frameRow(frameHeight, i + 1) * rowBytes;
    const padStart = lastRow + rowBytes;
    for (let r = 0; r < PAD_ROWS; r++) {
      const from = r < PAD_ROWS / 2 ? lastRow : nextFirst;
      tall.copyWithin(padStart + r * rowBytes, from, from + rowBytes);
    }
  }
}

/** Encodes the stacked RGB image at `quality` (4:2:0, baseline) and decodes it back to RGB. */
export async function jpegRoundTrip(tall: Uint8ClampedArray, width: number, rows: number, quality: number): Promise<Uint8Array> {
  const raw = Buffer.from(tall.buffer, tall.byteOffset, tall.byteLength);
  const jpeg = await sharp(raw, { raw: { width, height: rows, channels: 3 } })
    .jpeg({ quality, chromaSubsampling: '4:2:0', optimiseCoding: false })
    .toBuffer();
  const { data, info } = await sharp(jpeg, { sequentialRead: true }).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== width || info.height !== rows) {
    throw new Error(`JPEG round trip returned ${info.width}×${info.height}×${info.channels}, expected ${width}×${rows}×3`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
