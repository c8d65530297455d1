#!/usr/bin/env node
// Replay throughput (issue 5: >= 500 frames/s of 640x480 JPEG on one core).
// Writes N seeded 640x480 JPEG frames (q85) of a sample photo with small
// gain and noise variation (bench/replay-stream.ts), builds a baseline from the first 300, and times
// `driftwatch replay --json` over all of them; prints its output (alerts, summary).
// Usage (after npm run build):
//   UV_THREADPOOL_SIZE=1 taskset -c 0 node scripts/replay-throughput.mjs [frames=3000] [--decode-scale 1|2|4|8]
// The baseline is built and the stream replayed at the same decode scale (docs/decode.md).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReplayStream } from '../dist/bench/replay-stream.js';

const args = process.argv.slice(2);
const scaleAt = args.indexOf('--decode-scale');
const decodeScale = scaleAt >= 0 ? args.splice(scaleAt, 2)[1] : '1';
if (!['1', '2', '4', '8'].includes(decodeScale)) throw new Error(`--decode-scale must be 1, 2, 4 or 8, got ${decodeScale}`);
const frames = Number(args[0] ?? 3000);
const root = new URL('..', import.meta.url).pathname;
const dir = await mkdtemp(join(tmpdir(), 'driftwatch-replay-bench-'));
try {
  await writeReplayStream(dir, frames, 300);
  const cli = join(root, 'dist', 'edge', 'cli.js');
  const build = spawnSync(process.execPath, [cli, 'baseline', 'build', join(dir, 'reference'), '-o', join(dir, 'b.dwb'), '--decode-scale', decodeScale], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(build.stderr);
  const replay = spawnSync(process.execPath, [cli, 'replay', join(dir, 'stream'), '--baseline', join(dir, 'b.dwb'), '--json', '--decode-scale', decodeScale], { encoding: 'utf8', env: { ...process.env, UV_THREADPOOL_SIZE: '1' } });
  if (replay.status !== 0) throw new Error(replay.stderr);
  const lines = replay.stdout.trim().split('\n');
  for (const line of lines) console.log(line.length > 600 ? `${line.slice(0, 600)}…` : line);
} finally {
  await rm(dir, { recursive: true, force: true });
}
