#!/usr/bin/env node
// A/B timing of two sets of WASM builds (e.g. main's build/ copied aside, and
// this tree's build/) in one process: the SIMD decoder alone, and the SIMD
// decoder followed by the SIMD feature kernel, over 16 seeded 640x480 q85
// frames like the replay-throughput stream's. Builds alternate round by
// round, so a busy neighbour slows both alike; prints the median and the
// minimum ms per frame of each. Checks first that both give the same pixels
// and features, unless --any-pixels (for a change meant to alter pixels,
// e.g. another IDCT). Pin it: taskset -c 0.
// Usage (after npm run build):
//   taskset -c 0 node scripts/ab-builds.mjs <old build dir> <new build dir> [rounds=21] [--any-pixels]
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadKernels, loadJpegDecoder } from '../dist/src/index.js';

const anyPixels = process.argv.includes('--any-pixels');
const [oldDir, newDir, roundsArg] = process.argv.slice(2).filter((a) => a !== '--any-pixels');
if (!oldDir || !newDir) throw new Error('usage: ab-builds.mjs <old build dir> <new build dir> [rounds]');
const rounds = Number(roundsArg ?? 21);
const root = new URL('..', import.meta.url).pathname;

async function builds(dir) {
  const load = async (name) => readFile(join(dir, name));
  return {
    kernels: await loadKernels({ source: await load('kernels-simd.wasm') }),
    decoder: await loadJpegDecoder({ source: await load('jpeg-simd.wasm') }),
  };
}
const sets = [await builds(oldDir), await builds(newDir)];

let s = 2026;
const uniform = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
const photo = await sharp(join(root, 'samples', 'astronaut.png')).resize(640, 480).removeAlpha().raw().toBuffer();
const jpegs = [];
for (let i = 0; i < 16; i++) {
  const noisy = Buffer.from(photo.map((v) => Math.max(0, Math.min(255, Math.round(v + 4 * (uniform() - 0.5))))));
  const gain = 1 + 0.02 * (uniform() - 0.5);
  jpegs.push(new Uint8Array(await sharp(noisy, { raw: { width: 640, height: 480, channels: 3 } }).linear(gain, 0).jpeg({ quality: 85 }).toBuffer()));
}

for (const jpeg of jpegs) {
  if (anyPixels) break;
  const [a, b] = sets.map((set) => set.decoder.decode(jpeg));
  if (Buffer.compare(a.data, b.data) !== 0) throw new Error('the builds decode different pixels');
  const [fa, fb] = sets.map((set, i) => JSON.stringify(set.kernels.frameStats((i ? b : a).data, a)));
  if (fa !== fb) throw new Error('the builds compute different features');
}

const REPEAT = 10;
function msPerFrame(set, mode) {
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < REPEAT; r++) {
    for (const jpeg of jpegs) {
      if (mode === 'measure') {
        set.decoder.measure(jpeg);
        continue;
      }
      const frame = set.decoder.decode(jpeg, { view: true });
      if (mode === 'stats') set.kernels.frameStats(frame.data, frame);
    }
  }
  return Number(process.hrtime.bigint() - t0) / 1e6 / (REPEAT * jpegs.length);
}

const median = (v) => [...v].sort((x, y) => x - y)[v.length >> 1];
// decoder.measure (the fused path replay and the agent use) only where both builds have it.
const modes = [['decode', 'decode'], ['decode + frameStats', 'stats']];
if (sets.every((set) => set.decoder.measures)) modes.push(['measure (fused)', 'measure']);
for (const [label, mode] of modes) {
  const times = [[], []];
  for (let r = 0; r < rounds; r++) sets.forEach((set, i) => times[i].push(msPerFrame(set, mode)));
  const [a, b] = times;
  console.log(`${label}: old median ${median(a).toFixed(3)} min ${Math.min(...a).toFixed(3)}, new median ${median(b).toFixed(3)} min ${Math.min(...b).toFixed(3)} ms/frame, new/old ${(median(b) / median(a)).toFixed(3)}`);
}
