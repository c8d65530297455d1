#!/usr/bin/env node
// Agent throughput on 1080p JPEG (issue 6: >= 30 frames/s on one core with
// reduced-resolution decode). Writes N seeded 1920x1080 q85 frames of a
// sample photo (gain and noise variation), builds a baseline from the first
// 300 at the same --decode-scale, then times `driftwatch run --source dir:`
// (pinned to one core with taskset) from its 'source started' log line until
// /metrics counts every frame, and prints frames/s. The same run times
// `replay` on the folder as the peer path (decode + features + monitor).
// Usage (after npm run build): node scripts/agent-throughput.mjs [frames=600] [--decode-scale 4] [--core 0]
import { spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(`--${name}`); return i < 0 ? fallback : args[i + 1]; };
const frames = Number(args.find((a) => /^\d+$/.test(a)) ?? 600);
const scale = option('decode-scale', '4');
const core = option('core', '0');
const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist', 'edge', 'cli.js');
const dir = await mkdtemp(join(tmpdir(), 'driftwatch-agent-bench-'));
let s = 2026;
const uniform = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
try {
  const photo = await sharp(join(root, 'samples', 'astronaut.png')).resize(1920, 1080).removeAlpha().raw().toBuffer();
  const noisy = Array.from({ length: 8 }, () => Buffer.from(photo.map((v) => Math.max(0, Math.min(255, Math.round(v + 2 * gaussian()))))));
  for (const sub of ['all', 'reference', 'frames']) await mkdir(join(dir, sub));
  for (let i = 0; i < frames; i++) {
    const name = `f${String(i).padStart(6, '0')}.jpg`;
    await sharp(noisy[Math.floor(uniform() * noisy.length)], { raw: { width: 1920, height: 1080, channels: 3 } }).linear(1 + 0.01 * gaussian(), 0).jpeg({ quality: 85 }).toFile(join(dir, 'all', name));
    if (i < 300) await copyFile(join(dir, 'all', name), join(dir, 'reference', name));
  }
  const build = spawnSync(process.execPath, [cli, 'baseline', 'build', join(dir, 'reference'), '-o', join(dir, 'b.dwb'), '--decode-scale', scale], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(build.stderr);

  // Peer path: replay of the same folder, same core.
  const replayStarted = performance.now();
  const replay = spawnSync('taskset', ['-c', core, process.execPath, cli, 'replay', join(dir, 'all'), '--baseline', join(dir, 'b.dwb'), '--json'], { encoding: 'utf8', env: { ...process.env, UV_THREADPOOL_SIZE: '1' } });
  if (replay.status !== 0) throw new Error(replay.stderr);
  const replaySeconds = (performance.now() - replayStarted) / 1000;
  const summary = JSON.parse(replay.stdout.trim().split('\n').pop());

  // The agent: frames already in its folder, taken as fast as it can.
  for (const name of await readdir(join(dir, 'all'))) await copyFile(join(dir, 'all', name), join(dir, 'frames', name));
  const agent = spawn('taskset', ['-c', core, process.execPath, cli, 'run', '--device', 'bench', '--camera', 'cam', '--source', `dir:${join(dir, 'frames')}?after=delete`,
    '--baseline', join(dir, 'b.dwb'), '--state-dir', join(dir, 'state'), '--listen', '127.0.0.1:0'], { env: { ...process.env, UV_THREADPOOL_SIZE: '1' } });
  let log = '', started = 0, port = 0;
  agent.stderr.on('data', (chunk) => {
    log += chunk;
    for (const line of log.split('\n')) {
      if (!started && line.includes('"source started"')) started = performance.now();
      const m = /"listen":"127\.0\.0\.1:(\d+)"/.exec(line);
      if (m) port = Number(m[1]);
    }
  });
  let done = 0, rss = 0;
  while (done < frames) {
    await new Promise((r) => setTimeout(r, 50));
    if (!port) continue;
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    done = Number(/^driftwatch_frames_processed_total\{camera="cam"\} (\d+)/m.exec(text)?.[1] ?? 0);
    rss = Math.max(rss, Number(/^driftwatch_process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? 0));
  }
  const agentSeconds = (performance.now() - started) / 1000;
  agent.kill('SIGTERM');
  await new Promise((r) => agent.on('close', r));
  console.log(JSON.stringify({
    frames, decodeScale: Number(scale), core: Number(core),
    agentFps: frames / agentSeconds, agentSeconds, agentMaxRssMB: rss / 2 ** 20,
    replayFps: summary.fps, replayWallSeconds: replaySeconds, replayAlerts: summary.alerts,
  }));
} finally {
  await rm(dir, { recursive: true, force: true });
}
