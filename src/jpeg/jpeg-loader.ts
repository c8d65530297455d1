// Loads build/jpeg-simd.wasm or build/jpeg-scalar.wasm the way src/loader.ts
// loads the kernels: bytes, a compiled module or a URL; SIMD where the
// engine validates it; one instance per source.
import { JpegDecoder } from './jpeg-decoder.js';
import { simdSupported } from '../simd-support.js';
import type { KernelSource } from '../loader.js';

export interface JpegLoadOptions {
  /** One specific build: bytes, a compiled module, or a URL of a .wasm file. */
  source?: KernelSource;
  /** Folder holding jpeg-simd.wasm and jpeg-scalar.wasm; default: the package's build/. */
  baseUrl?: URL | string;
  /** 'auto' (default) picks SIMD when the engine validates it; true or false forces a build. */
  simd?: boolean | 'auto';
  /** How to read a URL; default: fetch(). Node's entry passes a file reader. */
  readUrl?: (url: URL) => Promise<Uint8Array>;
}

const DEFAULT_BASE = new URL('../../../build/', import.meta.url);
const byKey = new Map<string, Promise<JpegDecoder>>();
const byObject = new WeakMap<object, Promise<JpegDecoder>>();

async function fetchBytes(url: URL): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load the JPEG decoder from ${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function toUrl(value: URL | string): URL {
  if (value instanceof URL) return value;
  try {
    return new URL(value);
  } catch {
    throw new TypeError(`not a valid URL: ${JSON.stringify(value)}`);
  }
}

async function fromSource(source: KernelSource, readUrl: (url: URL) => Promise<Uint8Array>): Promise<JpegDecoder> {
  if (source instanceof WebAssembly.Module) return new JpegDecoder(await WebAssembly.instantiate(source, {}));
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    const bytes = source instanceof ArrayBuffer ? new Uint8Array(source) : new Uint8Array(source.buffer as ArrayBuffer, source.byteOffset, source.byteLength);
    if (!WebAssembly.validate(bytes)) {
      throw new TypeError('the given bytes are not a WebAssembly module this engine can run (a SIMD build on an engine without SIMD?)');
    }
    return new JpegDecoder(await WebAssembly.instantiate(await WebAssembly.compile(bytes), {}));
  }
  return fromSource(await readUrl(toUrl(source)), readUrl);
}

/** Which build file the default loader picks: jpeg-simd.wasm or jpeg-scalar.wasm. */
export function jpegBuildFileName(simd: boolean): string {
  return simd ? 'jpeg-simd.wasm' : 'jpeg-scalar.wasm';
}

function cached<K>(map: { get(k: K): Promise<JpegDecoder> | undefined; set(k: K, v: Promise<JpegDecoder>): unknown; delete(k: K): unknown }, key: K, make: () => Promise<JpegDecoder>): Promise<JpegDecoder> {
  let pending = map.get(key);
  if (!pending) {
    pending = make();
    map.set(key, pending);
    pending.catch(() => map.delete(key));
  }
  return pending;
}

export function loadJpegDecoder(options: JpegLoadOptions = {}): Promise<JpegDecoder> {
  const readUrl = options.readUrl ?? fetchBytes;
  const source = options.source;
  if (source !== undefined) {
    if (typeof source === 'object' && !(source instanceof URL)) return cached(byObject, source, () => fromSource(source, readUrl));
    return cached(byKey, toUrl(source).href, () => fromSource(source, readUrl));
  }
  const wanted = options.simd ?? 'auto';
  const simd = wanted === 'auto' ? simdSupported() : wanted;
  if (simd && !simdSupported()) return Promise.reject(new Error('this engine does not support WebAssembly SIMD'));
  const base = options.baseUrl === undefined ? DEFAULT_BASE : toUrl(options.baseUrl);
  const url = new URL(jpegBuildFileName(simd), base);
  return cached(byKey, url.href, () => fromSource(url, readUrl));
}
