#!/usr/bin/env node
// Issue 5's drifts end to end at camera resolution: the scenario harness's
// camera stream (eval/camera-stream.ts) rendered at --size (default 640x480),
// written as q85 JPEG files, then `driftwatch baseline build --stream` and
// `driftwatch replay --json` at each --scales (default 1,2), as a user runs them.
// `npm run eval` measures at 320×240 from pixels, without histograms; this
// checks the whole path at camera resolution. Per scale it prints the firing
// alerts of a stable stream and, for each drift (stable frames, then the
// drift from frame --start: abrupt, at full size for --after frames, or
// gradual, reaching full size --ramp frames later and staying there --after
// frames), the first firing frame after the drift began, the delay, whether
// it came before full size, and the cause.
//   node scripts/replay-scenarios.mjs [--camera coffee] [--size 640x480]
//     [--scales 1,2] [--reference 1500] [--stable 3000] [--start 1000]
//     [--after 300] [--onset abrupt|gradual|both] [--ramp 1000]
//     [--kinds darken,blur,...] [--dir <folder kept>]
// With --dir the frame folders are kept, named by camera, size, seed and
// length, and a folder already holding its frames is not written again.
// Run after `npm run build`. Seeded: the same frames on every run.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { streamFrames, DEFAULT_VARIATION } from '../dist/eval/camera-stream.js';
import { DRIFT_KINDS } from '../dist/eval/drift.js';
import { CAMERAS, cameraName } from '../dist/eval/scenarios.js';

const { values } = parseArgs({
  options: {
    camera: { type: 'string', default: 'coffee' }, size: { type: 'string', default: '640x480' },
    scales: { type: 'string', default: '1,2' }, reference: { type: 'string', default: '1500' },
    stable: { type: 'string', default: '3000' }, start: { type: 'string', default: '1000' },
    after: { type: 'string', default: '300' }, kinds: { type: 'string', default: DRIFT_KINDS.join(',') },
    onset: { type: 'string', default: 'abrupt' }, ramp: { type: 'string', default: '1000' },
    dir: { type: 'string' },
  },
});
const [width, height] = values.size.split('x').map(Number);
const scales = values.scales.split(',').map(Number);
const [referenceFrames, stableFrames, start, after, ramp] = [values.reference, values.stable, values.start, values.after, values.ramp].map(Number);
for (const [name, n] of Object.entries({ reference: referenceFrames, stable: stableFrames, start, after, ramp })) {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`--${name} must be an integer >= 1, got ${values[name]}`);
}
if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height)) throw new RangeError(`--size must be WIDTHxHEIGHT, got ${values.size}`);
if (!['abrupt', 'gradual', 'both'].includes(values.onset)) throw new RangeError(`--onset must be abrupt, gradual or both, got ${values.onset}`);
const onsets = values.onset === 'both' ? ['abrupt', 'gradual'] : [values.onset];
const kinds = values.kinds.split(',');
const index = CAMERAS.findIndex((c) => cameraName(c.photo) === values.camera);
if (index < 0) throw new RangeError(`unknown camera ${values.camera}`);
const camera = CAMERAS[index];
for (const kind of kinds) if (!DRIFT_KINDS.includes(kind)) throw new RangeError(`unknown drift ${kind}; drifts: ${DRIFT_KINDS.join(', ')}`);
const cli = fileURLToPath(new URL('../dist/edge/cli.js', import.meta.url));
const root = values.dir ?? await mkdtemp(join(tmpdir(), 'driftwatch-replay-scenarios-'));

/** Writes the stream's frames as q85 JPEG files f000000.jpg, … into `folder` (kept from an earlier run when complete). */
async function writeStream(folder, spec) {
  await mkdir(folder, { recursive: true });
  if ((await readdir(folder)).filter((name) => name.endsWith('.jpg')).length === spec.frames) {
    process.stderr.write(`${folder}: ${spec.frames} frames from an earlier run\n`);
    return;
  }
  const t0 = performance.now();
  const writes = [];
  for await (const frame of streamFrames(spec)) {
    const jpeg = sharp(Buffer.from(frame.rgb), { raw: { width, height, channels: 3 } }).jpeg({ quality: DEFAULT_VARIATION.jpegQuality }).toBuffer();
    writes.push(jpeg.then((bytes) => writeFile(join(folder, `f${String(frame.index).padStart(6, '0')}.jpg`), bytes)));
    if (writes.length >= 32) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  process.stderr.write(`${folder}: ${spec.frames} frames in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`driftwatch ${args.join(' ')} exited ${code}`))));
  });
}

const spec = (frames, seed, drift) => ({ photo: camera.photo, width, height, frames, seed, variation: { ...DEFAULT_VARIATION }, ...(drift ? { drift } : {}) });
// Seeds as the scenario harness's: reference 1000 + i, stable 2000 + i, drifts 3000 + i.
const folder = (name, frames, seed) => join(root, `${camera.photo.replace(/\.\w+$/, '')}-${width}x${height}-${name}-${seed}-${frames}`);
const folders = { reference: folder('reference', referenceFrames, 1000 + index), stable: folder('stable', stableFrames, 2000 + index) };
await writeStream(folders.reference, spec(referenceFrames, 1000 + index));
await writeStream(folders.stable, spec(stableFrames, 2000 + index));
const drifts = [];
for (const onset of onsets) {
  for (const kind of kinds) {
    const rampFrames = onset === 'gradual' ? ramp : 0;
    const frames = start + rampFrames + after;
    const drift = { kind, onset, startFrame: start, rampFrames, ...(kind === 'scene-change' ? { targetPhoto: camera.sceneChangeTo } : {}) };
    const where = folder(`${kind}-${onset}${rampFrames ? `-ramp${rampFrames}` : ''}-from${start}`, frames, 3000 + index);
    await writeStream(where, spec(frames, 3000 + index, drift));
    drifts.push({ kind, onset, fullSize: start + rampFrames, frames, folder: where });
  }
}

const firings = (out) => out.split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((e) => e.type === 'alert' && e.state === 'firing' && !e.causeRevised);
const rows = [];
for (const scale of scales) {
  // Named by camera and size too: runs for other cameras may share --dir.
  const baseline = join(root, `${camera.photo.replace(/\.\w+$/, '')}-${width}x${height}-baseline-${scale}.dwb`);
  await run(['baseline', 'build', folders.reference, '-o', baseline, '--stream', '--decode-scale', String(scale)]);
  const stable = firings(await run(['replay', folders.stable, '--baseline', baseline, '--json']));
  rows.push(`| ${scale} | stable, ${stableFrames} frames | ${stable.length} firing | | | ${stable.map((e) => `${e.frame} ${e.cause}`).join('; ')} |`);
  for (const d of drifts) {
    const all = firings(await run(['replay', d.folder, '--baseline', baseline, '--json']));
    const early = all.filter((e) => e.frame < start);
    const first = all.find((e) => e.frame >= start);
    const timing = first ? (first.frame < d.fullSize ? 'before full size' : d.onset === 'gradual' ? 'after full size' : '') : '';
    rows.push(`| ${scale} | ${d.kind}, ${d.onset} from ${start} | ${first ? `frame ${first.frame}` : `none by ${d.frames - 1}`} | ${first ? first.frame - start : '–'} | ${timing} | ${first ? first.cause : ''}${early.length ? `; ${early.length} before the drift` : ''} |`);
  }
}
process.stdout.write(`${camera.photo} at ${width}×${height}, reference ${referenceFrames} frames\n\n| decode scale | stream | first firing | delay, frames | when | cause |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n`);
if (!values.dir) await rm(root, { recursive: true, force: true });
