// The kernels' loader for Node, Deno and browsers (src/wasm-loader.ts): bytes,
// a compiled module or a URL; the SIMD build where the engine validates SIMD,
// else the scalar build from the same source; one instance per source.
import { Kernels } from './kernels.js';
import { wasmLoader, type LoadOptions } from './wasm-loader.js';

export type { KernelBytes, KernelSource, LoadOptions } from './wasm-loader.js';

/** Which build file the default loader picks: kernels-simd.wasm or kernels-scalar.wasm. */
export function buildFileName(simd: boolean): string {
  return simd ? 'kernels-simd.wasm' : 'kernels-scalar.wasm';
}

export const loadKernels: (options?: LoadOptions) => Promise<Kernels> = wasmLoader({
  what: 'kernels',
  defaultBase: new URL('../../build/', import.meta.url),
  fileName: buildFileName,
  imports: {
    env: {
      abort(_message: number, _file: number, line: number, column: number): never {
        throw new Error(`kernel aborted at line ${line}:${column}`);
      },
    },
  },
  wrap: (instance) => new Kernels(instance),
});
