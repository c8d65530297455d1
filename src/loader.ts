// One loader for Node, Deno and browsers. It takes bytes, a compiled module or
// a URL, picks the SIMD build where the engine validates SIMD (else the scalar
// build from the same source), and caches one instance per source.
import { Kernels } from './kernels.js';
import { simdSupported } from './simd-support.js';

export type KernelBytes = ArrayBuffer | ArrayBufferView;
export type KernelSource = KernelBytes | WebAssembly.Module | URL | string;

export interface LoadOptions {
  /** One specific build: bytes, a compiled module, or a URL of a .wasm file. */
  source?: KernelSource;
  /** Folder holding kernels-simd.wasm and kernels-scalar.wasm; default: the package's build/. */
  baseUrl?: URL | string;
  /** 'auto' (default) picks SIMD when the engine validates it; true or false forces a build. */
  simd?: boolean | 'auto';
  /** How to read a URL; default: fetch(). Node's entry passes a file reader. */
  readUrl?: (url: URL) => Promise<Uint8Array>;
}

const DEFAULT_BASE = new URL('../../build/', import.meta.url);

const byKey = new Map<string, Promise<Kernels>>();
const byObject = new WeakMap<object, Promise<Kernels>>();

async function fetchBytes(url: URL): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load kernels from ${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function toUrl(value: URL | string, base?: URL): URL {
  if (value instanceof URL) return value;
  try {
    return new URL(value, base);
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

async function instantiate(module: WebAssembly.Module): Promise<Kernels> {
  const imports = {
    env: {
      abort(_message: number, _file: number, line: number, column: number): never {
        throw new Error(`kernel aborted at line ${line}:${column}`);
      },
    },
  };
  return new Kernels(await WebAssembly.instantiate(module, imports));
}

async function fromSource(source: KernelSource, readUrl: (url: URL) => Promise<Uint8Array>): Promise<Kernels> {
  if (source instanceof WebAssembly.Module) return instantiate(source);
  if (isBytes(source)) {
    const bytes = asBufferSource(source);
    if (!WebAssembly.validate(bytes)) {
      throw new TypeError('the given bytes are not a WebAssembly module this engine can run (a SIMD build on an engine without SIMD?)');
    }
    return instantiate(await WebAssembly.compile(bytes));
  }
  return fromSource(await readUrl(toUrl(source)), readUrl);
}

/** Which build file the default loader picks: kernels-simd.wasm or kernels-scalar.wasm. */
export function buildFileName(simd: boolean): string {
  return simd ? 'kernels-simd.wasm' : 'kernels-scalar.wasm';
}

export function loadKernels(options: LoadOptions = {}): Promise<Kernels> {
  const readUrl = options.readUrl ?? fetchBytes;
  const source = options.source;
  if (source !== undefined) {
    if (typeof source === 'object' && !(source instanceof URL)) {
      let pending = byObject.get(source);
      if (!pending) {
        pending = fromSource(source, readUrl);
        byObject.set(source, pending);
        pending.catch(() => byObject.delete(source));
      }
      return pending;
    }
    return cachedByKey(toUrl(source).href, () => fromSource(source, readUrl));
  }
  const wanted = options.simd ?? 'auto';
  const simd = wanted === 'auto' ? simdSupported() : wanted;
  if (simd && !simdSupported()) return Promise.reject(new Error('this engine does not support WebAssembly SIMD'));
  const url = new URL(buildFileName(simd), options.baseUrl === undefined ? DEFAULT_BASE : toUrl(options.baseUrl));
  return cachedByKey(url.href, () => fromSource(url, readUrl));
}

function cachedByKey(key: string, make: () => Promise<Kernels>): Promise<Kernels> {
  let pending = byKey.get(key);
  if (!pending) {
    pending = make();
    byKey.set(key, pending);
    pending.catch(() => byKey.delete(key));
  }
  return pending;
}
