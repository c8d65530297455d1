// The fused decode-and-measure path (JpegDecoder.measure, assembly/jpeg/measure.ts)
// against the two-step path it replaces: decode() then Kernels.frameStats on
// the pixels. The features and histograms must be the same, bit for bit, for
// every layout, scale and step, in both builds; errors must be decode()'s.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import sharp, { type JpegOptions } from 'sharp';
import { loadJpegDecoder, loadKernels } from '../edge/library.js';
import { JpegDecoder, type JpegScale } from '../src/jpeg/jpeg-decoder.js';
import { readFile } from 'node:fs/promises';
import type { Kernels } from '../src/kernels.js';
import { writeJpeg, type JpegWriterOptions } from './helpers/jpeg-writer.js';
import { repoPath } from './helpers/paths.js';
import { statsBits as bits } from './helpers/frame-stats-bits.js';

async function photo(name: string, width: number, height: number, gray = false): Promise<Uint8Array> {
  let image = sharp(repoPath('samples', name)).resize(width, height, { fit: 'fill' }).removeAlpha();
  if (gray) image = image.toColourspace('b-w');
  return new Uint8Array(await image.raw().toBuffer());
}


function checkSame(decoder: JpegDecoder, kernels: Kernels, jpeg: Uint8Array, scale: JpegScale, step: number, label: string): void {
  const image = decoder.decode(jpeg, { scale });
  const twoStep = kernels.frameStats(image.data, { width: image.width, height: image.height, format: image.format, step });
  const fused = decoder.measure(jpeg, { scale, step });
  assert.equal(bits(fused), bits(twoStep), `${label}, 1/${scale}, step ${step}`);
}

async function sharpJpeg(pixels: Uint8Array, width: number, height: number, channels: 1 | 3, options: JpegOptions): Promise<Uint8Array> {
  let image = sharp(pixels, { raw: { width, height, channels } });
  if (channels === 1) image = image.toColourspace('b-w');
  return new Uint8Array(await image.jpeg(options).toBuffer());
}

for (const simd of [true, false]) {
  const build = simd ? 'SIMD' : 'scalar';
  const test = suite(`JPEG decode-and-measure (${build} build)`);
  let decoder: JpegDecoder;
  let kernels: Kernels;
  test.before(async () => {
    decoder = await loadJpegDecoder({ simd });
    kernels = await loadKernels({ simd });
  });

  test('640x480 photos, 4:2:0 / 4:4:4 / gray: the same statistics as decode then frameStats, at every scale and steps 1-3', async () => {
    assert.is(decoder.simd, simd);
    for (const name of ['astronaut.png', 'coffee.png']) {
      const rgb = await photo(name, 640, 480);
      const luma = await photo(name, 640, 480, true);
      const jpegs: Array<[string, Uint8Array]> = [
        ['4:2:0 q85', await sharpJpeg(rgb, 640, 480, 3, { quality: 85 })],
        ['4:4:4 q95', await sharpJpeg(rgb, 640, 480, 3, { quality: 95, chromaSubsampling: '4:4:4' })],
        ['gray q85', await sharpJpeg(luma, 640, 480, 1, { quality: 85 })],
      ];
      for (const [label, jpeg] of jpegs) {
        for (const scale of [1, 2, 4, 8] as JpegScale[]) {
          for (const step of [1, 2, 3]) checkSame(decoder, kernels, jpeg, scale, step, `${name} ${label}`);
        }
      }
    }
  });

  test('odd sizes (row tails past the last 16 pixels, 1x1, 2-pixel rows)', async () => {
    for (const [w, h] of [[1, 1], [2, 7], [17, 9], [33, 21], [641, 3], [5, 130], [47, 31]]) {
      const rgb = await photo('rocket.jpg', w, h);
      for (const chromaSubsampling of ['4:2:0', '4:4:4']) {
        const jpeg = await sharpJpeg(rgb, w, h, 3, { quality: 90, chromaSubsampling });
        for (const scale of [1, 2, 4, 8] as JpegScale[]) {
          for (const step of [1, 2, 5]) checkSame(decoder, kernels, jpeg, scale, step, `${w}x${h} ${chromaSubsampling}`);
        }
      }
    }
  });

  test('4:2:2, 4:4:0, restarts, one scan per component, Adobe RGB, gray declared 2x2', async () => {
    const rgb = await photo('chelsea.png', 75, 50);
    const luma = await photo('camera.png', 75, 50, true);
    const variants: Array<[string, Partial<JpegWriterOptions>]> = [
      ['4:2:0, restart every 7 MCUs', { restartInterval: 7 }],
      ['4:2:2', { sampling: [[2, 1], [1, 1], [1, 1]] }],
      ['4:4:0', { sampling: [[1, 2], [1, 1], [1, 1]] }],
      ['4:2:0, one scan per component', { separateScans: true }],
      ['Adobe RGB 4:4:4', { sampling: [[1, 1], [1, 1], [1, 1]], adobeRgb: true }],
    ];
    for (const [label, options] of variants) {
      const jpeg = writeJpeg(rgb, { width: 75, height: 50, channels: 3, ...options });
      for (const scale of [1, 2] as JpegScale[]) for (const step of [1, 3]) checkSame(decoder, kernels, jpeg, scale, step, label);
    }
    const gray = writeJpeg(luma, { width: 75, height: 50, channels: 1, sampling: [[2, 2]], restartInterval: 3 });
    for (const step of [1, 2]) checkSame(decoder, kernels, gray, 1, step, 'gray declared 2x2');
  });

  test('corrupt and unsupported input: decode()\'s error, and the next frame is measured as before', async () => {
    const rgb = await photo('astronaut.png', 160, 120);
    const good = await sharpJpeg(rgb, 160, 120, 3, { quality: 85 });
    const before = bits(decoder.measure(good));
    const truncated = good.slice(0, Math.floor(good.length * 0.6));
    const decodeError = (() => { try { decoder.decode(truncated); } catch (error) { return error as Error; } return undefined; })();
    assert.ok(decodeError, 'decode rejects the truncated file');
    assert.throws(() => decoder.measure(truncated), (error: Error) => error.constructor === decodeError.constructor && error.message === decodeError.message);
    const progressive = await sharp(rgb, { raw: { width: 160, height: 120, channels: 3 } }).jpeg({ progressive: true }).toBuffer();
    assert.throws(() => decoder.measure(new Uint8Array(progressive)), /unsupported: progressive/);
    assert.throws(() => decoder.measure(good, { step: 0 }), RangeError);
    assert.throws(() => decoder.measure(good, { maxPixels: 100 }), /exceeds the limit of 100 pixels/);
    assert.equal(bits(decoder.measure(good)), before);
  });

  test.run();
}

const older = suite('JPEG decoder build without the fused path');

older('a build without jpegMeasure still decodes; measure() says what is missing', async () => {
  // The current module with jpegMeasure hidden, as a build from before it existed.
  const module = await WebAssembly.compile(await readFile(repoPath('build', 'jpeg-simd.wasm')));
  const instance = await WebAssembly.instantiate(module, {});
  const exports = Object.fromEntries(Object.entries(instance.exports).filter(([name]) => name !== 'jpegMeasure'));
  const decoder = new JpegDecoder({ exports } as unknown as WebAssembly.Instance);
  assert.is(decoder.measures, false);
  const jpeg = await sharpJpeg(await photo('coffee.png', 64, 48), 64, 48, 3, { quality: 85 });
  assert.equal([decoder.decode(jpeg).width, decoder.decode(jpeg).height], [64, 48]);
  assert.throws(() => decoder.measure(jpeg), /does not export jpegMeasure/);
  assert.is((await loadJpegDecoder()).measures, true);
});

older.run();
