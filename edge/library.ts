// The package entry under Node: the portable core, with a loader that reads
// file: URLs from disk (Node's fetch does not open file: URLs).
import { readFile } from 'node:fs/promises';
import { loadKernels as loadPortable, type LoadOptions } from '../src/loader.js';
import type { Kernels } from '../src/kernels.js';
import { loadJpegDecoder as loadJpegPortable, type JpegLoadOptions } from '../src/jpeg/jpeg-loader.js';
import type { JpegDecoder } from '../src/jpeg/jpeg-decoder.js';

export * from '../src/index.js';

export async function readUrl(url: URL): Promise<Uint8Array> {
  if (url.protocol === 'file:') return readFile(url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load kernels from ${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export function loadKernels(options: LoadOptions = {}): Promise<Kernels> {
  return loadPortable({ readUrl, ...options });
}

/** The WASM JPEG decoder (docs/decode.md), its build read from disk. */
export function loadJpegDecoder(options: JpegLoadOptions = {}): Promise<JpegDecoder> {
  return loadJpegPortable({ readUrl, ...options });
}
