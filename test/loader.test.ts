import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { loadKernels, simdSupported, buildFileName } from '../edge/library.js';
import { repoPath } from './helpers/paths.js';

const loader = suite('loader');

loader('picks the SIMD build where the engine validates SIMD', async () => {
  assert.ok(simdSupported(), 'Node 20 validates SIMD');
  const kernels = await loadKernels();
  assert.is(kernels.simd, true);
});

loader('caches one instance per source', async () => {
  const a = await loadKernels();
  const b = await loadKernels();
  assert.is(a, b);
  const scalar = await loadKernels({ simd: false });
  assert.is.not(scalar, a);
  assert.is(scalar.simd, false);
});

loader('accepts bytes, a compiled module and a file URL', async () => {
  const bytes = await readFile(repoPath('build', buildFileName(false)));
  const fromBytes = await loadKernels({ source: new Uint8Array(bytes) });
  assert.is(fromBytes.simd, false);
  const module = await WebAssembly.compile(bytes);
  const fromModule = await loadKernels({ source: module });
  assert.is(fromModule.simd, false);
  assert.is(await loadKernels({ source: module }), fromModule);
  const url = new URL(`file://${repoPath('build', buildFileName(true))}`);
  const fromUrl = await loadKernels({ source: url });
  assert.is(fromUrl.simd, true);
});

loader('rejects bytes that are not a module, with a clear error', async () => {
  try {
    await loadKernels({ source: new Uint8Array([1, 2, 3, 4]) });
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, TypeError);
    assert.match((error as Error).message, /not a WebAssembly module/);
  }
});

loader('the kernels import nothing, so every runtime can instantiate them', async () => {
  for (const simd of [true, false]) {
    const module = await WebAssembly.compile(await readFile(repoPath('build', buildFileName(simd))));
    assert.equal(WebAssembly.Module.imports(module), []);
  }
});

loader('grows memory only when a larger frame arrives', async () => {
  // Its own instance: the cached ones have been grown by other suites.
  const kernels = await loadKernels({ source: new Uint8Array(await readFile(repoPath('build', buildFileName(true)))) });
  const small = new Uint8Array(64 * 64 * 4).fill(100);
  kernels.frameStats(small, { width: 64, height: 64, format: 'rgba' });
  const before = kernels.memoryBytes;
  kernels.frameStats(small, { width: 64, height: 64, format: 'rgba' });
  assert.is(kernels.memoryBytes, before);
  const large = new Uint8Array(1000 * 800 * 4).fill(7);
  const stats = kernels.frameStats(large, { width: 1000, height: 800, format: 'rgba' });
  assert.ok(kernels.memoryBytes > before);
  assert.is(stats.features.luma_mean, 7);
  // Views are re-created after growth: a later small frame still reads right.
  assert.is(kernels.frameStats(small, { width: 64, height: 64, format: 'rgba' }).features.luma_mean, 100);
});

loader.run();
