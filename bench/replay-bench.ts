// Issue 5's throughput figure: `driftwatch replay` over a stored stream of
// 640×480 q85 JPEG frames (bench/replay-stream.ts), one core, against the
// 500 frames/s target (2.0 ms a frame) and against what measuring alone
// costs on the same frames in the same run (JpegDecoder.measure, this
// process): the rest of replay's time is file reads, the drift monitor and
// its checks. The baseline is built as a user builds it, without
// --decode-scale, so its default decides (half size for 640×480,
// docs/decode.md); each round also replays against one built with
// --decode-scale 1 (full size). Rounds alternate them, so a busy neighbour slows all.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { loadJpegDecoder } from '../edge/library.js';
import type { JpegDecoder, JpegScale } from '../src/jpeg/jpeg-decoder.js';
import { decodeBaseline } from '../src/baseline/baseline-codec.js';
import { decodeSettingsOf } from '../src/baseline/baseline.js';
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
  /** Replay against the default baseline: `baseline build` without --decode-scale. */
  replayFps: number;
  /** The decode scale that default chose. */
  defaultScale: number;
  /** decoder.measure alone at that scale, ms a frame. */
  measureMs: number;
  /** The same replay against a baseline built with --decode-scale 1. */
  fullSizeFps: number;
  fullSizeMeasureMs: number;
  alerts: number;
  processed: number;
}

// The stream's frames, read once, and a decoder: measureOnly times them every round.
async function measuringSetup(stream: string): Promise<{ decoder: JpegDecoder; frames: Uint8Array[] }> {
  const files = (await readdir(stream)).sort();
  const frames = await Promise.all(files.map(async (name) => new Uint8Array(await readFile(join(stream, name)))));
  return { decoder: await loadJpegDecoder(), frames };
}

// `scale` undefined: no --decode-scale, as a user runs it; returns the scale the file records.
async function buildBaseline(reference: string, file: string, scale?: 1): Promise<number> {
  const build = spawnSync(process.execPath, [CLI, 'baseline', 'build', reference, '-o', file, ...(scale ? ['--decode-scale', String(scale)] : [])], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`baseline build (${scale ? `decode scale ${scale}` : 'default decode scale'}) failed: ${build.stderr}`);
  return decodeSettingsOf((await decodeBaseline(new Uint8Array(await readFile(file)))).header).scale;
}

// Median ms per frame of decoder.measure over every frame of the stream.
function measureOnly({ decoder, frames }: { decoder: JpegDecoder; frames: Uint8Array[] }, scale: number): number {
  const times: number[] = [];
  for (const bytes of frames) {
    const started = performance.now();
    decoder.measure(bytes, { scale: scale as JpegScale, step: 1 });
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
    const baseline = join(dir, 'default.dwb'), fullSizeBaseline = join(dir, 'full.dwb');
    const defaultScale = await buildBaseline(reference, baseline);
    await buildBaseline(reference, fullSizeBaseline, 1);
    const measuring = await measuringSetup(stream);
    const results: ReplayBenchRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const replay = replayFolder(stream, baseline, { oneCore: true });
      const measureMs = measureOnly(measuring, defaultScale);
      const full = replayFolder(stream, fullSizeBaseline, { oneCore: true });
      const fullSizeMeasureMs = measureOnly(measuring, 1);
      results.push({ round, replayFps: replay.fps, defaultScale, measureMs, fullSizeFps: full.fps, fullSizeMeasureMs, alerts: replay.alerts + full.alerts, processed: Math.min(replay.processed, full.processed) });
      log(`replay bench round ${round}: default baseline (decode scale ${defaultScale}) ${replay.fps.toFixed(1)} frames/s (${(1000 / replay.fps).toFixed(3)} ms a frame, measure alone ${measureMs.toFixed(3)}), full size ${full.fps.toFixed(1)} frames/s (measure alone ${fullSizeMeasureMs.toFixed(3)}), ${replay.alerts} + ${full.alerts} alerts`);
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
    title: `replay: ${frames} stored 640×480 q85 JPEG frames, one core, against the ${TARGET_FPS} frames/s target (issue 5) and measuring alone; the default baseline (decode scale ${rounds[0]?.defaultScale}) and full size`,
    rows: rounds.map((r) => ({
      round: r.round,
      [`replay frames/s (decode scale ${r.defaultScale}, the default)`]: r.replayFps.toFixed(1),
      'replay ms a frame': (1000 / r.replayFps).toFixed(3),
      [`÷ ${TARGET_FPS} frames/s`]: (r.replayFps / TARGET_FPS).toFixed(3),
      'measure alone ms a frame (this process)': r.measureMs.toFixed(3),
      'replay ÷ measure alone (time)': (1000 / r.replayFps / r.measureMs).toFixed(3),
      'full size (--decode-scale 1) frames/s': r.fullSizeFps.toFixed(1),
      [`full size ÷ ${TARGET_FPS} frames/s`]: (r.fullSizeFps / TARGET_FPS).toFixed(3),
      'full size: measure alone ms a frame': r.fullSizeMeasureMs.toFixed(3),
      'alerts (stable stream, both)': r.alerts,
    })),
  };
}
