// Status codes of build/jpeg-*.wasm (assembly/jpeg/status.ts) and the errors
// the host throws for them.

const CORRUPT: Readonly<Record<number, string>> = {
  1: 'not a JPEG (no SOI marker)',
  2: 'truncated data',
  3: 'a marker was expected',
  4: 'bad segment length',
  5: 'bad Huffman table (DHT)',
  6: 'bad or missing quantisation table (DQT)',
  7: 'bad frame header (SOF)',
  8: 'bad scan header (SOS)',
  9: 'bad Huffman code in the scan',
  10: 'missing or out-of-order restart marker',
  11: 'incomplete image (no EOI, or a component without a scan)',
  30: 'bad argument',
};

const UNSUPPORTED: Readonly<Record<number, string>> = {
  20: 'progressive JPEG (SOF2)',
  21: 'arithmetic coding',
  22: 'sample precision other than 8 bits',
  23: 'component count other than 1 or 3 (CMYK, YCCK)',
  24: 'sampling factor above 2',
  25: 'lossless JPEG (SOF3)',
  26: 'hierarchical JPEG (SOF5-7)',
  27: 'height defined by DNL',
};

/** Corrupt or truncated JPEG data. */
export class JpegDecodeError extends Error {
  constructor(readonly code: number, readonly offset: number) {
    super(`corrupt JPEG: ${CORRUPT[code] ?? `status ${code}`} (at byte ${offset})`);
    this.name = 'JpegDecodeError';
  }
}

/** A valid JPEG this decoder does not handle; decode it another way. */
export class JpegUnsupportedError extends Error {
  constructor(readonly code: number, readonly what: string) {
    super(`unsupported: ${what}`);
    this.name = 'JpegUnsupportedError';
  }
}

export function statusError(code: number, offset: number): Error {
  const what = UNSUPPORTED[code];
  return what !== undefined ? new JpegUnsupportedError(code, what) : new JpegDecodeError(code, offset);
}
