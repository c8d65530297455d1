import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ks2samp, type Kernels } from '../edge/library.js';
import { BUILDS, loadBuild } from './helpers/builds.js';

for (const build of BUILDS) {
  const workspace = suite(`statistics and frame kernels share one memory (${build})`);
  let kernels: Kernels;
  workspace.before(async () => { kernels = await loadBuild(build); });

  workspace('workspace() grows memory and returns a 16-byte aligned offset', () => {
    const before = kernels.memoryBytes;
    const offset = kernels.workspace(before + 1);
    assert.ok(kernels.memoryBytes >= offset + before + 1);
    assert.is(offset % 16, 0);
    assert.throws(() => kernels.exported('noSuchKernel'), TypeError);
  });

  workspace('interleaved frame and KS calls do not disturb each other', () => {
    const frame = new Uint8Array(64 * 48 * 4).fill(90);
    const a = Float64Array.from({ length: 3000 }, (_, i) => Math.sin(i));
    const b = Float64Array.from({ length: 2000 }, (_, i) => Math.cos(i) + 0.1);
    const first = ks2samp(a, b, { kernels });
    const luma = kernels.frameStats(frame, { width: 64, height: 48, format: 'rgba' }).features.luma_mean;
    assert.equal(ks2samp(a, b, { kernels }), first);
    assert.is(kernels.frameStats(frame, { width: 64, height: 48, format: 'rgba' }).features.luma_mean, luma);
    // The inputs are read, never written.
    assert.is(a[1], Math.sin(1));
    assert.is(b[0], 1.1);
  });
  workspace.run();
}
