// measureImage's two ways through a JPEG: fused (the decoder measures as it
// decodes, when its build matches the kernels') and the fallback (decode,
// then the kernels' frameStats), which runs when the kernels are the other
// build. Both must give what decoding and measuring separately gives.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { decodeImage, measureImage, DecodeError } from '../edge/decode.js';
import { loadJpegDecoder, loadKernels } from '../edge/library.js';
import type { FrameStats, Kernels } from '../src/kernels.js';
import { repoPath } from './helpers/paths.js';
import { rejection } from './helpers/rejection.js';
import { statsBits } from './helpers/frame-stats-bits.js';

const fallback = suite('measureImage: fused path and fallback');

const JPEGS = ['samples/rocket.jpg', 'samples/hubble_deep_field.jpg'];

async function separately(kernels: Kernels, bytes: Uint8Array, file: string, step: number): Promise<FrameStats> {
  const frame = await decodeImage(bytes, file);
  return kernels.frameStats(frame.data, { width: frame.width, height: frame.height, format: frame.format, step });
}

fallback('kernels of the other build take the fallback, and it equals decoding then measuring', async () => {
  const decoder = await loadJpegDecoder();
  const scalar = await loadKernels({ simd: false });
  // The fallback runs only when the builds differ, so the decoder must have loaded its SIMD build (Node 20's V8 has SIMD).
  assert.is(decoder.simd, true, 'the decoder loaded its SIMD build');
  assert.is(scalar.simd, false);
  for (const file of JPEGS) {
    const bytes = new Uint8Array(await readFile(repoPath(file)));
    for (const step of [1, 3]) {
      const measured = await measureImage(bytes, file, {}, scalar, step);
      assert.equal(statsBits(measured), statsBits(await separately(scalar, bytes, file, step)), `${file} step ${step}`);
    }
  }
});

fallback('the fused path equals decoding then measuring with its own build', async () => {
  const simd = await loadKernels({ simd: true });
  for (const file of JPEGS) {
    const bytes = new Uint8Array(await readFile(repoPath(file)));
    for (const step of [1, 3]) {
      assert.equal(statsBits(await measureImage(bytes, file, {}, simd, step)), statsBits(await separately(simd, bytes, file, step)), `${file} step ${step}`);
    }
  }
});

fallback('on the fallback a truncated JPEG is a DecodeError naming the file, and the next frame still measures', async () => {
  const scalar = await loadKernels({ simd: false });
  const file = repoPath('test/fixtures/truncated.jpg');
  const error = await rejection(measureImage(new Uint8Array(await readFile(file)), file, {}, scalar, 1));
  assert.instance(error, DecodeError);
  assert.ok(error.message.startsWith(file), error.message);
  const good = new Uint8Array(await readFile(repoPath(JPEGS[0])));
  assert.equal(statsBits(await measureImage(good, JPEGS[0], {}, scalar, 1)), statsBits(await separately(scalar, good, JPEGS[0], 1)));
});

fallback.run();
