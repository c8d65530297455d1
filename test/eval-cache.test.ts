import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, truncate, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_VARIATION, type StreamSpec } from '../eval/camera-stream.js';
import { cachedFeatures, cacheFile, cacheKey } from '../eval/feature-cache.js';
import { FEATURE_COUNT } from '../eval/feature-stream.js';
import { loadBuild } from './helpers/builds.js';

const kernels = await loadBuild('simd');
const spec: StreamSpec = { photo: 'chelsea.png', width: 320, height: 240, frames: 6, seed: 5, variation: { ...DEFAULT_VARIATION } };

const cache = suite('feature cache');
cache('a stream is computed once, then read back bit for bit', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'driftwatch-eval-cache-'));
  try {
    const first = await cachedFeatures('t', spec, { kernels, dir });
    const second = await cachedFeatures('t', spec, { kernels, dir });
    assert.is(first.fromCache, false);
    assert.is(second.fromCache, true);
    assert.is(second.values.length, 6 * FEATURE_COUNT);
    assert.equal(Array.from(second.values), Array.from(first.values));
    assert.equal(await readdir(dir), [cacheFile(dir, 't', spec).slice(dir.length + 1)]);
    await truncate(cacheFile(dir, 't', spec), 100);
    const third = await cachedFeatures('t', spec, { kernels, dir });
    assert.is(third.fromCache, false, 'a truncated file is recomputed');
    assert.equal(Array.from(third.values), Array.from(first.values));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
cache('the key covers every parameter and ignores key order', () => {
  const key = cacheKey(spec);
  assert.is(cacheKey({ variation: { ...DEFAULT_VARIATION }, seed: 5, frames: 6, height: 240, width: 320, photo: 'chelsea.png' }), key);
  assert.is.not(cacheKey({ ...spec, seed: 6 }), key);
  assert.is.not(cacheKey({ ...spec, variation: { ...DEFAULT_VARIATION, jpegQuality: 90 } }), key);
  assert.is.not(cacheKey({ ...spec, drift: { kind: 'blur', onset: 'abrupt', startFrame: 0, rampFrames: 0 } }), key);
  assert.throws(() => cacheFile('/tmp', '../x', spec), RangeError);
});
cache.run();
