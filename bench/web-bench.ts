// The review page against the Node agent on the same 1080p JPEGs (issue 8:
// "the page processes 200 frames of 1080p JPEG at no less than half the Node
// agent's rate"). N seeded 1920×1080 q85 frames of a sample photo (gain and
// noise variation, as scripts/agent-throughput.mjs), a baseline built from
// them at decode scale 1 (the page decodes at full size), then, alternating,
// `driftwatch replay <dir> --baseline b.dwb --json` (its frames/s line: decode
// + features + monitor, from the first frame) and the page in headless
// Chromium opened as `driftwatch review --baseline b.dwb <dir>` does (its
// worker's time from the first frame to the last). Neither is pinned: each
// decodes, measures and monitors on one thread.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { chromium } from 'playwright-core';
import { startReviewServer } from '../edge/commands/review.js';
import type { BenchTable } from './timing.js';
import { replayFolder } from './replay-run.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/edge/cli.js');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface WebBenchOptions { frames?: number; rounds?: number; width?: number; height?: number }

export interface WebBenchRound { round: number; pickedFps: number; pickedRatio: number; pageFps: number; pageSeconds: number; nodeFps: number; nodeSeconds: number; ratio: number; loadBefore: number; loadAfter: number; pagePhases: Record<string, number> }

async function writeFrames(dir: string, frames: number, width: number, height: number): Promise<void> {
  let s = 2026;
  const uniform = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const photo = await sharp(join(ROOT, 'samples', 'astronaut.png')).resize(width, height).removeAlpha().raw().toBuffer();
  const noisy = Array.from({ length: 8 }, () => Buffer.from(photo.map((v) => Math.max(0, Math.min(255, Math.round(v + 2 * gaussian()))))));
  for (let i = 0; i < frames; i++) {
    await sharp(noisy[Math.floor(uniform() * noisy.length)], { raw: { width, height, channels: 3 } })
      .linear(1 + 0.01 * gaussian(), 0).jpeg({ quality: 85 }).toFile(join(dir, `f${String(i).padStart(6, '0')}.jpg`));
  }
}

/**
 * mode 'served': the page opened on the folder as `driftwatch review --baseline b.dwb <dir>` does (frames fetched over HTTP);
 * mode 'picked': the frames and the baseline picked in the file inputs (File handles), then Process.
 */
async function pageOnce(dir: string, baseline: string, frames: number, mode: 'served' | 'picked'): Promise<{ fps: number; seconds: number; phases: Record<string, number> }> {
  const server = await startReviewServer({ webRoot: join(ROOT, 'dist/web'), ...(mode === 'served' ? { folder: dir, baseline } : {}) });
  // Extra flags for a diagnosis only (e.g. --js-flags=--no-wasm-dynamic-tiering); the recorded figures use none.
  const extra = (process.env.DRIFTWATCH_BENCH_CHROMIUM_ARGS ?? '').split(' ').filter(Boolean);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extra], timeout: 60_000 });
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    if (mode === 'picked') {
      const files = (await readdir(dir)).sort().map((name) => join(dir, name));
      await page.setInputFiles('#frames', files);
      await page.setInputFiles('#baseline', baseline);
      await page.click('#start');
    }
    await page.waitForFunction(() => {
      const s = (window as unknown as { __driftwatch?: { done: boolean; fatal: string | null } }).__driftwatch;
      return Boolean(s && (s.done || s.fatal));
    }, undefined, { timeout: 600_000, polling: 250 });
    const result = await page.evaluate(() => {
      const s = (window as unknown as { __driftwatch: { fatal: string | null; frames: unknown[]; errors: unknown[] } }).__driftwatch;
      const timing = (window as unknown as { __driftwatchTiming?: { ms: Record<string, number> } }).__driftwatchTiming;
      return { fatal: s.fatal, frames: s.frames.length, errors: s.errors.length, status: document.getElementById('status-text')?.textContent ?? '', phases: timing?.ms ?? {} };
    });
    if (result.fatal || result.frames !== frames) throw new Error(`the page did not process every frame: ${JSON.stringify(result)}`);
    // "done: N of N frames processed (...), S s": the worker's time from its first frame to its last.
    const seconds = Number(/, ([\d.]+) s$/.exec(result.status)?.[1]);
    if (!(seconds > 0)) throw new Error(`no time in the status: ${result.status}`);
    // Per frame, ms: where the worker's time went (web/report-timing.ts).
    const phases = Object.fromEntries(Object.entries(result.phases).map(([k, v]) => [k, v / frames]));
    return { fps: frames / seconds, seconds, phases };
  } finally {
    await browser.close();
    await server.close();
  }
}

export async function runWebBenchRounds(log: (line: string) => void, options: WebBenchOptions = {}): Promise<{ rounds: WebBenchRound[]; frames: number; width: number; height: number }> {
  const frames = options.frames ?? 200, rounds = options.rounds ?? 2, width = options.width ?? 1920, height = options.height ?? 1080;
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found`);
  const dir = await mkdtemp(join(tmpdir(), 'driftwatch-web-bench-'));
  try {
    const folder = join(dir, 'frames');
    await mkdir(folder);
    log(`web bench: writing ${frames} ${width}×${height} JPEG frames`);
    await writeFrames(folder, frames, width, height);
    const baseline = join(dir, 'b.dwb');
    const build = spawnSync(process.execPath, [CLI, 'baseline', 'build', folder, '-o', baseline, '--decode-scale', '1'], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`baseline build failed: ${build.stderr}`);
    const results: WebBenchRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const loadBefore = os.loadavg()[0];
      const node = replayFolder(folder, baseline);
      const page = await pageOnce(folder, baseline, frames, 'served');
      const picked = await pageOnce(folder, baseline, frames, 'picked');
      const row = { round, pickedFps: picked.fps, pickedRatio: picked.fps / node.fps, pageFps: page.fps, pageSeconds: page.seconds, nodeFps: node.fps, nodeSeconds: node.seconds, ratio: page.fps / node.fps, loadBefore, loadAfter: os.loadavg()[0], pagePhases: page.phases };
      log(`web bench round ${round}: page (picked files) ${row.pickedFps.toFixed(1)} frames/s, ratio ${row.pickedRatio.toFixed(2)}; page (served folder) ${row.pageFps.toFixed(1)} frames/s, node replay ${row.nodeFps.toFixed(1)} frames/s, page / node ${row.ratio.toFixed(2)} (load ${loadBefore.toFixed(2)} → ${row.loadAfter.toFixed(2)}); picked ms/frame ${Object.entries(picked.phases).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}; served ms/frame ${Object.entries(page.phases).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
      results.push(row);
    }
    return { rounds: results, frames, width, height };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runWebBench(log: (line: string) => void, options: WebBenchOptions = {}): Promise<BenchTable> {
  const { rounds, frames, width, height } = await runWebBenchRounds(log, options);
  return {
    title: `Review page vs Node (driftwatch replay), ${frames} frames of ${width}×${height} JPEG, decode scale 1, with a baseline`,
    rows: rounds.map((r) => ({
      round: r.round,
      'node replay frames/s': r.nodeFps.toFixed(1),
      'page, picked files: frames/s': r.pickedFps.toFixed(1),
      'picked / node': r.pickedRatio.toFixed(2),
      'page, served folder: frames/s': r.pageFps.toFixed(1),
      'served / node': r.ratio.toFixed(2),
      'load average (before → after)': `${r.loadBefore.toFixed(2)} → ${r.loadAfter.toFixed(2)}`,
      'served page ms/frame by phase': Object.entries(r.pagePhases).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', '),
    })),
  };
}
