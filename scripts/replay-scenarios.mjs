#!/usr/bin/env node
// Issue 5's drifts end to end at camera resolution: the scenario harness's
// camera stream (eval/camera-stream.ts) rendered at --size (default 640x480),
// written as q85 JPEG files, then `driftwatch baseline build --stream` and
// `driftwatch replay --json` at each --scales (default 1,2), as a user runs them.
// `npm run eval` measures at 320×240 from pixels; this checks what a
// reduced-resolution decode of bigger frames keeps of it. Per scale it prints
// the firing alerts of a stable stream and, for each abrupt drift (stable
// frames, then the drift at full size from frame --start), the first firing
// frame after the drift began, the delay and the cause.
//   node scripts/replay-scenarios.mjs [--camera coffee] [--size 640x480]
//     [--scales 1,2] [--reference 1500] [--stable 3000] [--start 1000]
//     [--after 300] [--kinds darken,blur,...] [--dir <folder kept>]
// Run after `npm run build`. Seeded: the same frames on every run.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
    dir: { type: 'string' },
  },
});
const [width, height] = values.size.split('x').map(Number);
const scales = values.scales.split(',').map(Number);
const [referenceFrames, stableFrames, start, after] = [values.reference, values.stable, values.start, values.after].map(Number);
const kinds = values.kinds.split(',');
const index = CAMERAS.findIndex((c) => cameraName(c.photo) === values.camera);
if (index < 0) throw new RangeError(`unknown camera ${values.camera}`);
const camera = CAMERAS[index];
for (const kind of kinds) if (!DRIFT_KINDS.includes(kind)) throw new RangeError(`unknown drift ${kind}; drifts: ${DRIFT_KINDS.join(', ')}`);
const cli = fileURLToPath(new URL('../dist/edge/cli.js', import.meta.url));
const root = values.dir ?? await mkdtemp(join(tmpdir(), 'driftwatch-replay-scenarios-'));

/** Writes the stream's frames as q85 JPEG files f000000.jpg, … into `folder`. */
async function writeStream(folder, spec) {
  await mkdir(folder, { recursive: true });
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
const folders = { reference: join(root, 'reference'), stable: join(root, 'stable') };
await writeStream(folders.reference, spec(referenceFrames, 1000 + index));
await writeStream(folders.stable, spec(stableFrames, 2000 + index));
for (const kind of kinds) {
  folders[kind] = join(root, kind);
  const drift = { kind, onset: 'abrupt', startFrame: start, rampFrames: 0, ...(kind === 'scene-change' ? { targetPhoto: camera.sceneChangeTo } : {}) };
  await writeStream(folders[kind], spec(start + after, 3000 + index, drift));
}

const firings = (out) => out.split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((e) => e.type === 'alert' && e.state === 'firing' && !e.causeRevised);
const rows = [];
for (const scale of scales) {
  const baseline = join(root, `baseline-${scale}.dwb`);
  await run(['baseline', 'build', folders.reference, '-o', baseline, '--stream', '--decode-scale', String(scale)]);
  const stable = firings(await run(['replay', folders.stable, '--baseline', baseline, '--json']));
  rows.push(`| ${scale} | stable, ${stableFrames} frames | ${stable.length} firing | | ${stable.map((e) => `${e.frame} ${e.cause}`).join('; ')} |`);
  for (const kind of kinds) {
    const all = firings(await run(['replay', folders[kind], '--baseline', baseline, '--json']));
    const early = all.filter((e) => e.frame < start);
    const first = all.find((e) => e.frame >= start);
    rows.push(`| ${scale} | ${kind}, abrupt at ${start} | ${first ? `frame ${first.frame}` : `none by ${start + after - 1}`} | ${first ? first.frame - start : '–'} | ${first ? first.cause : ''}${early.length ? `; ${early.length} before the drift` : ''} |`);
  }
}
process.stdout.write(`${camera.photo} at ${width}×${height}, reference ${referenceFrames} frames\n\n| decode scale | stream | first firing | delay, frames | cause |\n|---|---|---|---|---|\n${rows.join('\n')}\n`);
if (!values.dir) await rm(root, { recursive: true, force: true });
