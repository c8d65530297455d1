// driftwatch's portable core: runs unchanged in Node, Deno and browsers.
export { loadKernels, buildFileName, type LoadOptions, type KernelSource, type KernelBytes } from './loader.js';
export { Kernels, type FrameOptions, type FrameStats } from './kernels.js';
export { simdSupported } from './simd-support.js';
export { type PixelFormat, BYTES_PER_PIXEL } from './frame-format.js';
export {
  CATALOGUE_VERSION, SCALAR_FEATURES, SCALAR_FEATURE_NAMES, HISTOGRAM_FEATURES,
  type ScalarFeatureName, type HistogramName, type FeatureInfo, type FeatureKind,
} from './catalogue.js';
export { ks2samp, type Ks2sampOptions, type Ks2sampResult, type KsMethod, type Alternative } from './stats/ks2samp.js';
