// Issue 5's throughput figure: `driftwatch replay` over a stored stream of
// 640×480 q85 JPEG frames (bench/replay-stream.ts), one core, against the
// 500 frames/s target (2.0 ms a frame) and against what measuring alone
// costs on the same frames in the same run (JpegDecoder.measure, this
// process): the rest of replay's time is file reads, the drift monitor and
// its checks. Each round also replays the stream against a baseline built at
// --decode-scale 2 (measured at 320×240, the scenario harness's size; docs/decode.md).
// Rounds alternate them, so a busy neighbour slows all.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { loadJpegDecoder } from '../edge/library.js';
import type { JpegDecoder } from '../src/jpeg/jpeg-decoder.js';
import { median, type BenchTable } from './timing.js';
import { writeReplayStream } from './replay-stream.js';
import { replayFolder } from './replay-run.js';

const CLI = new URL('../edge/cli.js', import.meta.url).pathname;
const TARGET_FPS = 500;
const REFERENCE_FRAMES = 300;
const DEFAULT_FRAMES = 1500;

export interface ReplayBenchOptions {
  frames?: number;
  rounds?: number;
}

export interface ReplayBenchRound {
  round: number;
  replayFps: number;
  /** The same replay against a baseline built at decode scale 2. */
  halfScaleFps: number;
  measureMs: number;
  alerts: number;
  processed: number;
}

// The stream's frames, read once, and a decoder: measureOnly times them every round.
async function measuringSetup(stream: string): Promise<{ decoder: JpegDecoder; frames: Uint8Array[] }> {
  const files = (await readdir(stream)).sort();
  const frames = await Promise.all(files.map(async (name) => new Uint8Array(await readFile(join(stream, name)))));
  return { decoder: await loadJpegDecoder(), frames };
}

function buildBaseline(reference: string, file: string, scale: 1 | 2): string {
  const build = spawnSync(process.execPath, [CLI, 'baseline', 'build', reference, '-o', file, '--decode-scale', String(scale)], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`baseline build (decode scale ${scale}) failed: ${build.stderr}`);
  return file;
}

// Median ms per frame of decoder.measure over every frame of the stream.
function measureOnly({ decoder, frames }: { decoder: JpegDecoder; frames: Uint8Array[] }): number {
  const times: number[] = [];
  for (const bytes of frames) {
    const started = performance.now();
    decoder.measure(bytes, { scale: 1, step: 1 });
    times.push(performance.now() - started);
  }
  return median(times);
}

export async function runReplayBenchRounds(log: (line: string) => void, options: ReplayBenchOptions = {}): Promise<ReplayBenchRound[]> {
  const frames = options.frames ?? DEFAULT_FRAMES, rounds = options.rounds ?? 3;
  if (frames <= REFERENCE_FRAMES) throw new RangeError(`frames must be more than the ${REFERENCE_FRAMES} reference frames, got ${frames}`);
  const dir = await mkdtemp(join(os.tmpdir(), 'driftwatch-replay-bench-'));
  try {
    log(`replay bench: writing ${frames} 640×480 q85 frames`);
    const { stream, reference } = await writeReplayStream(dir, frames, REFERENCE_FRAMES);
    const baseline = buildBaseline(reference, join(dir, 'b.dwb'), 1);
    const halfScaleBaseline = buildBaseline(reference, join(dir, 'b2.dwb'), 2);
    const measuring = await measuringSetup(stream);
    const results: ReplayBenchRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const replay = replayFolder(stream, baseline, { oneCore: true });
      const measureMs = measureOnly(measuring);
      const half = replayFolder(stream, halfScaleBaseline, { oneCore: true });
      results.push({ round, replayFps: replay.fps, halfScaleFps: half.fps, measureMs, alerts: replay.alerts + half.alerts, processed: Math.min(replay.processed, half.processed) });
      log(`replay bench round ${round}: replay ${replay.fps.toFixed(1)} frames/s (${(1000 / replay.fps).toFixed(3)} ms a frame), measure alone ${measureMs.toFixed(3)} ms a frame, at decode scale 2 ${half.fps.toFixed(1)} frames/s, ${replay.alerts} + ${half.alerts} alerts`);
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runReplayBench(log: (line: string) => void, options: ReplayBenchOptions = {}): Promise<BenchTable> {
  const rounds = await runReplayBenchRounds(log, options);
  const frames = options.frames ?? DEFAULT_FRAMES;
  return {
    title: `replay: ${frames} stored 640×480 q85 JPEG frames, one core, against the ${TARGET_FPS} frames/s target (issue 5) and measuring alone; full size and decode scale 2`,
    rows: rounds.map((r) => ({
      round: r.round,
      'replay frames/s': r.replayFps.toFixed(1),
      'replay ms a frame': (1000 / r.replayFps).toFixed(3),
      [`÷ ${TARGET_FPS} frames/s`]: (r.replayFps / TARGET_FPS).toFixed(3),
      'measure alone ms a frame (this process)': r.measureMs.toFixed(3),
      'replay ÷ measure alone (time)': (1000 / r.replayFps / r.measureMs).toFixed(3),
      'replay at decode scale 2, frames/s': r.halfScaleFps.toFixed(1),
      [`scale 2 ÷ ${TARGET_FPS} frames/s`]: (r.halfScaleFps / TARGET_FPS).toFixed(3),
      'alerts (stable stream, both)': r.alerts,
    })),
  };
}
