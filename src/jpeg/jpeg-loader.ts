// Loads build/jpeg-simd.wasm or build/jpeg-scalar.wasm the way the kernels
// are loaded (src/wasm-loader.ts): bytes, a compiled module or a URL; SIMD
// where the engine validates it; one instance per source.
import { JpegDecoder } from './jpeg-decoder.js';
import { wasmLoader, type LoadOptions } from '../wasm-loader.js';

export type JpegLoadOptions = LoadOptions;

/** Which build file the default loader picks: jpeg-simd.wasm or jpeg-scalar.wasm. */
export function jpegBuildFileName(simd: boolean): string {
  return simd ? 'jpeg-simd.wasm' : 'jpeg-scalar.wasm';
}

export const loadJpegDecoder: (options?: JpegLoadOptions) => Promise<JpegDecoder> = wasmLoader({
  what: 'the JPEG decoder',
  defaultBase: new URL('../../../build/', import.meta.url),
  fileName: jpegBuildFileName,
  imports: {},
  wrap: (instance) => new JpegDecoder(instance),
});
