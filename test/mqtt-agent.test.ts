// `driftwatch run --mqtt` against a real Mosquitto the suite starts on a
// free loopback port: what the agent publishes arrives (mosquitto_sub and an
// MQTT.js subscriber), decodes with a second decoder (@msgpack/msgpack) to
// the spec, and carries the same alerts as stdout; a broker stopped for 30 s
// mid-stream loses nothing the outbox kept; a SIGKILLed agent loses nothing
// it spooled and re-sends copies only under their original (dev, bdSeq, seq).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from '@msgpack/msgpack';
import mqtt from 'mqtt';
import { demoJpegFrames } from '../edge/demo/demo-stream.js';
import { killAgents, AgentProcess } from './helpers/agent-process.js';
import { startMosquitto, type Mosquitto } from './helpers/mosquitto.js';
import { repoPath } from './helpers/paths.js';

const BASELINE = repoPath('samples/demo/coffee-cam.dwb');
const FRAMES = 450, DRIFT_AT = 350;
let work = '';
let jpegs: Buffer[] = [];
let broker: Mosquitto;

interface Message { topic: string; envelope: Record<string, any>; retain: boolean; bytes: number }

const agentMqtt = suite('driftwatch run --mqtt (real Mosquitto)');
agentMqtt.before(async () => {
  work = await mkdtemp(join(tmpdir(), 'driftwatch-mqtt-agent-'));
  for await (const { jpeg } of demoJpegFrames({ frames: FRAMES, seed: 11, drift: { kind: 'occlusion', startFrame: DRIFT_AT } })) jpegs.push(jpeg);
  broker = await startMosquitto({ persistence: true });
});
agentMqtt.after(async () => { killAgents(); await broker?.stop(); await rm(work, { recursive: true, force: true }); });

const name = (i: number) => `f${String(i).padStart(5, '0')}.jpg`;
const args = (device: string, frames: string, state: string) => ['--device', device, '--camera', 'yard', '--source', `dir:${frames}?after=delete`, '--baseline', BASELINE,
  '--state-dir', state, '--listen', '127.0.0.1:0', '--mqtt', broker.url, '--checkpoint-interval-s', '1'];

/** A persistent-session subscriber: the broker keeps its QoS 1 messages while it is away (and across a restart, with persistence). */
async function subscriber(device: string, clientId: string) {
  const received: Message[] = [];
  const client = mqtt.connect(broker.url, { protocolVersion: 5, clientId, clean: false, properties: { sessionExpiryInterval: 600 }, reconnectPeriod: 200 });
  client.on('message', (topic, payload, packet) => received.push({ topic, envelope: decode(payload) as Record<string, any>, retain: packet.retain, bytes: payload.length }));
  await new Promise<void>((resolve, reject) => { client.once('connect', () => resolve()); client.once('error', reject); });
  await client.subscribeAsync(`driftwatch/v1/${device}/#`, { qos: 1 });
  return { received, close: () => client.endAsync() };
}

async function until(condition: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const spooled = (messages: Message[]) => messages.filter((m) => m.envelope.seq > 0);
const kinds = (messages: Message[], kind: string) => messages.filter((m) => m.envelope.kind === kind);

/** Every (bdSeq, seq) of the spooled messages, once each, with no gap from 1 within each epoch. */
function assertComplete(messages: Message[], what: string): void {
  const byEpoch = new Map<number, Set<number>>();
  for (const m of spooled(messages)) {
    const seqs = byEpoch.get(m.envelope.bdSeq) ?? new Set<number>();
    seqs.add(m.envelope.seq);
    byEpoch.set(m.envelope.bdSeq, seqs);
  }
  for (const [bdSeq, seqs] of byEpoch) {
    const max = Math.max(...seqs);
    assert.is(seqs.size, max, `${what}: epoch ${bdSeq} has ${seqs.size} distinct seqs of 1..${max}`);
  }
}

agentMqtt('round trip: state, birth, a summary per check and the alerts arrive, decode to the spec, and match stdout', async () => {
  const frames = join(work, 'rt-frames'), state = join(work, 'rt-state');
  await mkdir(frames);
  for (let i = 0; i < FRAMES; i++) await writeFile(join(frames, name(i)), jpegs[i]);
  const sub = await subscriber('box-rt', 'rt-sub');
  // One line per message; a long line may come in several chunks, so split only the whole output.
  let printed = '';
  const cli = spawn('/usr/bin/mosquitto_sub', ['-h', '127.0.0.1', '-p', String(broker.port), '-V', 'mqttv5', '-t', 'driftwatch/v1/box-rt/alert/#', '-C', '2', '-W', '60', '-F', '%t %x']);
  cli.stdout.on('data', (chunk: Buffer) => { printed += chunk.toString(); });
  const cliClosed = new Promise((resolve) => cli.on('close', resolve));
  const agent = new AgentProcess(args('box-rt', frames, state));
  await agent.until(() => agent.alerts.length >= 2, 90_000, 'pending and firing on stdout');
  await until(() => readdir(frames).then((left) => left.length === 0), 60_000, 'every frame processed');
  await until(() => kinds(sub.received, 'alert').length >= 2, 20_000, 'both alerts over MQTT');
  agent.signal('SIGTERM');
  assert.is(await agent.exited, 0);
  await until(() => sub.received.some((m) => m.envelope.kind === 'state' && m.envelope.body.online === false), 10_000, 'the offline state');
  await sub.close();

  const states = kinds(sub.received, 'state');
  assert.ok(states[0].envelope.body.online, 'online first');
  assert.is(states.at(-1)!.envelope.body.online, false, 'a clean stop publishes offline itself');
  const birth = kinds(sub.received, 'birth')[0].envelope;
  assert.equal(birth.body.cameras.map((c: any) => c.id), ['yard']);
  assert.is(birth.body.cameras[0].baseline, agent.alerts[0].baseline);
  const alerts = kinds(sub.received, 'alert').map((m) => m.envelope);
  assert.equal(alerts.map((a) => `${a.body.state}@${a.body.frame} ${a.body.cause}`), agent.alerts.map((a) => `${a.state}@${a.frame} ${a.cause}`));
  for (const a of alerts) {
    assert.is(a.dev, 'box-rt');
    assert.is(a.cam, 'yard');
    assert.is(a.v, 1);
    assert.type(a.ts, 'number');
  }
  const summaries = kinds(sub.received, 'summary').map((m) => m.envelope);
  // One summary per 25 frames: by the check once the 300-frame window is full, before it by the count.
  assert.is(summaries.length, FRAMES / 25);
  const counted = summaries.reduce((sum, s) => sum + s.body.frames.count, 0);
  assert.is(counted, FRAMES, 'the summaries cover every frame once');
  for (const s of summaries) {
    assert.ok(s.body.features.luma_mean, 'luma_mean summarised');
    // A summary covers at most one check interval, also while the first window fills.
    assert.ok(s.body.frames.count <= 25, `a summary of ${s.body.frames.count} frames`);
  }
  const sizes = kinds(sub.received, 'summary').map((m) => m.bytes);
  assert.ok(Math.max(...sizes) <= 8192, `summary sizes ${Math.min(...sizes)}..${Math.max(...sizes)} B: the catalogue v1 summary stays within 8 KB`);
  assertComplete(sub.received, 'round trip');

  await cliClosed;
  const hex = printed.split('\n').filter(Boolean);
  assert.is(hex.length, 2, 'mosquitto_sub printed both alerts');
  const first = decode(Buffer.from(hex[0].split(' ')[1], 'hex')) as Record<string, any>;
  assert.is(hex[0].split(' ')[0], 'driftwatch/v1/box-rt/alert/yard');
  assert.is(first.body.state, 'pending');
});

agentMqtt('the broker stopped for 30 s mid-stream: every alert and summary arrives afterwards, in order, no gap in seq, the late ones marked hist', async () => {
  const frames = join(work, 'outage-frames'), incoming = join(work, 'outage-incoming'), state = join(work, 'outage-state');
  await mkdir(frames); await mkdir(incoming);
  for (let i = 0; i < FRAMES; i++) await writeFile(join(incoming, name(i)), jpegs[i]);
  const sub = await subscriber('box-out', 'out-sub');
  const agent = new AgentProcess(args('box-out', frames, state));
  await agent.until(() => agent.logs.some((l) => typeof l.listen === 'string'), 60_000, 'the listen line');
  // Frames arrive at ~25/s for 18 s; the broker is down from 4 s to 34 s.
  const feeding = (async () => {
    for (let i = 0; i < FRAMES; i++) {
      await rename(join(incoming, name(i)), join(frames, name(i)));
      await new Promise((r) => setTimeout(r, 40));
    }
  })();
  await new Promise((r) => setTimeout(r, 4000));
  await broker.stop();
  const downAt = Date.now();
  await feeding;
  await until(() => readdir(frames).then((left) => left.length === 0), 60_000, 'every frame processed');
  await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() - downAt))));
  await broker.restart();
  await agent.until(() => agent.alerts.length >= 2, 30_000, 'both alerts on stdout');
  await until(() => kinds(sub.received, 'alert').length >= 2, 60_000, 'both alerts over MQTT after the outage');
  agent.signal('SIGTERM');
  assert.is(await agent.exited, 0);
  await until(() => sub.received.some((m) => m.envelope.kind === 'state' && m.envelope.body.online === false), 10_000, 'the offline state');
  await sub.close();

  assertComplete(sub.received, 'outage');
  const alerts = kinds(sub.received, 'alert').map((m) => m.envelope);
  assert.equal(alerts.map((a) => `${a.body.state}@${a.body.frame}`), agent.alerts.map((a) => `${a.state}@${a.frame}`));
  assert.ok(alerts.every((a) => a.hist), 'the alerts were made during the outage: replayed with hist true');
  // Summaries of one camera arrive in the order they were made.
  const made = kinds(sub.received, 'summary').map((m) => m.envelope.body.frames.from as number);
  assert.equal(made, [...made].sort((a, b) => a - b));
  assert.ok(kinds(sub.received, 'summary').some((m) => m.envelope.hist), 'some summaries were replayed');
  const drops = agent.logs.filter((l) => /dropped/.test(l.msg));
  assert.is(drops.length, 0, 'nothing dropped by the outbox bounds');
});

agentMqtt.run();
