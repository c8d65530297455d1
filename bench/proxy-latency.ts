// Issue 6: the proxy: sidecar adds at most 1 ms at p99 to an inference call
// against a local upstream that answers in 5 ms. A node:http "model" answers
// each POST 5 ms (setTimeout) after its body arrived, with a small JSON
// answer. The real agent (`driftwatch run --source proxy:...`, a child
// process, optionally pinned with taskset) sits in front of it and measures
// every tapped frame it can (the camera's queue refuses the rest). Clients
// POST a real JPEG, one at a time or several at once; each request's latency
// is timed, direct and through the proxy, interleaved in rounds (the order
// rotating) so that a noisy neighbour hits them alike. A third path goes
// through the proxy to an untapped endpoint (/other, which the model answers
// the same way): the proxy's own cost without the measuring behind it. A
// fourth goes through a minimal node:http proxy (bench/minimal-proxy.ts, a
// process of its own): the floor any Node sidecar pays on this machine. Two
// more floors parse nothing: a bare Node byte relay (bench/relay-proxy.ts)
// and socat (C; skipped when /usr/bin/socat is missing): what any relay,
// in any language, adds on this machine. One more runs the agent's own relay
// code alone in a plain process (bench/relay-code-proxy.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { Agent as HttpAgent, createServer, request, type Server } from 'node:http';
import { connect as connectTcp, type AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { AgentChild, metricSum, REPO_ROOT } from './agent-child.js';
import type { BenchTable } from './timing.js';

export const LATENCY_PATHS = ['direct', 'minimal', 'relay', 'relay-code', 'socat', 'untapped', 'tapped', 'before-untapped', 'before-tapped'] as const;
export type LatencyPath = (typeof LATENCY_PATHS)[number];
export const SOCAT = '/usr/bin/socat';

export interface LatencyOptions {
  /** Frame sizes to POST, e.g. [[640, 480], [1920, 1080]]. */
  sizes: Array<[number, number]>;
  /** Client counts: 1 is sequential. */
  clients: number[];
  rounds: number;
  /** Requests per path per round (split among the clients). */
  perRound: number;
  /** The upstream's answer delay. */
  upstreamMs: number;
  /** Which paths to time; without 'tapped' the agent measures nothing and the proxy's own cost shows. */
  paths: Array<LatencyPath>;
  /** taskset CPU list for the agent and the floors (minimal, relay, socat), if any: every proxy pinned alike. */
  agentCpus?: string;
  /** Node options for the agent (e.g. --cpu-prof to profile it). */
  agentNodeArgs?: string[];
  /** Another build's dist/edge/cli.js, run as a second agent for the before-* paths. */
  beforeCli?: string;
  /** Calls started per second on each path, all clients together (a camera's frame rate); default: back to back. */
  rate?: number;
  /** The agent's baseline (default samples/demo/coffee-cam.dwb); its recorded decode scale is the one the agent measures at. */
  baseline?: string;
  /** Node options for the second agent (default: agentNodeArgs); with it alone, the before-* paths run this build with other options. */
  beforeNodeArgs?: string[];
  /** The second agent's baseline (default: baseline): with it alone, the before-* paths run this build with another baseline. */
  beforeBaseline?: string;
}

export interface LatencyRow {
  frame: string;
  bytes: number;
  clients: number;
  direct: number[];
  /** Through the minimal node:http proxy (the floor). */
  minimal: number[];
  /** Through the agent's relay code alone in a plain process (relay-code-proxy.ts). */
  relayCode: number[];
  /** Through the bare Node byte relay and through socat (floors that parse nothing). */
  relay: number[];
  socat: number[];
  untapped: number[];
  proxy: number[];
  /** Through the other build's agent (beforeCli), untapped and tapped. */
  beforeUntapped: number[];
  beforeTapped: number[];
  processed: number;
  refused: number;
  rejected: number;
  /** Means over the frames measured in this row: the pipeline's time per frame (decode included) and per drift check. */
  frameMs: number;
  checkMs: number;
}

const ANSWER = JSON.stringify({ label: 'cup', score: 0.91, boxes: [{ label: 'cup', score: 0.91, box: [120, 80, 260, 240] }] });

export function percentile(sorted: readonly number[], p: number): number {
  // Nearest rank: the smallest sample with at least p% of the samples at or below it.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function slowModel(delayMs: number): Server {
  return createServer((req, res) => {
    req.resume();
    req.on('end', () => setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(ANSWER) }).end(ANSWER);
    }, delayMs));
  });
}

export function timedPost(agent: HttpAgent, port: number, path: string, body: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const call = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'image/jpeg', 'content-length': body.byteLength } }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`POST ${path} on port ${port} answered ${response.statusCode}`));
      response.resume();
      response.on('end', () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
    });
    call.on('error', reject);
    call.end(body);
  });
}

async function burst(agent: HttpAgent, port: number, path: string, body: Uint8Array, requests: number, clients: number, into: number[], rate?: number): Promise<void> {
  let left = requests;
  // Paced: call k starts no earlier than k / rate seconds after the first (a camera's frame rate), else back to back.
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (left > 0) {
      left -= 1;
      if (rate !== undefined) {
        const wait = started + (1000 * next++) / rate - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      into.push(await timedPost(agent, port, path, body));
    }
  }));
}

/** Starts bench/minimal-proxy.js (or relay-proxy.js) in front of the model; resolves with the process and its port. */
export async function minimalProxy(modelPort: number, script = 'minimal-proxy.js', cpus?: string): Promise<{ child: ChildProcess; port: number }> {
  const path = new URL(`./${script}`, import.meta.url).pathname;
  const command = pinned(cpus, [process.execPath, path, String(modelPort)]);
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, port: (JSON.parse(line.toString()) as { port: number }).port };
}

/** socat relaying a free loopback port to the model (one child process per client connection, Nagle off both ways). */
/** The command, run by `taskset -c cpus` when cpus are given. */
function pinned(cpus: string | undefined, command: string[]): string[] {
  return cpus === undefined ? command : ['taskset', '-c', cpus, ...command];
}

export async function socatRelay(modelPort: number, cpus?: string): Promise<{ child: ChildProcess; port: number }> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const command = pinned(cpus, [SOCAT, `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork,nodelay`, `TCP:127.0.0.1:${modelPort},nodelay`]);
  const child = spawn(command[0], command.slice(1), { stdio: 'ignore' });
  // socat prints nothing when ready: wait until the port takes connections.
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connectTcp(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return { child, port };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill('SIGTERM');
  throw new Error(`socat did not listen on 127.0.0.1:${port}`);
}

export async function frameJpeg(width: number, height: number): Promise<Uint8Array> {
  return sharp(join(REPO_ROOT, 'samples/coffee.png')).resize(width, height).jpeg({ quality: 90 }).toBuffer();
}

export async function runProxyLatency(options: LatencyOptions, log: (line: string) => void): Promise<LatencyRow[]> {
  const model = slowModel(options.upstreamMs);
  await new Promise<void>((resolve) => model.listen(0, '127.0.0.1', resolve));
  const modelPort = (model.address() as AddressInfo).port;
  const floor = options.paths.includes('minimal') ? await minimalProxy(modelPort, 'minimal-proxy.js', options.agentCpus) : undefined;
  const relayFloor = options.paths.includes('relay') ? await minimalProxy(modelPort, 'relay-proxy.js', options.agentCpus) : undefined;
  const relayCodeFloor = options.paths.includes('relay-code') ? await minimalProxy(modelPort, 'relay-code-proxy.js', options.agentCpus) : undefined;
  const haveSocat = existsSync(SOCAT);
  if (options.paths.includes('socat') && !haveSocat) log(`  ${SOCAT} not found: the socat path is skipped`);
  const socatFloor = options.paths.includes('socat') && haveSocat ? await socatRelay(modelPort, options.agentCpus) : undefined;
  const rows: LatencyRow[] = [];
  const baseline = options.baseline ?? join(REPO_ROOT, 'samples/demo/coffee-cam.dwb');
  const state = await mkdtemp(join(tmpdir(), 'driftwatch-proxy-latency-'));
  try {
    for (const [width, height] of options.sizes) {
      const jpeg = await frameJpeg(width, height);
      // One agent per frame size: a camera's frames keep one size.
      const agent = new AgentChild([
        '--device', 'bench', '--camera', 'coffee-cam', '--source', `proxy:http://127.0.0.1:${modelPort}/predict`,
        '--baseline', baseline, '--state-dir', join(state, `${width}x${height}`),
        '--listen', '127.0.0.1:0', '--log-level', 'info', '--no-stdout',
      ], { cpus: options.agentCpus, nodeArgs: options.agentNodeArgs });
      const wantBefore = (options.beforeCli !== undefined || options.beforeBaseline !== undefined || options.beforeNodeArgs !== undefined) && options.paths.some((p) => p.startsWith('before-'));
      const before = wantBefore ? new AgentChild([
        '--device', 'bench', '--camera', 'coffee-cam', '--source', `proxy:http://127.0.0.1:${modelPort}/predict`,
        '--baseline', options.beforeBaseline ?? baseline, '--state-dir', join(state, `before-${width}x${height}`),
        '--listen', '127.0.0.1:0', '--log-level', 'info', '--no-stdout',
      ], { cpus: options.agentCpus, nodeArgs: options.beforeNodeArgs ?? options.agentNodeArgs, cli: options.beforeCli }) : undefined;
      try {
        const proxyPort = await agent.listening;
        const beforePort = before ? await before.listening : 0;
        for (const clients of options.clients) {
          const http = new HttpAgent({ keepAlive: true, maxSockets: clients });
          const startMetrics = await agent.metrics();
          const beforeUntapped: number[] = [];
          const beforeTapped: number[] = [];
          const direct: number[] = [];
          const minimal: number[] = [];
          const relay: number[] = [];
          const relayCode: number[] = [];
          const socat: number[] = [];
          const untapped: number[] = [];
          const proxy: number[] = [];
          const arms = [
            { name: 'direct', port: modelPort, path: '/predict', samples: direct },
            { name: 'minimal', port: floor?.port ?? 0, path: '/predict', samples: minimal },
            { name: 'relay', port: relayFloor?.port ?? 0, path: '/predict', samples: relay },
            { name: 'relay-code', port: relayCodeFloor?.port ?? 0, path: '/predict', samples: relayCode },
            ...(socatFloor ? [{ name: 'socat', port: socatFloor.port, path: '/predict', samples: socat }] : []),
            { name: 'untapped', port: proxyPort, path: '/other', samples: untapped },
            { name: 'tapped', port: proxyPort, path: '/predict', samples: proxy },
            ...(before ? [
              { name: 'before-untapped', port: beforePort, path: '/other', samples: beforeUntapped },
              { name: 'before-tapped', port: beforePort, path: '/predict', samples: beforeTapped },
            ] : []),
          ].filter((arm) => (options.paths as string[]).includes(arm.name));
          for (let round = -1; round < options.rounds; round++) {
            // Round -1 warms up every path (connections, JIT) and is not kept.
            for (let i = 0; i < arms.length; i++) {
              const arm = arms[(i + Math.max(round, 0)) % arms.length];
              await burst(http, arm.port, arm.path, jpeg, options.perRound, clients, round < 0 ? [] : arm.samples, options.rate);
            }
          }
          http.destroy();
          // Let the agent finish the frames it queued before counting them.
          await new Promise((resolve) => setTimeout(resolve, 1500));
          const after = await agent.metrics();
          const delta = (name: string, labels: Record<string, string> = {}) => metricSum(after, name, labels) - metricSum(startMetrics, name, labels);
          const row: LatencyRow = {
            frame: `${width}×${height}`, bytes: jpeg.byteLength, clients, direct, minimal, relay, relayCode, socat, untapped, proxy, beforeUntapped, beforeTapped,
            processed: delta('driftwatch_frames_processed_total'),
            refused: delta('driftwatch_frames_rejected_total', { reason: 'queue_full' }),
            rejected: delta('driftwatch_frames_rejected_total') - delta('driftwatch_frames_rejected_total', { reason: 'queue_full' }),
            frameMs: (1000 * delta('driftwatch_frame_processing_seconds_sum')) / delta('driftwatch_frame_processing_seconds_count'),
            checkMs: (1000 * delta('driftwatch_check_duration_seconds_sum')) / delta('driftwatch_check_duration_seconds_count'),
          };
          rows.push(row);
          log(`  ${row.frame}, ${clients} client(s): p99 direct ${summary(direct).p99.toFixed(2)} ms, minimal proxy ${summary(minimal).p99.toFixed(2)} ms, relay ${summary(relay).p99.toFixed(2)} ms, relay code ${summary(relayCode).p99.toFixed(2)} ms, socat ${summary(socat).p99.toFixed(2)} ms, untapped ${summary(untapped).p99.toFixed(2)} ms, tapped ${summary(proxy).p99.toFixed(2)} ms; agent measured ${row.processed}, queue full ${row.refused}, rejected ${row.rejected}; ${row.frameMs.toFixed(2)} ms per frame, ${row.checkMs.toFixed(2)} ms per check`);
        }
      } finally {
        const code = await agent.stop();
        if (code !== 0) log(`the agent exited with ${code}:\n${agent.stderr}`);
        if (before && (await before.stop()) !== 0) log(`the other build's agent failed:\n${before.stderr}`);
      }
    }
  } finally {
    floor?.child.kill('SIGTERM');
    relayFloor?.child.kill('SIGTERM');
    relayCodeFloor?.child.kill('SIGTERM');
    socatFloor?.child.kill('SIGTERM');
    model.closeAllConnections();
    await new Promise((resolve) => model.close(resolve));
    await rm(state, { recursive: true, force: true });
  }
  return rows;
}

export function summary(samples: readonly number[]): { p50: number; p95: number; p99: number; n: number } {
  if (samples.length === 0) return { p50: NaN, p95: NaN, p99: NaN, n: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), n: sorted.length };
}

/**
 * A 95% interval for p99(path) - p99(direct) by the bootstrap: both samples
 * resampled with replacement (seeded, so a table is reproducible from its
 * samples). It says how far the p99 difference of one run can be trusted on
 * a noisy machine.
 */
export function p99AddedInterval(path: readonly number[], direct: readonly number[], resamples = 400): [number, number] {
  let state = 0x2026;
  const uniform = (): number => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 4294967296;
  };
  const p99Of = (sample: readonly number[], scratch: Float64Array): number => {
    for (let i = 0; i < scratch.length; i++) scratch[i] = sample[Math.floor(uniform() * sample.length)];
    scratch.sort();
    return percentile(scratch as unknown as number[], 99);
  };
  const a = new Float64Array(path.length);
  const b = new Float64Array(direct.length);
  const differences = Float64Array.from({ length: resamples }, () => p99Of(path, a) - p99Of(direct, b)).sort();
  return [percentile(differences as unknown as number[], 2.5), percentile(differences as unknown as number[], 97.5)];
}

export function latencyTable(rows: readonly LatencyRow[], options: LatencyOptions): BenchTable {
  return {
    title: `proxy: latency per inference call, upstream answering in ${options.upstreamMs} ms (ms, p50 / p95 / p99; target: p99 tapped − p99 direct ≤ 1 ms)`,
    rows: rows.map((row) => {
      const d = summary(row.direct);
      const m = summary(row.minimal);
      const b = summary(row.relay);
      const rc = summary(row.relayCode);
      const c = summary(row.socat);
      const u = summary(row.untapped);
      const p = summary(row.proxy);
      const bu = summary(row.beforeUntapped);
      const bt = summary(row.beforeTapped);
      const three = (s: ReturnType<typeof summary>) => (s.n === 0 ? '–' : `${s.p50.toFixed(2)} / ${s.p95.toFixed(2)} / ${s.p99.toFixed(2)}`);
      const added = (s: ReturnType<typeof summary>) => (s.n === 0 ? '–' : (s.p99 - d.p99).toFixed(2));
      const addedWithInterval = (s: ReturnType<typeof summary>, sample: readonly number[]) => {
        if (s.n === 0) return '–';
        const [low, high] = p99AddedInterval(sample, row.direct);
        return `${(s.p99 - d.p99).toFixed(2)} [${low.toFixed(2)}, ${high.toFixed(2)}]`;
      };
      return {
        frame: `${row.frame} JPEG (${(row.bytes / 1024).toFixed(0)} KiB)`,
        clients: row.clients,
        'calls per path': d.n,
        direct: three(d),
        'minimal node:http proxy': three(m),
        'Node byte relay': three(b),
        ...(rc.n > 0 ? { "the agent's relay code alone": three(rc) } : {}),
        socat: three(c),
        'proxy, untapped path': three(u),
        'proxy, tapped path': three(p),
        ...(bu.n + bt.n > 0 ? { 'other build, untapped': three(bu), 'other build, tapped': three(bt) } : {}),
        'p99 added, minimal proxy': added(m),
        'p99 added, Node relay [95% interval]': addedWithInterval(b, row.relay),
        ...(rc.n > 0 ? { "p99 added, the agent's relay code alone [95% interval]": addedWithInterval(rc, row.relayCode) } : {}),
        'p99 added, socat': added(c),
        'p99 added, untapped [95% interval]': addedWithInterval(u, row.untapped),
        'p99 added, tapped [95% interval]': addedWithInterval(p, row.proxy),
        ...(bu.n + bt.n > 0 ? { 'p99 added, other build untapped / tapped': `${added(bu)} / ${added(bt)}` } : {}),
        'frames measured / queue full / rejected': `${row.processed} / ${row.refused} / ${row.rejected}`,
        'agent ms per frame / per check': `${Number.isFinite(row.frameMs) ? row.frameMs.toFixed(2) : '–'} / ${Number.isFinite(row.checkMs) ? row.checkMs.toFixed(2) : '–'}`,
      };
    }),
  };
}
