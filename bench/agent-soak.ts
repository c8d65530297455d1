// Resident memory of the real agent over a long run (issue 6: at most 96 MB
// and flat over 200,000 frames). `driftwatch run --source stdin:frames` runs
// as a child process; the benchmark pipes it length-prefixed records cycling
// through a few hundred pre-encoded frames of the demo camera (320×240 JPEG,
// edge/demo/demo-stream.ts), each with a small prediction, paced by the pipe
// (the stdin source keeps at most 8 frames in flight). Every `sampleEvery`
// frames it reads the agent's VmRSS from /proc and its V8 heap and external
// memory from /metrics.
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { demoJpegFrames } from '../edge/demo/demo-stream.js';
import { encodeFrameRecord } from '../edge/sources/stdin-records.js';
import { AgentChild, metricSum, REPO_ROOT } from './agent-child.js';
import type { BenchTable } from './timing.js';

export interface SoakOptions {
  frames: number;
  /** Distinct frames cycled through. */
  distinct: number;
  sampleEvery: number;
  cpus?: string;
  nice?: number;
  env?: Record<string, string>;
}

export interface SoakSample {
  frames: number;
  seconds: number;
  rssMiB: number;
  heapUsedMiB: number;
  externalMiB: number;
}

export interface SoakResult {
  samples: SoakSample[];
  peakRssMiB: number;
  processed: number;
  rejected: number;
  seconds: number;
}

const MIB = 1024 * 1024;

async function write(stream: Writable, bytes: Buffer): Promise<void> {
  if (!stream.write(bytes)) await once(stream, 'drain');
}

async function sample(agent: AgentChild, frames: number, startedMs: number): Promise<SoakSample> {
  const [memory, text] = await Promise.all([agent.memory(), agent.metrics()]);
  return {
    frames, seconds: (performance.now() - startedMs) / 1000, rssMiB: memory.rssMiB,
    heapUsedMiB: metricSum(text, 'driftwatch_nodejs_heap_size_used_bytes') / MIB,
    externalMiB: metricSum(text, 'driftwatch_nodejs_external_memory_bytes') / MIB,
  };
}

export async function runAgentSoak(options: SoakOptions, log: (line: string) => void): Promise<SoakResult> {
  const records: Buffer[] = [];
  for await (const { index, jpeg } of demoJpegFrames({ frames: options.distinct, seed: 606 })) {
    records.push(encodeFrameRecord(jpeg, { predictions: { label: 'cup', score: 0.8 + (index % 20) / 100 } }));
  }
  const bytes = records.reduce((sum, r) => sum + r.length, 0);
  log(`soak: ${options.distinct} distinct 320×240 demo frames (${(bytes / options.distinct / 1024).toFixed(1)} KiB each on average), ${options.frames} frames in all`);
  const state = await mkdtemp(join(tmpdir(), 'driftwatch-soak-'));
  const agent = new AgentChild([
    '--device', 'soak', '--camera', 'coffee-cam', '--source', 'stdin:frames',
    '--baseline', join(REPO_ROOT, 'samples/demo/coffee-cam.dwb'), '--state-dir', state,
    '--listen', '127.0.0.1:0', '--log-level', 'info', '--no-stdout', '--checkpoint-interval-s', '10',
  ], { stdin: true, cpus: options.cpus, nice: options.nice, env: options.env });
  try {
    await agent.listening;
    const startedMs = performance.now();
    const samples: SoakSample[] = [await sample(agent, 0, startedMs)];
    const stdin = agent.process.stdin!;
    for (let i = 1; i <= options.frames; i++) {
      await write(stdin, records[i % records.length]);
      if (i % options.sampleEvery === 0) {
        const s = await sample(agent, i, startedMs);
        samples.push(s);
        log(`  ${i} frames, ${s.seconds.toFixed(0)} s: RSS ${s.rssMiB.toFixed(1)} MiB, heap ${s.heapUsedMiB.toFixed(1)} MiB, external ${s.externalMiB.toFixed(1)} MiB`);
      }
    }
    stdin.end();
    let text = await agent.metrics();
    const handled = () => metricSum(text, 'driftwatch_frames_processed_total') + metricSum(text, 'driftwatch_frames_rejected_total');
    while (handled() < options.frames) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = await agent.metrics();
    }
    const seconds = (performance.now() - startedMs) / 1000;
    const peak = (await agent.memory()).hwmMiB;
    const processed = metricSum(text, 'driftwatch_frames_processed_total');
    const rejected = metricSum(text, 'driftwatch_frames_rejected_total');
    const code = await agent.stop();
    if (code !== 0) throw new Error(`the agent exited with ${code}:\n${agent.stderr}`);
    return { samples, peakRssMiB: peak, processed, rejected, seconds };
  } finally {
    if (agent.process.exitCode === null) await agent.stop();
    await rm(state, { recursive: true, force: true });
  }
}

/** Least-squares slope of RSS against frames, in MiB per 100,000 frames. */
export function rssSlope(samples: readonly SoakSample[]): number {
  const n = samples.length;
  const mx = samples.reduce((s, p) => s + p.frames, 0) / n;
  const my = samples.reduce((s, p) => s + p.rssMiB, 0) / n;
  let num = 0, den = 0;
  for (const p of samples) {
    num += (p.frames - mx) * (p.rssMiB - my);
    den += (p.frames - mx) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 100_000;
}

export function soakTables(result: SoakResult, options: SoakOptions): BenchTable[] {
  const at = (frames: number) => result.samples.find((s) => s.frames === frames);
  const marks = [0, 10_000, 50_000, 100_000, 150_000, 200_000].filter((f) => f <= options.frames);
  const second = result.samples.filter((s) => s.frames >= options.frames / 2);
  const maxSampled = Math.max(...result.samples.map((s) => s.rssMiB));
  return [{
    title: `agent resident memory, ${options.frames} frames through stdin:frames (320×240 demo JPEGs)`,
    rows: marks.map((frames) => {
      const s = at(frames);
      return { frames, 'RSS MiB': s ? s.rssMiB.toFixed(1) : '', 'V8 heap used MiB': s ? s.heapUsedMiB.toFixed(1) : '', 'external MiB': s ? s.externalMiB.toFixed(1) : '' };
    }),
  }, {
    title: 'soak summary (target: ≤ 96 MB and flat)',
    rows: [
      { figure: 'peak RSS (VmHWM) MiB', value: result.peakRssMiB.toFixed(1) },
      { figure: 'largest sampled RSS MiB', value: maxSampled.toFixed(1) },
      { figure: 'RSS slope over the second half, MiB per 100k frames', value: rssSlope(second).toFixed(2) },
      { figure: 'frames processed / rejected', value: `${result.processed} / ${result.rejected}` },
      { figure: 'frames per second', value: (options.frames / result.seconds).toFixed(0) },
    ],
  }];
}
