// measureFile: files read into one reused buffer and measured in the same
// step (JPEGs the WASM decoder supports in its fused decode-and-measure pass)
// give the statistics of decodeFile's pixels and decodeFile's errors, in any
// order of sizes, with either build of the kernels.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFile, measureFile, DecodeError } from '../edge/decode.js';
import { loadKernels } from '../edge/library.js';
import type { Kernels } from '../src/kernels.js';
import { repoPath } from './helpers/paths.js';
import { rejection } from './helpers/rejection.js';

const measuredFile = suite('measureFile');
let simd: Kernels, scalar: Kernels;
measuredFile.before(async () => {
  simd = await loadKernels({ simd: true });
  scalar = await loadKernels({ simd: false });
});

measuredFile('small, large, small again, and a PNG between them: the statistics of decodeFile\'s pixels', async () => {
  const files = ['samples/rocket.jpg', 'samples/hubble_deep_field.jpg', 'samples/camera.png', 'samples/rocket.jpg'].map((file) => repoPath(file));
  for (const kernels of [simd, scalar]) {
    for (const [scale, step] of [[1, 1], [4, 1], [1, 3]] as const) {
      for (const file of files) {
        const measured = await measureFile(file, { scale }, kernels, step);
        const own = await decodeFile(file, { scale });
        const expected = kernels.frameStats(own.data, { width: own.width, height: own.height, format: own.format, step });
        assert.equal(measured, expected, `${file} at 1/${scale}, step ${step}, ${kernels.simd ? 'SIMD' : 'scalar'} kernels`);
      }
    }
  }
});

measuredFile('missing, empty, truncated and non-image files are rejected naming the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'driftwatch-decoded-file-'));
  try {
    await writeFile(join(dir, 'empty.jpg'), new Uint8Array(0));
    await writeFile(join(dir, 'note.jpg'), 'hello');
    assert.match((await rejection(measureFile(join(dir, 'missing.jpg'), {}, simd, 1))).message, /missing\.jpg: cannot read file \(ENOENT\)/);
    assert.match((await rejection(measureFile(join(dir, 'empty.jpg'), {}, simd, 1))).message, /empty\.jpg: empty file$/);
    assert.match((await rejection(measureFile(join(dir, 'note.jpg'), {}, simd, 1))).message, /not a JPEG or PNG/);
    const truncated = await rejection(measureFile(repoPath('test/fixtures/truncated.jpg'), {}, simd, 1));
    assert.instance(truncated, DecodeError);
    assert.match(truncated.message, /truncated\.jpg: corrupt or truncated JPEG/);
    // the next file is measured as before
    const rocket = repoPath('samples/rocket.jpg');
    const own = await decodeFile(rocket);
    assert.equal(await measureFile(rocket, {}, simd, 1), simd.frameStats(own.data, { width: own.width, height: own.height, format: own.format }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

measuredFile.run();
