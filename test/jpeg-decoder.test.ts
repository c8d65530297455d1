// The WASM JPEG decoder against sharp (libjpeg-turbo) as the independent
// reference, in both builds: full-scale pixels within IDCT/upsampling
// rounding, scaled outputs near sharp's decode box-averaged, and the 1/8
// (DC-only) path exactly equal to round(DC / 8) + 128 computed from the
// encoder's own coefficients.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import sharp from 'sharp';
import { loadJpegDecoder } from '../edge/library.js';
import type { JpegDecoder, JpegScale } from '../src/jpeg/jpeg-decoder.js';
import { boxSubsample } from '../src/box-subsample.js';
import { writeJpeg, type JpegWriterOptions } from './helpers/jpeg-writer.js';
import { repoPath } from './helpers/paths.js';

// Tolerances (docs/decode.md): at scale 1 the IDCT is libjpeg-turbo's islow
// to the bit, so a gray image, or an Adobe RGB 4:4:4 one (no colour
// conversion, no upsampling), must be identical; others differ by the
// rounding of the chroma triangle filter and of the colour conversion
// (measured: mean 0.01-0.05 for 4:2:0 and 4:4:4; 0.17 for 4:4:0 and
// 0.31 for 4:2:2, where libjpeg-turbo filters chroma a little differently).
const FULL_MEAN = 0.5, FULL_MAX = 4;
// Scaled outputs are the exact s x s means of each block's full IDCT before
// rounding and clamping; what remains is rounding, clamping and chroma: the
// WASM path reduces chroma in its own resolution, sharp's decode upsamples it
// first (measured mean 0.06-0.14 for gray, 0.3-0.5 for colour).
const SCALED_MEAN = 1;

interface Raw { data: Uint8Array; width: number; height: number; channels: number }

async function sharpRaw(jpeg: Uint8Array, gray: boolean): Promise<Raw> {
  const image = gray ? sharp(jpeg).toColourspace('b-w') : sharp(jpeg);
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: info.channels };
}

function difference(a: Uint8Array, b: Uint8Array): { mean: number; max: number } {
  assert.is(a.length, b.length, 'same number of samples');
  let sum = 0, max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    sum += d;
    if (d > max) max = d;
  }
  return { mean: sum / a.length, max };
}

async function photo(name: string, width: number, height: number, gray = false): Promise<Uint8Array> {
  let image = sharp(repoPath('samples', name)).resize(width, height, { fit: 'fill' }).removeAlpha();
  if (gray) image = image.toColourspace('b-w');
  return new Uint8Array(await image.raw().toBuffer());
}

async function checkFull(decoder: JpegDecoder, jpeg: Uint8Array, gray: boolean, label: string, exact = gray): Promise<void> {
  const reference = await sharpRaw(jpeg, gray);
  const image = decoder.decode(jpeg);
  assert.equal([image.width, image.height, image.format], [reference.width, reference.height, gray ? 'gray' : 'rgb'], label);
  const { mean, max } = difference(image.data, reference.data);
  if (exact) assert.ok(max === 0, `${label}: identical to libjpeg-turbo, but mean ${mean.toFixed(4)}, max ${max}`);
  else assert.ok(mean < FULL_MEAN && max <= FULL_MAX, `${label}: mean ${mean.toFixed(3)}, max ${max}`);
}

for (const simd of [true, false]) {
  const build = simd ? 'SIMD' : 'scalar';
  const test = suite(`WASM JPEG decoder (${build} build)`);
  let decoder: JpegDecoder;
  test.before(async () => { decoder = await loadJpegDecoder({ simd }); });

  test('sample photos re-encoded by sharp (q 50/85/95; 4:2:0, 4:4:4, gray) match sharp at scale 1 (gray exactly)', async () => {
    assert.is(decoder.simd, simd);
    for (const name of ['astronaut.png', 'chelsea.png', 'coffee.png']) {
      const rgb = await photo(name, 320, 240);
      const luma = await photo(name, 320, 240, true);
      for (const quality of [50, 85, 95]) {
        for (const chromaSubsampling of ['4:2:0', '4:4:4']) {
          const jpeg = await sharp(rgb, { raw: { width: 320, height: 240, channels: 3 } }).jpeg({ quality, chromaSubsampling }).toBuffer();
          await checkFull(decoder, jpeg, false, `${name} q${quality} ${chromaSubsampling}`);
        }
        const gray = await sharp(luma, { raw: { width: 320, height: 240, channels: 1 } }).toColourspace('b-w').jpeg({ quality }).toBuffer();
        await checkFull(decoder, gray, true, `${name} gray q${quality}`);
      }
    }
  });

  test('odd sizes: 1x1, 17x9, widths not a multiple of 8 or 16', async () => {
    for (const [w, h] of [[1, 1], [17, 9], [33, 21], [641, 3], [5, 130]]) {
      const rgb = await photo('rocket.jpg', w, h);
      for (const chromaSubsampling of ['4:2:0', '4:4:4']) {
        const jpeg = await sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 90, chromaSubsampling }).toBuffer();
        await checkFull(decoder, jpeg, false, `${w}x${h} ${chromaSubsampling}`);
        for (const scale of [2, 4, 8] as JpegScale[]) {
          const scaled = decoder.decode(jpeg, { scale });
          assert.equal([scaled.width, scaled.height], [Math.ceil(w / scale), Math.ceil(h / scale)], `${w}x${h} at 1/${scale}`);
        }
      }
    }
  });

  test('restart intervals, 4:2:2, 4:4:0, one scan per component, 16-bit tables, SOF1, Adobe RGB, 2x2 gray', async () => {
    const rgb = await photo('astronaut.png', 75, 50);
    const luma = await photo('camera.png', 75, 50, true);
    const variants: Array<[string, Partial<JpegWriterOptions>]> = [
      ['4:2:0, restart every MCU', { restartInterval: 1 }],
      ['4:2:0, restart every 7 MCUs', { restartInterval: 7 }],
      ['4:2:2', { sampling: [[2, 1], [1, 1], [1, 1]] }],
      ['4:4:0', { sampling: [[1, 2], [1, 1], [1, 1]] }],
      ['4:4:4, coarse', { sampling: [[1, 1], [1, 1], [1, 1]], coarseness: 4 }],
      ['4:2:0, one scan per component, restarts', { separateScans: true, restartInterval: 5 }],
      ['4:2:2, 16-bit quantisation, SOF1', { sampling: [[2, 1], [1, 1], [1, 1]], quant16: true, coarseness: 30, sof: 0xc1 }],
      ['Adobe RGB 4:4:4', { sampling: [[1, 1], [1, 1], [1, 1]], adobeRgb: true }],
    ];
    for (const [label, options] of variants) {
      const jpeg = writeJpeg(rgb, { width: 75, height: 50, channels: 3, ...options });
      await checkFull(decoder, jpeg, false, label, label === 'Adobe RGB 4:4:4');
    }
    const gray = writeJpeg(luma, { width: 75, height: 50, channels: 1, sampling: [[2, 2]], restartInterval: 3 });
    await checkFull(decoder, gray, true, 'gray declared 2x2, restarts');
    // coarse 16-bit tables (steps up to 400): large dequantised values, clamped outputs
    const coarse = writeJpeg(luma, { width: 75, height: 50, channels: 1, quant16: true, coarseness: 30, sof: 0xc1 });
    await checkFull(decoder, coarse, true, 'gray, 16-bit quantisation up to 400');
  });

  test('overflowing quantisation (16-bit steps up to 65535): still libjpeg-turbo\'s pixels (its SIMD islow)', async () => {
    const luma = await photo('camera.png', 96, 64, true);
    const jpeg = writeJpeg(luma, { width: 96, height: 64, channels: 1, quant16: true, coarseness: 30, sof: 0xc1 });
    let dqt = 2;
    while (!(jpeg[dqt] === 0xff && jpeg[dqt + 1] === 0xdb)) dqt++;
    for (const factor of [40, 200]) {
      // the coefficients stay, their steps grow: products past i16, saturated and wrapped sums
      const bad = jpeg.slice();
      for (let k = 0; k < 64; k++) {
        const at = dqt + 5 + 2 * k;
        const q = Math.min(65535, factor * ((bad[at] << 8) | bad[at + 1]));
        bad[at] = q >> 8;
        bad[at + 1] = q & 255;
      }
      await checkFull(decoder, bad, true, `quantisation x${factor}`);
    }
  });

  test('scaled outputs are close to sharp\'s full decode box-averaged (gray within 0.25 on average)', async () => {
    for (const [name, chromaSubsampling] of [['astronaut.png', '4:2:0'], ['coffee.png', '4:4:4'], ['camera.png', 'gray']]) {
      const gray = chromaSubsampling === 'gray';
      const pixels = await photo(name, 320, 240, gray);
      const encoder = sharp(pixels, { raw: { width: 320, height: 240, channels: gray ? 1 : 3 } });
      const jpeg = await (gray ? encoder.toColourspace('b-w') : encoder)
        .jpeg({ quality: 85, ...(gray ? {} : { chromaSubsampling }) }).toBuffer();
      const reference = await sharpRaw(jpeg, gray);
      for (const scale of [2, 4, 8] as JpegScale[]) {
        const image = decoder.decode(jpeg, { scale });
        const boxed = boxSubsample({ data: reference.data, width: reference.width, height: reference.height, format: gray ? 'gray' : 'rgb' }, scale);
        assert.equal([image.width, image.height], [boxed.width, boxed.height]);
        const { mean } = difference(image.data, boxed.data);
        assert.ok(mean < (gray ? 0.25 : SCALED_MEAN), `${name} ${chromaSubsampling} 1/${scale}: mean ${mean.toFixed(3)}`);
      }
    }
  });

  test('1/8 is exactly round(DC x Q0 / 8) + 128 of each block, from the encoder\'s own coefficients', async () => {
    const [w, h] = [61, 43];
    const luma = await photo('camera.png', w, h, true);
    const dc = new Map<string, number>();
    const jpeg = writeJpeg(luma, {
      width: w, height: h, channels: 1, coarseness: 2,
      onBlock: (_c, bx, by, zigzag, quant) => { dc.set(`${bx},${by}`, zigzag[0] * quant[0]); },
    });
    const image = decoder.decode(jpeg, { scale: 8 });
    assert.equal([image.width, image.height], [8, 6]);
    for (let by = 0; by < 6; by++) {
      for (let bx = 0; bx < 8; bx++) {
        const expected = Math.max(0, Math.min(255, Math.floor((dc.get(`${bx},${by}`)! + 4) / 8) + 128));
        assert.is(image.data[by * 8 + bx], expected, `block ${bx},${by}`);
      }
    }
    // and each is within 1 of the mean of sharp's decoded 8x8 block where nothing clamps
    const reference = await sharpRaw(jpeg, true);
    for (let by = 0; by < 5; by++) {
      for (let bx = 0; bx < 7; bx++) {
        let sum = 0, clamped = false;
        for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
          const v = reference.data[(by * 8 + y) * w + bx * 8 + x];
          sum += v;
          clamped ||= v === 0 || v === 255;
        }
        if (!clamped) assert.ok(Math.abs(image.data[by * 8 + bx] - sum / 64) <= 1, `block ${bx},${by}`);
      }
    }
  });

  test('rgba and gray output formats; memory is reused between frames', async () => {
    const rgb = await photo('chelsea.png', 64, 48);
    const jpeg = await sharp(rgb, { raw: { width: 64, height: 48, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
    const asRgb = decoder.decode(jpeg);
    const asRgba = decoder.decode(jpeg, { format: 'rgba' });
    for (let i = 0; i < 64 * 48; i++) {
      assert.equal([asRgba.data[4 * i], asRgba.data[4 * i + 1], asRgba.data[4 * i + 2], asRgba.data[4 * i + 3]],
        [asRgb.data[3 * i], asRgb.data[3 * i + 1], asRgb.data[3 * i + 2], 255]);
    }
    const luma = decoder.decode(jpeg, { format: 'gray' });
    const y = await sharp(jpeg).toColourspace('b-w').raw().toBuffer();
    assert.ok(difference(luma.data, new Uint8Array(y)).mean < 1.5, 'gray output is the luma channel');
    const before = decoder.memoryBytes;
    for (let i = 0; i < 20; i++) decoder.decode(jpeg, { scale: 2 });
    assert.is(decoder.memoryBytes, before, 'no growth for frames of the same size');
    assert.throws(() => decoder.decode(jpeg, { scale: 3 as JpegScale }), /scale must be 1, 2, 4 or 8, got 3/);
  });

  test('view: true returns the same pixels as a view of the decoder\'s memory, valid until the next call', async () => {
    const rgb = await photo('chelsea.png', 64, 48);
    const jpeg = await sharp(rgb, { raw: { width: 64, height: 48, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
    const copy = decoder.decode(jpeg);
    const view = decoder.decode(jpeg, { view: true });
    assert.equal([view.width, view.height, view.format], [copy.width, copy.height, copy.format]);
    assert.ok(Buffer.from(view.data).equals(Buffer.from(copy.data)), 'same bytes');
    assert.is(view.data.length, 64 * 48 * 3);
    assert.ok(view.data.byteLength < view.data.buffer.byteLength, 'a view, not a copy');
    decoder.decode(jpeg, { format: 'gray' });
    const again = decoder.decode(jpeg);
    assert.ok(again.data.buffer !== view.data.buffer, 'the default still copies');
  });

  test.run();
}

const both = suite('both builds');
both('the SIMD and scalar builds decode the same pixels at scale 1, corrupt scan data included', async () => {
  // (only where no colour conversion runs: the two builds' conversions round differently)
  const [simd, scalar] = await Promise.all([loadJpegDecoder({ simd: true }), loadJpegDecoder({ simd: false })]);
  const rgb = await photo('coffee.png', 96, 64);
  const files: Array<[Uint8Array, 'gray' | 'rgb']> = [
    [new Uint8Array(await sharp(rgb, { raw: { width: 96, height: 64, channels: 3 } }).jpeg({ quality: 90 }).toBuffer()), 'gray'], // the Y plane
    [writeJpeg(rgb, { width: 96, height: 64, channels: 3, sampling: [[1, 1], [1, 1], [1, 1]], adobeRgb: true }), 'rgb'],
  ];
  let s = 11;
  const random = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  for (const [good, format] of files) {
    let sos = 2;
    while (!(good[sos] === 0xff && good[sos + 1] === 0xda)) sos++;
    const data = sos + 2 + ((good[sos + 2] << 8) | good[sos + 3]);
    let decoded = 0;
    for (let trial = 0; trial < 300; trial++) {
      const bad = good.slice();
      if (trial > 0) for (let i = 0; i < 3; i++) bad[data + Math.floor(random() * (bad.length - 2 - data))] ^= 1 + Math.floor(random() * 255);
      const run = (decoder: JpegDecoder) => { try { return decoder.decode(bad, { format }).data; } catch (error) { return (error as Error).message; } };
      const a = run(simd), b = run(scalar);
      assert.equal(a, b, `${format} trial ${trial}`);
      if (typeof a !== 'string') decoded++;
    }
    assert.ok(decoded > 30, `${format}: ${decoded} of the corrupt files decoded`);
  }
});
both.run();
