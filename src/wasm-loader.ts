// Loading a driftwatch WebAssembly build, for the kernels and the JPEG
// decoder alike: bytes, a compiled module or a URL; the SIMD build where the
// engine validates SIMD (else the scalar build from the same source); one
// instance per source, cached.
import { simdSupported } from './simd-support.js';

export type KernelBytes = ArrayBuffer | ArrayBufferView;
export type KernelSource = KernelBytes | WebAssembly.Module | URL | string;

export interface LoadOptions {
  /** One specific build: bytes, a compiled module, or a URL of a .wasm file. */
  source?: KernelSource;
  /** Folder holding the -simd.wasm and -scalar.wasm builds; default: the package's build/. */
  baseUrl?: URL | string;
  /** 'auto' (default) picks SIMD when the engine validates it; true or false forces a build. */
  simd?: boolean | 'auto';
  /** How to read a URL; default: fetch(). Node's entry passes a file reader. */
  readUrl?: (url: URL) => Promise<Uint8Array>;
}

/** What differs between the builds a loader serves. */
export interface WasmBuild<T> {
  /** Names the build in errors: 'kernels', 'the JPEG decoder'. */
  what: string;
  /** The package's build/ folder, relative to the module that declares the build. */
  defaultBase: URL;
  fileName(simd: boolean): string;
  imports: WebAssembly.Imports;
  wrap(instance: WebAssembly.Instance): T;
}

function toUrl(value: URL | string): URL {
  if (value instanceof URL) return value;
  try {
    return new URL(value);
  } catch {
    throw new TypeError(`not a valid URL: ${JSON.stringify(value)}`);
  }
}

function isBytes(value: unknown): value is KernelBytes {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

function asBufferSource(bytes: KernelBytes): Uint8Array<ArrayBuffer> {
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
}

function cached<K, T>(map: { get(k: K): Promise<T> | undefined; set(k: K, v: Promise<T>): unknown; delete(k: K): unknown }, key: K, make: () => Promise<T>): Promise<T> {
  let pending = map.get(key);
  if (!pending) {
    pending = make();
    map.set(key, pending);
    pending.catch(() => map.delete(key));
  }
  return pending;
}

/** The load function of one build, with its own cache. */
export function wasmLoader<T>(build: WasmBuild<T>): (options?: LoadOptions) => Promise<T> {
  const byKey = new Map<string, Promise<T>>();
  const byObject = new WeakMap<object, Promise<T>>();

  async function fetchBytes(url: URL): Promise<Uint8Array> {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`cannot load ${build.what} from ${url.href}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  async function fromSource(source: KernelSource, readUrl: (url: URL) => Promise<Uint8Array>): Promise<T> {
    if (source instanceof WebAssembly.Module) return build.wrap(await WebAssembly.instantiate(source, build.imports));
    if (isBytes(source)) {
      const bytes = asBufferSource(source);
      if (!WebAssembly.validate(bytes)) {
        throw new TypeError('the given bytes are not a WebAssembly module this engine can run (a SIMD build on an engine without SIMD?)');
      }
      return fromSource(await WebAssembly.compile(bytes), readUrl);
    }
    return fromSource(await readUrl(toUrl(source)), readUrl);
  }

  return (options = {}) => {
    const readUrl = options.readUrl ?? fetchBytes;
    const source = options.source;
    if (source !== undefined) {
      if (typeof source === 'object' && !(source instanceof URL)) return cached(byObject, source, () => fromSource(source, readUrl));
      return cached(byKey, toUrl(source).href, () => fromSource(source, readUrl));
    }
    const wanted = options.simd ?? 'auto';
    const simd = wanted === 'auto' ? simdSupported() : wanted;
    if (simd && !simdSupported()) return Promise.reject(new Error('this engine does not support WebAssembly SIMD'));
    const url = new URL(build.fileName(simd), options.baseUrl === undefined ? build.defaultBase : toUrl(options.baseUrl));
    return cached(byKey, url.href, () => fromSource(url, readUrl));
  };
}
