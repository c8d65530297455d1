// The package entry under Node: the portable core, with a loader that reads
// file: URLs from disk (Node's fetch does not open file: URLs).
import { readFile } from 'node:fs/promises';
import { loadKernels as loadPortable, type LoadOptions } from '../src/loader.js';
import type { Kernels } from '../src/kernels.js';

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
