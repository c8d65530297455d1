// Issue 5's throughput figure: `driftwatch replay` over a stored stream of
// 640×480 q85 JPEG frames (bench/replay-stream.ts), one core, against the
// 500 frames/s target (2.0 ms a frame) and against what measuring alone
// costs on the same frames in the same run (JpegDecoder.measure, this
// process): the rest of replay's time is file reads, the drift monitor and
// its checks. Rounds alternate the two, so a busy neighbour slows both.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { loadJpegDecoder } from '../edge/library.js';
import { median, type BenchTable } from './timing.js';
import { writeReplayStream } from './replay-stream.js';

const CLI = new URL('../edge/cli.js', import.meta.url).pathname;
const TARGET_FPS = 500;
const REFERENCE_FRAMES = 300;

export interface ReplayBenchOptions {
  frames?: number;
  rounds?: number;
}

export interface ReplayBenchRound {
  round: number;
  replayFps: number;
  measureMs: number;
  alerts: number;
  processed: number;
}

/** `taskset -c <cpu>` around a command when taskset exists: replay gets one core, as the target says. */
function oneCore(command: string[]): string[] {
  if (!existsSync('/usr/bin/taskset')) return command;
  const cpu = os.cpus().length - 1;
  return ['/usr/bin/taskset', '-c', String(cpu), ...command];
}

function replayOnce(stream: string, baseline: string): { fps: number; alerts: number; processed: number } {
  const command = oneCore([process.execPath, CLI, 'replay', stream, '--baseline', baseline, '--json']);
  const run = spawnSync(command[0], command.slice(1), { encoding: 'utf8', env: { ...process.env, UV_THREADPOOL_SIZE: '1' }, maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`replay failed (${run.status}): ${run.stderr}`);
  const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { type: string; fps: number; alerts: number; processed: number };
  if (summary.type !== 'summary') throw new Error(`replay's last line is not its summary: ${run.stdout.slice(-300)}`);
  return summary;
}

// Median ms per frame of decoder.measure over every frame of the stream, files read beforehand.
async function measureOnly(stream: string): Promise<number> {
  const decoder = await loadJpegDecoder();
  const files = (await readdir(stream)).sort();
  const frames = await Promise.all(files.map(async (name) => new Uint8Array(await readFile(join(stream, name)))));
  const times: number[] = [];
  for (const bytes of frames) {
    const started = performance.now();
    decoder.measure(bytes, { scale: 1, step: 1 });
    times.push(performance.now() - started);
  }
  return median(times);
}

export async function runReplayBenchRounds(log: (line: string) => void, options: ReplayBenchOptions = {}): Promise<ReplayBenchRound[]> {
  const frames = options.frames ?? 1500, rounds = options.rounds ?? 3;
  if (frames <= REFERENCE_FRAMES) throw new RangeError(`frames must be more than the ${REFERENCE_FRAMES} reference frames, got ${frames}`);
  const dir = await mkdtemp(join(os.tmpdir(), 'driftwatch-replay-bench-'));
  try {
    log(`replay bench: writing ${frames} 640×480 q85 frames`);
    const { stream, reference } = await writeReplayStream(dir, frames, REFERENCE_FRAMES);
    const baseline = join(dir, 'b.dwb');
    const build = spawnSync(process.execPath, [CLI, 'baseline', 'build', reference, '-o', baseline], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`baseline build failed: ${build.stderr}`);
    const results: ReplayBenchRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const replay = replayOnce(stream, baseline);
      const measureMs = await measureOnly(stream);
      results.push({ round, replayFps: replay.fps, measureMs, alerts: replay.alerts, processed: replay.processed });
      log(`replay bench round ${round}: replay ${replay.fps.toFixed(1)} frames/s (${(1000 / replay.fps).toFixed(3)} ms a frame), measure alone ${measureMs.toFixed(3)} ms a frame, ${replay.alerts} alerts`);
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runReplayBench(log: (line: string) => void, options: ReplayBenchOptions = {}): Promise<BenchTable> {
  const rounds = await runReplayBenchRounds(log, options);
  const frames = options.frames ?? 1500;
  return {
    title: `replay: ${frames} stored 640×480 q85 JPEG frames, one core, against the ${TARGET_FPS} frames/s target (issue 5) and measuring alone`,
    rows: rounds.map((r) => ({
      round: r.round,
      'replay frames/s': r.replayFps.toFixed(1),
      'replay ms a frame': (1000 / r.replayFps).toFixed(3),
      [`÷ ${TARGET_FPS} frames/s`]: (r.replayFps / TARGET_FPS).toFixed(3),
      'measure alone ms a frame (this process)': r.measureMs.toFixed(3),
      'replay ÷ measure alone (time)': (1000 / r.replayFps / r.measureMs).toFixed(3),
      'alerts (stable stream)': r.alerts,
    })),
  };
}
