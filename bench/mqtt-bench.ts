// The MQTT upstream (issue: MQTT): summary and alert envelope sizes from a
// real agent run, publish throughput through the outbox against plain
// MQTT.js QoS 1, and alert latency to the broker against plain MQTT.js, all
// against one real Mosquitto on a free loopback port started for the run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import pino from 'pino';
import { unpackWire as unpack } from '../src/envelope/wire.js';
import { demoJpegFrames } from '../edge/demo/demo-stream.js';
import { loadAgentConfig } from '../edge/config/index.js';
import { MqttLink } from '../edge/mqtt/mqtt-link.js';
import { OutboxPublisher } from '../edge/mqtt/outbox-publisher.js';
import { AgentMetrics } from '../edge/observability/metrics.js';
import { FileOutbox } from '../edge/outbox/file-outbox.js';
import { MemoryOutbox } from '../edge/outbox/memory-outbox.js';
import type { Outbox } from '../edge/outbox/outbox.js';
import { BdSeqStore } from '../edge/upstream/bdseq-store.js';
import { Upstream } from '../edge/upstream/upstream.js';
import { decodeBaseline } from '../src/baseline/baseline-codec.js';
import type { AlertEvent } from '../src/policy/alert-types.js';
import { AgentProcess, killAgents } from '../test/helpers/agent-process.js';
import { startMosquitto, disposeMosquitto, type Mosquitto } from '../test/helpers/mosquitto.js';
import { repoPath } from '../test/helpers/paths.js';
import { median, type BenchTable } from './timing.js';
import { readFile } from 'node:fs/promises';

type Log = (line: string) => void;
const BASELINE = repoPath('samples/demo/coffee-cam.dwb');
const FRAMES = 450, DRIFT_AT = 350, FRAME_GAP_MS = 40;
const IN_FLIGHT = 16;
const SUMMARY_BOUND = 8192, LATENCY_BOUND_MS = 50;
const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

interface Arrival { topic: string; bytes: Uint8Array; at: number }

async function subscribe(broker: Mosquitto, filter: string, onMessage: (m: Arrival) => void) {
  const client = mqtt.connect(broker.url, { protocolVersion: 5, clientId: `bench-sub-${Math.random().toString(36).slice(2)}`, clean: true });
  client.on('message', (topic, payload) => onMessage({ topic, bytes: new Uint8Array(payload), at: performance.now() }));
  await new Promise<void>((resolve, reject) => { client.once('connect', () => resolve()); client.once('error', reject); });
  await client.subscribeAsync(filter, { qos: 1 });
  return client;
}

// --- 1 and 3 (end to end): the real agent, frames POSTed over http: -------------------------

export interface AgentRun {
  summaries: Uint8Array[];
  alerts: Uint8Array[];
  /** Alert transitions: frame named, latency ms from that frame's POST to the alert's arrival. */
  transitions: Array<{ state: string; frame: number; latencyMs: number; stdoutMs: number | null; agentMs: { frameMs: number; checkMs: number; journalMs: number } | null }>;
  /** Each summary: the frames it covers and its encoded size. */
  summaryDetail: Array<{ from: number; to: number; count: number; bytes: number }>;
  refused: number;
}

export async function agentRun(broker: Mosquitto, log: Log): Promise<AgentRun> {
  const work = await mkdtemp(join(tmpdir(), 'driftwatch-mqtt-bench-'));
  const jpegs: Buffer[] = [];
  for await (const { jpeg } of demoJpegFrames({ frames: FRAMES, seed: 11, drift: { kind: 'occlusion', startFrame: DRIFT_AT } })) jpegs.push(jpeg);
  const device = 'bench-agent';
  const arrivals: Arrival[] = [];
  const sub = await subscribe(broker, `driftwatch/v1/${device}/#`, (m) => arrivals.push(m));
  const agent = new AgentProcess(['--device', device, '--camera', 'yard', '--source', 'http:', '--baseline', BASELINE,
    '--state-dir', join(work, 'state'), '--listen', '127.0.0.1:0', '--mqtt', broker.url]);
  // When each alert line reached the bench on the agent's stdout (the same transition's other sink).
  const stdoutAt: number[] = [];
  const push = agent.alerts.push.bind(agent.alerts);
  agent.alerts.push = (...items) => { for (const _ of items) stdoutAt.push(performance.now()); return push(...items); };
  try {
    await agent.until(() => agent.logs.some((l) => typeof l.listen === 'string'), 60_000, 'the listen line');
    await agent.until(() => arrivals.some((a) => a.topic.endsWith('/birth')), 30_000, 'birth');
    const sentAt: number[] = [];
    let refused = 0;
    const url = `http://127.0.0.1:${agent.port}/frames/yard`;
    const start = performance.now();
    for (let i = 0; i < FRAMES; i++) {
      // Paced at 25 frames/s; the frame's send time is just before its POST.
      const due = start + i * FRAME_GAP_MS;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      sentAt.push(performance.now());
      const response = await fetch(url, { method: 'POST', body: new Uint8Array(jpegs[i]), headers: { 'content-type': 'image/jpeg' } });
      await response.arrayBuffer();
      if (response.status !== 202) refused++;
    }
    const alertsOf = () => arrivals.filter((a) => a.topic.includes('/alert/'));
    await agent.until(() => agent.alerts.length >= 2, 60_000, 'two alerts on stdout');
    const end = Date.now() + 20_000;
    while (alertsOf().length < agent.alerts.length && Date.now() < end) await sleep(50);
    agent.signal('SIGTERM');
    await agent.exited;
    const transitions = alertsOf().map((a) => {
      const body = (unpack(a.bytes) as { body: { state: string; frame: number } }).body;
      const line = agent.alerts.findIndex((x) => x.frame === body.frame && x.state === body.state);
      // The agent's own account of the transition (its log line): frame (decode, measure, check) and the journal record written before sending.
      const logged = agent.logs.find((l) => l.msg === 'alert transition' && l.frame === body.frame && l.state === body.state) as { frameMs?: number; checkMs?: number; journalMs?: number } | undefined;
      const agentMs = logged && typeof logged.frameMs === 'number' ? { frameMs: logged.frameMs, checkMs: logged.checkMs ?? 0, journalMs: logged.journalMs ?? 0 } : null;
      return { state: body.state, frame: body.frame, latencyMs: a.at - sentAt[body.frame], stdoutMs: line >= 0 ? stdoutAt[line] - sentAt[body.frame] : null, agentMs };
    });
    const summaries = arrivals.filter((a) => a.topic.includes('/summary/'));
    const summaryDetail = summaries.map((a) => {
      const frames = (unpack(a.bytes) as { body: { frames: { from: number; to: number; count: number } } }).body.frames;
      return { from: frames.from, to: frames.to, count: frames.count, bytes: a.bytes.byteLength };
    });
    log(`summaries: ${summaryDetail.map((d) => `${d.from}-${d.to} (${d.count}): ${d.bytes} B`).join(', ')}`);
    log(`agent run: ${transitions.map((t) => `${t.state}@${t.frame} ${t.latencyMs.toFixed(1)} ms`).join(', ')}; ${refused} frames refused`);
    return {
      summaries: summaries.map((a) => a.bytes), summaryDetail,
      alerts: alertsOf().map((a) => a.bytes), transitions, refused,
    };
  } finally {
    killAgents();
    await sub.endAsync();
    await rm(work, { recursive: true, force: true });
  }
}

// --- 2: publish throughput ---------------------------------------------------------------

function link(broker: Mosquitto, device: string): MqttLink {
  let bdSeq = 0;
  const empty = new Uint8Array([0x80]);
  return new MqttLink({
    url: broker.url, device, log: silent, nextBdSeq: async () => ++bdSeq, onCommand: () => undefined,
    willPayload: () => empty, onlinePayload: () => empty, birthPayload: () => empty,
  });
}

async function connected(l: MqttLink): Promise<void> {
  if (l.connected) return;
  await new Promise<void>((resolve) => l.once('connected', () => resolve()));
}

/** Messages/s from appends into `outbox` until the subscriber has them all and the outbox is drained. */
async function outboxThroughput(broker: Mosquitto, outbox: Outbox, payload: Uint8Array, count: number, tag: string): Promise<number> {
  const device = `bench-tp-${tag}`;
  const topic = `driftwatch/v1/${device}/summary/cam`;
  let received = 0;
  const sub = await subscribe(broker, topic, () => { received++; });
  const l = link(broker, device);
  const publisher = new OutboxPublisher({ outbox, link: l, log: silent, inFlight: IN_FLIGHT });
  publisher.start();
  l.start();
  await connected(l);
  const start = performance.now();
  let next = 0;
  // Appends as the agent makes them, a few at once (each notifies the publisher).
  const appender = async () => {
    while (next < count) {
      next++;
      await outbox.append({ topic, payload, lane: 'bulk' });
      publisher.notify();
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, appender));
  await publisher.drained(60_000);
  while (received < count) await sleep(1);
  const rate = count / ((performance.now() - start) / 1000);
  publisher.stop();
  await l.stop();
  await outbox.close();
  await sub.endAsync();
  return rate;
}

/** The peer: one MQTT.js client, QoS 1, IN_FLIGHT publishes awaiting PUBACK at a time; until the subscriber has them all. */
async function plainThroughput(broker: Mosquitto, payload: Uint8Array, count: number): Promise<number> {
  const topic = 'bench/plain/tp';
  let received = 0;
  const sub = await subscribe(broker, topic, () => { received++; });
  const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: `bench-plain-${Math.random().toString(36).slice(2)}` });
  const buffer = Buffer.from(payload);
  const start = performance.now();
  let next = 0;
  const worker = async () => { while (next < count) { next++; await client.publishAsync(topic, buffer, { qos: 1 }); } };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  while (received < count) await sleep(1);
  const rate = count / ((performance.now() - start) / 1000);
  await client.endAsync();
  await sub.endAsync();
  return rate;
}

export async function throughput(broker: Mosquitto, payloads: { name: string; bytes: Uint8Array; count: number }[], log: Log): Promise<BenchTable> {
  const rows: BenchTable['rows'] = [];
  for (const { name, bytes, count } of payloads) {
    // Interleaved rounds, the median of each.
    const plain: number[] = [], file: number[] = [], memory: number[] = [];
    for (let round = 0; round < 3; round++) {
      plain.push(await plainThroughput(broker, bytes, count));
      const dir = await mkdtemp(join(tmpdir(), 'driftwatch-mqtt-bench-outbox-'));
      file.push(await outboxThroughput(broker, await FileOutbox.open(dir), bytes, count, `f${round}`));
      await rm(dir, { recursive: true, force: true });
      memory.push(await outboxThroughput(broker, new MemoryOutbox(), bytes, count, `m${round}`));
      log(`throughput ${name} round ${round}: plain ${plain.at(-1)!.toFixed(0)}, file ${file.at(-1)!.toFixed(0)}, memory ${memory.at(-1)!.toFixed(0)} msg/s`);
    }
    const p = median(plain);
    for (const [pipeline, values] of [['plain MQTT.js QoS 1 (peer)', plain], ['FileOutbox (fdatasync) → OutboxPublisher → MqttLink', file], ['MemoryOutbox → OutboxPublisher → MqttLink', memory]] as const) {
      const m = median(values);
      rows.push({ payload: `${name} (${bytes.byteLength} B)`, pipeline, messages: count, 'msg/s (median of 3)': m.toFixed(0), 'range': `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`, 'vs plain': (m / p).toFixed(2) });
    }
  }
  return { title: `MQTT publish throughput, in flight ${IN_FLIGHT}, loopback Mosquitto → subscriber`, rows };
}

// --- 3 (in process): Upstream.alert → outbox (fsync) → publish → subscriber ----------------

interface AlertBodyIn { state: string; previousState: string; frame: number; timeMs: number; startFrame: number; startTimeMs: number; cause: string; causeRevised: boolean; baseline: string | null; model: string | null; camera: string; id: string; findings: Array<Record<string, unknown>> }

function eventFrom(body: AlertBodyIn, frame: number): AlertEvent {
  return {
    id: body.id, camera: body.camera, state: body.state as AlertEvent['state'], previousState: body.previousState as AlertEvent['previousState'],
    frame, timeMs: body.timeMs, startFrame: body.startFrame, startTimeMs: body.startTimeMs, cause: body.cause as AlertEvent['cause'], causeRevised: body.causeRevised,
    baselineDigest: body.baseline, modelVersion: body.model,
    findings: body.findings.map((f) => ({ feature: f.feature, statistic: f.statistic, pvalue: f.pvalue, effect: f.effect, shift: f.shift, relativeChange: f.relativeChange, direction: f.direction, unit: f.unit, implicated: f.implicated })) as AlertEvent['findings'],
  };
}

export interface LatencySamples { upstream: number[]; appendMs: number[]; plain: number[]; alertBytes: number }

export async function alertLatency(broker: Mosquitto, realAlerts: Uint8Array[], realSummaries: Uint8Array[], samples: number, log: Log): Promise<LatencySamples> {
  const work = await mkdtemp(join(tmpdir(), 'driftwatch-mqtt-bench-upstream-'));
  const device = 'bench-up';
  const config = loadAgentConfig({ argv: ['--device', device, '--camera', 'yard', '--source', 'http:', '--baseline', BASELINE, '--state-dir', work, '--mqtt', broker.url], env: {} });
  const baseline = await decodeBaseline(new Uint8Array(await readFile(BASELINE)));
  const outbox = await FileOutbox.open(join(work, 'outbox'));
  const upstream = new Upstream({
    config, baselines: new Map([['yard', baseline]]), features: new Map([['yard', []]]), outbox, bdSeq: new BdSeqStore(work), log: silent,
    metrics: new AgentMetrics({ cameras: ['yard'], defaultMetrics: false }), agentVersion: 'bench', configHash: 'bench', onCommand: () => undefined,
  });
  const bodies = realAlerts.map((a) => (unpack(a) as { body: AlertBodyIn }).body);
  const arrivedAt = new Map<number, number>();
  const sub = await subscribe(broker, `driftwatch/v1/${device}/alert/#`, (m) => { arrivedAt.set((unpack(m.bytes) as { body: { frame: number } }).body.frame, m.at); });
  await upstream.start();
  await connected(upstream.link);
  const summaryTopic = `driftwatch/v1/${device}/summary/yard`;
  const publisherOf = (upstream as unknown as { publisher: OutboxPublisher }).publisher;

  // The peer: plain MQTT.js QoS 1, same alert-sized payloads, same interleaving with summary-sized ones.
  const plainClient = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: 'bench-plain-latency' });
  const plainArrived = new Map<number, number>();
  const plainSub = await subscribe(broker, 'bench/plain/alert', (m) => { plainArrived.set(new DataView(m.bytes.buffer, m.bytes.byteOffset).getUint32(0), m.at); });
  const alertBytes = realAlerts[0].byteLength;

  const upstreamSent = new Map<number, number>(), appendMs: number[] = [], plainSent = new Map<number, number>();
  const FIRST = 1_000_000; // frame numbers no real alert names
  for (let i = 0; i < samples; i++) {
    // A summary every 4th alert: real summary envelopes in the bulk lane, as checks make them.
    if (i % 4 === 0) {
      const s = realSummaries[i % realSummaries.length];
      void outbox.append({ topic: summaryTopic, payload: s, lane: 'bulk' }).then(() => publisherOf.notify());
      void plainClient.publishAsync('bench/plain/summary', Buffer.from(s), { qos: 1 });
    }
    const frame = FIRST + i;
    const t0 = performance.now();
    upstreamSent.set(frame, t0);
    await upstream.alert(eventFrom(bodies[i % bodies.length], frame));
    appendMs.push(performance.now() - t0);
    const payload = Buffer.alloc(alertBytes, 7);
    payload.writeUInt32BE(i, 0);
    plainSent.set(i, performance.now());
    void plainClient.publishAsync('bench/plain/alert', payload, { qos: 1 });
    await sleep(10);
  }
  const end = Date.now() + 20_000;
  while ((arrivedAt.size < samples || plainArrived.size < samples) && Date.now() < end) await sleep(20);
  const upstreamLat = [...upstreamSent].filter(([f]) => arrivedAt.has(f)).map(([f, t]) => arrivedAt.get(f)! - t);
  const plainLat = [...plainSent].filter(([i]) => plainArrived.has(i)).map(([i, t]) => plainArrived.get(i)! - t);
  log(`latency: ${upstreamLat.length}/${samples} upstream alerts and ${plainLat.length}/${samples} plain arrived`);
  await upstream.stop();
  await plainClient.endAsync();
  await plainSub.endAsync();
  await sub.endAsync();
  await rm(work, { recursive: true, force: true });
  return { upstream: upstreamLat, appendMs, plain: plainLat, alertBytes };
}

export function latencyRows(l: LatencySamples): BenchTable['rows'] {
  const plainP99 = quantile(l.plain, 0.99);
  const row = (path: string, v: number[]) => ({
    path, samples: v.length, 'p50 ms': quantile(v, 0.5).toFixed(2), 'p95 ms': quantile(v, 0.95).toFixed(2), 'p99 ms': quantile(v, 0.99).toFixed(2),
    'max ms': Math.max(...v).toFixed(2), 'p99 / plain p99': (quantile(v, 0.99) / plainP99).toFixed(2), 'p99 / 50 ms bound': (quantile(v, 0.99) / LATENCY_BOUND_MS).toFixed(2),
  });
  return [
    row('Upstream.alert → FileOutbox append (fdatasync) → publish → subscriber', l.upstream),
    row('  of which Upstream.alert (stamp + append + fsync)', l.appendMs),
    row(`plain MQTT.js QoS 1 publish → subscriber (peer, ${l.alertBytes} B)`, l.plain),
  ];
}

export function sizeRows(run: AgentRun): BenchTable['rows'] {
  const sizes = run.summaries.map((s) => s.byteLength).sort((a, b) => a - b);
  const alerts = run.alerts.map((a) => a.byteLength).sort((a, b) => a - b);
  const row = (what: string, v: number[]) => ({ envelope: what, count: v.length, 'min B': v[0], 'median B': median(v), 'max B': v.at(-1)!, 'max / 8192 B bound': (v.at(-1)! / SUMMARY_BOUND).toFixed(3) });
  return [row('summary (check every 25 frames)', sizes), row('alert (pending, firing)', alerts)];
}

export async function runMqttBench(log: Log, options: { latencySamples?: number; agentRuns?: number } = {}): Promise<BenchTable[]> {
  const broker = await startMosquitto();
  try {
    const run = await agentRun(broker, log);
    // More real transitions: further runs of the same stream, each with a fresh state directory.
    for (let k = 1; k < (options.agentRuns ?? 3); k++) run.transitions.push(...(await agentRun(broker, log)).transitions);
    const tables: BenchTable[] = [{ title: 'MQTT envelope sizes from a real agent run (demo stream seed 11, occlusion at frame 350, 450 frames)', rows: sizeRows(run) }];
    tables.push({ title: 'MQTT summaries of that run, one by one', rows: run.summaryDetail.map((d) => ({ frames: `${d.from}–${d.to}`, count: d.count, bytes: d.bytes, 'vs 8192 B': (d.bytes / SUMMARY_BOUND).toFixed(3) })) });
    const summary = [...run.summaries].sort((a, b) => a.byteLength - b.byteLength)[run.summaries.length >> 1];
    tables.push(await throughput(broker, [{ name: 'summary', bytes: summary, count: 2000 }, { name: 'alert', bytes: run.alerts[0], count: 2000 }], log));
    const latency = await alertLatency(broker, run.alerts, run.summaries, options.latencySamples ?? 600, log);
    tables.push({ title: 'MQTT alert latency to the subscriber (in process; alerts every ~10 ms, a summary every 4th)', rows: latencyRows(latency) });
    tables.push({
      title: 'MQTT alert latency, real agent: frame POST → alert at the subscriber',
      rows: run.transitions.map((t) => ({
        transition: t.state, frame: t.frame,
        'in the agent: frame / check / journal ms': t.agentMs ? `${t.agentMs.frameMs} / ${t.agentMs.checkMs} / ${t.agentMs.journalMs}` : '',
        'POST → alert line on stdout ms': t.stdoutMs?.toFixed(1) ?? '', 'POST → alert at subscriber ms': t.latencyMs.toFixed(1), 'vs 50 ms bound': (t.latencyMs / LATENCY_BOUND_MS).toFixed(2),
      })),
    });
    return tables;
  } finally {
    await disposeMosquitto(broker);
  }
}
