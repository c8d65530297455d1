#!/usr/bin/env node
// Bit-identity check between two sets of WASM builds (e.g. main's build/ copied
// aside, and this tree's build/): decodes every JPEG with both decoders (SIMD
// and scalar) at scales 1, 2, 4, 8 in gray, rgb and rgba, requires identical
// pixels, and requires identical frame statistics (every feature, both
// histograms) from both kernel builds at steps 1 and 3 on every decoded image.
// Inputs: the sample photos (PNG through sharp; re-encoded as 4:2:0 and 4:4:4
// JPEGs at q60 and q95 and a gray JPEG), samples/*.jpg, and the optional
// folders of JPEG frames given after the builds. Prints what it compared.
// Usage (after npm run build):
//   node scripts/compare-builds.mjs <old build dir> <new build dir> [jpeg folder...] [--limit N]
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { loadKernels, loadJpegDecoder } from '../dist/src/index.js';

const args = process.argv.slice(2);
const limitAt = args.indexOf('--limit');
const limit = limitAt >= 0 ? Number(args.splice(limitAt, 2)[1]) : Infinity;
const [oldDir, newDir, ...folders] = args;
if (!oldDir || !newDir) throw new Error('usage: compare-builds.mjs <old build dir> <new build dir> [jpeg folder...] [--limit N]');
const root = new URL('..', import.meta.url).pathname;

async function builds(dir) {
  const load = async (name) => readFile(join(dir, name));
  return {
    kernels: [await loadKernels({ source: await load('kernels-simd.wasm') }), await loadKernels({ source: await load('kernels-scalar.wasm') })],
    decoders: [await loadJpegDecoder({ source: await load('jpeg-simd.wasm') }), await loadJpegDecoder({ source: await load('jpeg-scalar.wasm') })],
  };
}
const before = await builds(oldDir);
const after = await builds(newDir);
const counts = { images: 0, decodes: 0, frames: 0 };
const failures = [];

function statsKey(stats) {
  const h = createHash('sha256');
  h.update(new Float64Array(Object.values(stats.features)));
  h.update(stats.histograms.luma);
  h.update(stats.histograms.hue);
  return h.digest('hex');
}

// Every kernel build of both sets on one frame; all four must agree.
function compareStats(label, data, width, height, format) {
  for (const step of [1, 3]) {
    const keys = [...before.kernels, ...after.kernels].map((k) => statsKey(k.frameStats(data, { width, height, format, step })));
    counts.frames++;
    if (new Set(keys).size !== 1) failures.push(`${label} ${format} step ${step}: stats differ (old simd, old scalar, new simd, new scalar: ${keys.map((k) => k.slice(0, 8)).join(' ')})`);
  }
}

function compareJpeg(label, bytes) {
  counts.images++;
  for (const scale of [1, 2, 4, 8]) {
    for (const format of ['gray', 'rgb', 'rgba']) {
      const images = [...before.decoders, ...after.decoders].map((d) => d.decode(bytes, { scale, format }));
      counts.decodes++;
      const hashes = images.map((i) => createHash('sha256').update(i.data).digest('hex'));
      // SIMD and scalar decoders differ by design; each must match its own old build.
      if (hashes[0] !== hashes[2] || hashes[1] !== hashes[3]) failures.push(`${label} scale ${scale} ${format}: pixels differ`);
      for (const i of [images[2], images[3]]) compareStats(`${label} 1/${scale}`, i.data, i.width, i.height, format);
    }
  }
}

const samples = join(root, 'samples');
for (const name of (await readdir(samples)).sort()) {
  const path = join(samples, name);
  if (name.endsWith('.jpg')) { compareJpeg(name, await readFile(path)); continue; }
  if (!name.endsWith('.png')) continue;
  const { data, info } = await sharp(path).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  counts.images++;
  compareStats(name, data, info.width, info.height, 'rgb');
  compareStats(`${name} luma`, await sharp(path).greyscale().raw().toBuffer(), info.width, info.height, 'gray');
  const rgba = await sharp(path).removeAlpha().toColourspace('srgb').ensureAlpha().raw().toBuffer();
  compareStats(name, rgba, info.width, info.height, 'rgba');
  for (const [quality, chromaSubsampling] of [[60, '4:2:0'], [95, '4:4:4']]) {
    compareJpeg(`${name} q${quality} ${chromaSubsampling}`, await sharp(path).jpeg({ quality, chromaSubsampling }).toBuffer());
  }
  compareJpeg(`${name} gray`, await sharp(path).greyscale().jpeg({ quality: 85 }).toBuffer());
}
for (const folder of folders) {
  const files = (await readdir(folder)).filter((f) => /\.jpe?g$/i.test(f)).sort().slice(0, limit);
  for (const f of files) compareJpeg(join(folder, f), await readFile(join(folder, f)));
}
console.log(JSON.stringify({ ...counts, failures: failures.length }));
for (const f of failures.slice(0, 20)) console.log(f);
process.exit(failures.length ? 1 : 0);
