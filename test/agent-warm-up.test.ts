// The start-up warm-up of the alert path: a throwaway monitor on the
// camera's own options goes from ok through pending to firing on frames drawn
// from the baseline and then shifted, the same every time, and leaves the
// camera's own monitor untouched.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { decodeBaseline } from '../src/baseline/baseline-codec.js';
import { DriftMonitor } from '../src/policy/drift-monitor.js';
import { warmUpMonitor } from '../edge/agent/warm-up.js';
import { repoPath } from './helpers/paths.js';

const warm = suite('warmUpMonitor');

warm('reaches firing on the camera options, deterministically, under its own camera name', async () => {
  const baseline = await decodeBaseline(new Uint8Array(await readFile(repoPath('samples/demo/coffee-cam.dwb'))));
  const options = { camera: 'yard', baseline, checkEvery: 25, window: { kind: 'sliding-count' as const, size: 300 } };
  const own = new DriftMonitor(options);
  const first = warmUpMonitor(options);
  const second = warmUpMonitor(options);
  assert.equal(first.map((e) => e.state), ['pending', 'firing']);
  assert.equal(first.map((e) => `${e.frame} ${e.cause}`), second.map((e) => `${e.frame} ${e.cause}`));
  assert.ok(first.every((e) => e.camera === 'yard.warm-up'));
  assert.is(own.windows.frames.seen, 0, "the camera's own monitor saw nothing");
});

warm.run();
