// Pixel formats that frameStats accepts and their bytes per pixel.

export type PixelFormat = 'rgba' | 'rgb' | 'gray';

export const BYTES_PER_PIXEL: Readonly<Record<PixelFormat, number>> = { rgba: 4, rgb: 3, gray: 1 };

export function bytesPerPixel(format: unknown): number {
  if (typeof format !== 'string' || !Object.hasOwn(BYTES_PER_PIXEL, format)) {
    throw new TypeError(`format must be 'rgba', 'rgb' or 'gray', got ${JSON.stringify(format)}`);
  }
  return BYTES_PER_PIXEL[format as PixelFormat];
}
