// Resident memory of the real agent over a long run (issue 6: at most 96 MB
// and flat over 200,000 frames). `driftwatch run` runs as a child process
// with one source (stdin:frames, dir:…?after=delete, http: or proxy:) and a feeder
// hands it frames cycling through a few hundred pre-encoded frames of the
// demo camera (320×240 JPEG, edge/demo/demo-stream.ts), each with a small
// prediction, keeping a bounded lead over the agent (bench/soak-feed-*.ts).
// Every `sampleEvery` frames it reads the agent's VmRSS from /proc and its V8
// heap and external memory from /metrics.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoJpegFrames } from '../edge/demo/demo-stream.js';
import { AgentChild, metricSum, REPO_ROOT } from './agent-child.js';
import { DirFeeder } from './soak-feed-dir.js';
import { HttpFeeder } from './soak-feed-http.js';
import { ProxyFeeder } from './soak-feed-proxy.js';
import { StdinFeeder } from './soak-feed-stdin.js';
import type { SoakFeeder, SoakFrame } from './soak-feeder.js';
import type { BenchTable } from './timing.js';

export type SoakSource = 'stdin' | 'dir' | 'http' | 'proxy';
export const SOAK_SOURCES: readonly SoakSource[] = ['stdin', 'dir', 'http', 'proxy'];

const CAMERA = 'coffee-cam';
/** Images the dir feeder keeps ahead of the agent; the source takes a file only after it stayed unchanged for 250 ms, so the lead sets its pace. */
export const DIR_LEAD = 512;
/** Requests the http feeder keeps in flight (the agent queues up to 32 frames). */
export const HTTP_CONCURRENCY = 8;
/** Calls the proxy feeder keeps in flight, and its most frames ahead of those the agent handled (its queue holds 32). */
export const PROXY_CONCURRENCY = 4;
export const PROXY_LEAD = 24;

export interface SoakOptions {
  frames: number;
  /** How the frames reach the agent. Default stdin. */
  source?: SoakSource;
  /** Distinct frames cycled through. */
  distinct: number;
  sampleEvery: number;
  cpus?: string;
  nice?: number;
  env?: Record<string, string>;
  /** Node options before the agent's script (V8 flags NODE_OPTIONS refuses, e.g. --heap-growing-percent=50). */
  nodeArgs?: string[];
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
  /** Of the rejected, those refused because the agent's queue was full (the http feeder sends them again). */
  queueFull: number;
  seconds: number;
}

const MIB = 1024 * 1024;

async function sample(agent: AgentChild, frames: number, startedMs: number): Promise<SoakSample> {
  const [memory, text] = await Promise.all([agent.memory(), agent.metrics()]);
  return {
    frames, seconds: (performance.now() - startedMs) / 1000, rssMiB: memory.rssMiB,
    heapUsedMiB: metricSum(text, 'driftwatch_nodejs_heap_size_used_bytes') / MIB,
    externalMiB: metricSum(text, 'driftwatch_nodejs_external_memory_bytes') / MIB,
  };
}

async function feederFor(source: SoakSource, state: string): Promise<SoakFeeder> {
  switch (source) {
    case 'stdin':
      return new StdinFeeder();
    case 'dir':
      return new DirFeeder(join(state, 'incoming'), DIR_LEAD);
    case 'http':
      return new HttpFeeder(CAMERA, HTTP_CONCURRENCY);
    case 'proxy':
      return ProxyFeeder.start(PROXY_CONCURRENCY, PROXY_LEAD);
  }
}

export async function runAgentSoak(options: SoakOptions, log: (line: string) => void): Promise<SoakResult> {
  const frames: SoakFrame[] = [];
  for await (const { index, jpeg } of demoJpegFrames({ frames: options.distinct, seed: 606 })) {
    frames.push({ jpeg, predictions: { label: 'cup', score: 0.8 + (index % 20) / 100 } });
  }
  const bytes = frames.reduce((sum, f) => sum + f.jpeg.length, 0);
  const source = options.source ?? 'stdin';
  log(`soak: ${options.distinct} distinct 320×240 demo frames (${(bytes / options.distinct / 1024).toFixed(1)} KiB JPEG each on average), ${options.frames} frames in all, source ${source}`);
  const state = await mkdtemp(join(tmpdir(), 'driftwatch-soak-'));
  const feeder = await feederFor(source, state);
  if (source === 'dir') await mkdir(join(state, 'incoming'));
  const agent = new AgentChild([
    '--device', 'soak', '--camera', CAMERA, '--source', feeder.source,
    '--baseline', join(REPO_ROOT, 'samples/demo/coffee-cam.dwb'), '--state-dir', state,
    '--listen', '127.0.0.1:0', '--log-level', 'info', '--no-stdout', '--checkpoint-interval-s', '10',
  ], { stdin: feeder.stdin, cpus: options.cpus, nice: options.nice, env: options.env, nodeArgs: options.nodeArgs });
  try {
    feeder.attach({ stdin: agent.process.stdin, port: await agent.listening });
    const startedMs = performance.now();
    const samples: SoakSample[] = [await sample(agent, 0, startedMs)];
    for (let i = 1; i <= options.frames; i++) {
      await feeder.send(i, frames[i % frames.length]);
      if (i % options.sampleEvery === 0) {
        const s = await sample(agent, i, startedMs);
        samples.push(s);
        log(`  ${i} frames, ${s.seconds.toFixed(0)} s: RSS ${s.rssMiB.toFixed(1)} MiB, heap ${s.heapUsedMiB.toFixed(1)} MiB, external ${s.externalMiB.toFixed(1)} MiB`);
      }
    }
    await feeder.finish();
    let text = await agent.metrics();
    // A frame refused with queue_full is sent again (except through the proxy), so it is not yet handled.
    const handled = () => metricSum(text, 'driftwatch_frames_processed_total') + metricSum(text, 'driftwatch_frames_rejected_total')
      - (feeder.dropsRefused ? 0 : metricSum(text, 'driftwatch_frames_rejected_total', { reason: 'queue_full' }));
    while (handled() < options.frames) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = await agent.metrics();
    }
    const seconds = (performance.now() - startedMs) / 1000;
    const peak = (await agent.memory()).hwmMiB;
    const processed = metricSum(text, 'driftwatch_frames_processed_total');
    const rejected = metricSum(text, 'driftwatch_frames_rejected_total');
    const queueFull = metricSum(text, 'driftwatch_frames_rejected_total', { reason: 'queue_full' });
    const code = await agent.stop();
    if (code !== 0) throw new Error(`the agent exited with ${code}:\n${agent.stderr}`);
    return { samples, peakRssMiB: peak, processed, rejected, queueFull, seconds };
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

const SOURCE_LABELS: Record<SoakSource, string> = {
  stdin: 'stdin:frames',
  dir: `dir:…?after=delete (lead ${DIR_LEAD} files)`,
  http: `http: (POST, keep-alive, ${HTTP_CONCURRENCY} in flight)`,
  proxy: `proxy: (POST /predict to a stand-in model, keep-alive, ${PROXY_CONCURRENCY} in flight, at most ${PROXY_LEAD} frames ahead)`,
};

export function soakTables(result: SoakResult, options: SoakOptions): BenchTable[] {
  const at = (frames: number) => result.samples.find((s) => s.frames === frames);
  const marks = [0, 10_000, 50_000, 100_000, 150_000, 200_000].filter((f) => f <= options.frames);
  const second = result.samples.filter((s) => s.frames >= options.frames / 2);
  const maxSampled = Math.max(...result.samples.map((s) => s.rssMiB));
  return [{
    title: `agent resident memory, ${options.frames} frames through ${SOURCE_LABELS[options.source ?? 'stdin']} (320×240 demo JPEGs)`,
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
      { figure: 'frames processed / rejected (of which queue full)', value: `${result.processed} / ${result.rejected} (${result.queueFull})` },
      { figure: 'frames per second', value: (options.frames / result.seconds).toFixed(0) },
    ],
  }];
}
