#!/usr/bin/env node
// How close the WASM decoder's full-size pixels are to libjpeg-turbo's
// (sharp), where the comparison sees the IDCT output and nothing else:
// - gray: one-component JPEGs; sharp's raw output is the IDCT output.
// - rgb444 / rgb420: three-component JPEGs with the JFIF APP0 replaced by
//   an Adobe APP14 saying transform 0, so both decoders treat the
//   components as R, G, B and skip the colour conversion. At 4:4:4 every
//   channel is IDCT output; at 4:2:0 only channel 0 (the other two are
//   upsampled, and the upsamplers round differently) — both are printed.
// Images: the sample photos at their size, qualities 10..100.
// Usage: node scripts/islow-exactness.mjs [build dir=build] [--scalar]
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadJpegDecoder } from '../dist/src/index.js';

const args = process.argv.slice(2);
const scalar = args.includes('--scalar');
const dir = args.find((a) => !a.startsWith('--')) ?? 'build';
const root = new URL('..', import.meta.url).pathname;
const decoder = await loadJpegDecoder({ source: await readFile(join(dir, scalar ? 'jpeg-scalar.wasm' : 'jpeg-simd.wasm')) });

// SOI, then APP14 "Adobe" version 100, flags 0, 0, transform 0; APP0 segments dropped.
function adobeRgb(jpeg) {
  const parts = [jpeg.subarray(0, 2)];
  const app14 = Buffer.from([0xff, 0xee, 0, 14, 0x41, 0x64, 0x6f, 0x62, 0x65, 0, 100, 0, 0, 0, 0, 0]);
  parts.push(app14);
  let p = 2;
  while (jpeg[p] === 0xff && jpeg[p + 1] >= 0xe0 && jpeg[p + 1] <= 0xef) p += 2 + jpeg.readUInt16BE(p + 2);
  parts.push(jpeg.subarray(p));
  return Buffer.concat(parts);
}

// per channel: [sum |d|, max |d|, count]
function compare(a, b, channels) {
  if (a.length !== b.length) throw new Error(`sizes differ: ${a.length} vs ${b.length}`);
  const stats = Array.from({ length: channels }, () => [0, 0, 0]);
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    const s = stats[i % channels];
    s[0] += d;
    if (d > s[1]) s[1] = d;
    s[2]++;
  }
  return stats;
}

const files = (await readdir(join(root, 'samples'))).filter((f) => /\.(png|jpg)$/.test(f)).sort();
const qualities = [10, 50, 75, 85, 95, 100];
const totals = {};
const add = (key, s) => {
  const t = (totals[key] ??= [0, 0, 0]);
  t[0] += s[0];
  t[1] = Math.max(t[1], s[1]);
  t[2] += s[2];
};
for (const file of files) {
  const src = sharp(join(root, 'samples', file)).removeAlpha();
  const gray = await src.clone().grayscale().raw().toBuffer({ resolveWithObject: true });
  const rgb = await src.clone().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const rows = [];
  for (const q of qualities) {
    const g = await sharp(gray.data, { raw: gray.info }).toColourspace('b-w').jpeg({ quality: q }).toBuffer();
    if (decoder.readHeader(g).components !== 1) throw new Error('not a one-component JPEG');
    const gs = compare(decoder.decode(g).data, await sharp(g).toColourspace('b-w').raw().toBuffer(), 1)[0];
    add('gray', gs);
    const row = [`q${q}`, `gray ${(gs[0] / gs[2]).toFixed(4)}/${gs[1]}`];
    for (const [layout, sub] of [['444', '4:4:4'], ['420', '4:2:0']]) {
      const c = adobeRgb(await sharp(rgb.data, { raw: rgb.info }).jpeg({ quality: q, chromaSubsampling: sub }).toBuffer());
      const ours = decoder.decode(c, { format: 'rgb' }).data;
      const theirs = await sharp(c).raw().toBuffer();
      const cs = compare(ours, theirs, 3);
      if (layout === '444') {
        const all = cs.reduce((t, s) => [t[0] + s[0], Math.max(t[1], s[1]), t[2] + s[2]], [0, 0, 0]);
        add('rgb444', all);
        row.push(`444 ${(all[0] / all[2]).toFixed(4)}/${all[1]}`);
      } else {
        add('rgb420 ch0', cs[0]);
        const up = [cs[1][0] + cs[2][0], Math.max(cs[1][1], cs[2][1]), cs[1][2] + cs[2][2]];
        add('rgb420 ch1-2 (upsampled)', up);
        row.push(`420 ch0 ${(cs[0][0] / cs[0][2]).toFixed(4)}/${cs[0][1]} ch1-2 ${(up[0] / up[2]).toFixed(4)}/${up[1]}`);
      }
    }
    rows.push(row.join('  '));
  }
  console.log(`${file} (${gray.info.width}x${gray.info.height}), mean/max |diff|:\n  ${rows.join('\n  ')}`);
}
console.log(`\n${dir} ${scalar ? 'scalar' : 'simd'}, all images and qualities, mean / max |diff| in levels:`);
for (const [key, t] of Object.entries(totals)) console.log(`  ${key}: ${(t[0] / t[2]).toFixed(5)} / ${t[1]} over ${t[2]} samples`);
