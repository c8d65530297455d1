// Both kernel builds, for suites that must pass against each of them.
import { loadKernels, type Kernels } from '../../edge/library.js';

export const BUILDS = ['simd', 'scalar'] as const;
export type BuildName = (typeof BUILDS)[number];

export function loadBuild(name: BuildName): Promise<Kernels> {
  return loadKernels({ simd: name === 'simd' });
}
