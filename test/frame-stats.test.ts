// Both kernel builds against the plain-TypeScript reference of catalogue v1.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BUILDS, loadBuild } from './helpers/builds.js';
import { assertFeatures, assertClose } from './helpers/compare.js';
import { PHOTOS, photo, synthetic, filled, type RawFrame } from './helpers/frames.js';
import { referenceFrameStats } from './reference/frame-reference.js';
import type { PixelFormat } from '../src/frame-format.js';
import type { Kernels } from '../src/kernels.js';

const FORMATS: PixelFormat[] = ['rgba', 'rgb', 'gray'];

function check(kernels: Kernels, frame: RawFrame, options: { rowBytes?: number; step?: number } = {}): void {
  const actual = kernels.frameStats(frame.data, { width: frame.width, height: frame.height, format: frame.format, ...options });
  const expected = referenceFrameStats({ ...frame, ...options });
  const what = `${frame.name}${options.step ? ` step ${options.step}` : ''}${options.rowBytes ? ` rowBytes ${options.rowBytes}` : ''}`;
  assert.equal(Array.from(actual.histograms.luma), expected.histograms.luma, `${what}: luma histogram`);
  assert.equal(Array.from(actual.histograms.hue), expected.histograms.hue, `${what}: hue histogram`);
  assertFeatures(actual.features, expected.features, what);
}

for (const build of BUILDS) {
  const test = suite(`frameStats (${build} build) against the reference`);
  let kernels: Kernels;
  test.before(async () => { kernels = await loadBuild(build); });

  test('real photos in every format', async () => {
    for (const name of PHOTOS) {
      for (const format of FORMATS) check(kernels, await photo(name, format));
    }
  });

  test('all black and all white', () => {
    for (const format of FORMATS) {
      for (const value of [0, 255]) {
        const frame = filled(37, 21, format, value);
        check(kernels, frame);
        const stats = kernels.frameStats(frame.data, frame);
        assert.is(stats.features.luma_std, 0);
        assert.is(stats.features.saturation_std, 0);
        assert.is(stats.features.sharpness, 0);
        assert.is(stats.features.luma_entropy, 0);
        assert.is(stats.features[value === 0 ? 'dark_fraction' : 'bright_fraction'], 1);
      }
    }
  });

  test('1×1, 1×N and N×1 frames have no interior', () => {
    for (const format of FORMATS) {
      for (const [w, h] of [[1, 1], [1, 40], [40, 1], [2, 2], [2, 9]]) {
        const frame = synthetic(w, h, format, 7 * w + h);
        check(kernels, frame);
        const stats = kernels.frameStats(frame.data, frame);
        assert.is(stats.features.sharpness, 0);
        assert.is(stats.features.noise_sigma, 0);
      }
    }
  });

  test('widths 1 to 33 (SIMD tails) with heights 1 to 4 and 17', () => {
    for (const format of FORMATS) {
      for (let w = 1; w <= 33; w++) {
        for (const h of [1, 2, 3, 4, 17]) check(kernels, synthetic(w, h, format, w * 100 + h));
      }
    }
  });

  test('wide rows longer than one lane-sum segment (4096 px)', () => {
    for (const format of FORMATS) check(kernels, synthetic(9000, 3, format, 99));
  });

  test('flat colour frames: exact zero spreads, hue in one bin', () => {
    const frame = filled(20, 20, 'rgb', 0);
    for (let i = 0; i < frame.data.length; i += 3) { frame.data[i] = 200; frame.data[i + 1] = 40; frame.data[i + 2] = 40; }
    check(kernels, frame);
    const stats = kernels.frameStats(frame.data, frame);
    assert.is(stats.features.saturation_std, 0);
    assert.is(stats.histograms.hue[0], 400);
    assert.is(stats.features.colorfulness, 0.3 * Math.sqrt(160 ** 2 + 80 ** 2)); // rg = 160, yb = (200 + 40) / 2 - 40
  });

  test('row padding (rowBytes) and sub-sampling (step)', async () => {
    const base = synthetic(35, 23, 'rgba', 5);
    const padded = new Uint8Array(40 * 4 * 23);
    for (let y = 0; y < 23; y++) padded.set(base.data.subarray(y * 35 * 4, (y + 1) * 35 * 4), y * 40 * 4);
    check(kernels, { ...base, data: padded }, { rowBytes: 160 });
    const same = kernels.frameStats(padded, { width: 35, height: 23, format: 'rgba', rowBytes: 160 });
    assert.equal(same.features, kernels.frameStats(base.data, base).features);
    for (const step of [2, 3, 5]) {
      check(kernels, await photo('chelsea.png', 'rgb'), { step });
      check(kernels, synthetic(33, 19, 'gray', step), { step });
    }
  });

  test.run();
}

const agree = suite('SIMD and scalar builds');
agree('are bit-identical on every photo but for gradient_mean', async () => {
  const [simd, scalar] = await Promise.all([loadBuild('simd'), loadBuild('scalar')]);
  for (const name of PHOTOS) {
    const frame = await photo(name, 'rgba');
    const a = simd.frameStats(frame.data, frame), b = scalar.frameStats(frame.data, frame);
    assert.equal(a.histograms, b.histograms);
    const { gradient_mean: gradientA, ...restA } = a.features;
    const { gradient_mean: gradientB, ...restB } = b.features;
    assert.equal(restA, restB, name);
    // gradient_mean sums binary32 roots in binary64, in a different order per build.
    assertClose(gradientA, gradientB, 1e-12, `${name} gradient_mean`);
  }
});
agree.run();
