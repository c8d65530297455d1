// `driftwatch run` itself against a broker set up as docs/mqtt.md recommends
// (password file, ACL, TLS listener): over mqtts with --mqtt-ca and the
// password from DRIFTWATCH_MQTT_PASSWORD or --mqtt-password-file, summaries
// arrive; a wrong password is refused, counted, logged and not retried in a
// tight loop, and the agent keeps running; a device id that is not its
// username has its publishes denied (135); the password never reaches the
// agent's output.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from '@msgpack/msgpack';
import mqtt, { type MqttClient } from 'mqtt';
import { demoJpegFrames } from '../edge/demo/demo-stream.js';
import { killAgents, metric, metricsText, AgentProcess } from './helpers/agent-process.js';
import { disposeMosquitto, startMosquitto, type Mosquitto } from './helpers/mosquitto.js';
import { repoPath } from './helpers/paths.js';

const BASELINE = repoPath('samples/demo/coffee-cam.dwb');
const PASSWORD = 'box1-Agent-s3cret-91';
const FRAMES = 360;
let work = '';
let jpegs: Buffer[] = [];
let broker: Mosquitto | undefined;
let ops: MqttClient;
const received: Array<{ topic: string; envelope: Record<string, any> }> = [];

const Security = suite('driftwatch run --mqtt against a secured broker');
Security.before(async () => {
  work = await mkdtemp(join(tmpdir(), 'driftwatch-mqtt-sec-'));
  for await (const { jpeg } of demoJpegFrames({ frames: FRAMES, seed: 5 })) jpegs.push(jpeg);
  broker = await startMosquitto({ users: { 'box-1': PASSWORD, ops: 'ops-pass' }, acl: true, tls: true, aclLines: ['user ops', 'topic readwrite driftwatch/#'] });
  ops = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0, username: 'ops', password: 'ops-pass' });
  ops.on('message', (topic, payload) => received.push({ topic, envelope: decode(payload) as Record<string, any> }));
  await ops.subscribeAsync('driftwatch/v1/#', { qos: 1 });
});
Security.after(async () => {
  killAgents();
  await ops?.endAsync(true);
  await disposeMosquitto(broker);
  await rm(work, { recursive: true, force: true });
});

async function until(condition: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let runs = 0;
/** An agent with its own frames folder (all frames written first) and state dir. */
async function agentRun(device: string, extra: string[], env: Record<string, string>): Promise<AgentProcess> {
  const n = runs++;
  const frames = join(work, `frames-${n}`), state = join(work, `state-${n}`);
  await mkdir(frames);
  for (let i = 0; i < FRAMES; i++) await writeFile(join(frames, `f${String(i).padStart(5, '0')}.jpg`), jpegs[i]);
  const agent = new AgentProcess(['--device', device, '--camera', 'yard', '--source', `dir:${frames}?after=delete`, '--baseline', BASELINE,
    '--state-dir', state, '--listen', '127.0.0.1:0', '--mqtt', `mqtts://127.0.0.1:${broker!.tlsPort}`, '--mqtt-ca', broker!.tls!.ca, '--mqtt-username', 'box-1', ...extra], { env });
  await agent.until(() => agent.logs.some((l) => typeof l.listen === 'string'), 30_000, 'the listen line');
  return agent;
}

async function stopClean(agent: AgentProcess): Promise<void> {
  agent.signal('SIGTERM');
  assert.is(await agent.exited, 0, 'stops cleanly');
  assert.not.ok(agent.stderrText.includes(PASSWORD), 'the password is not in stderr');
  assert.not.ok(JSON.stringify(agent.alerts).includes(PASSWORD), 'the password is not in stdout');
}

const summariesOf = (device: string) => received.filter((m) => m.topic.startsWith(`driftwatch/v1/${device}/summary/`));

Security('over mqtts with --mqtt-ca and DRIFTWATCH_MQTT_PASSWORD: connects, summaries arrive', async () => {
  const agent = await agentRun('box-1', [], { DRIFTWATCH_MQTT_PASSWORD: PASSWORD });
  await until(() => summariesOf('box-1').length >= 2, 30_000, 'summaries over mqtts');
  const text = await metricsText(agent.port);
  assert.is(metric(text, 'driftwatch_mqtt_connects_total', { result: 'ok' }), 1);
  assert.is(metric(text, 'driftwatch_mqtt_publishes_total', { result: 'denied' }), 0);
  assert.ok(received.some((m) => m.topic === 'driftwatch/v1/box-1/state' && m.envelope.body.online === true), 'online state');
  await stopClean(agent);
});

Security('the password from --mqtt-password-file works the same', async () => {
  const file = join(work, 'mqtt-password');
  await writeFile(file, `${PASSWORD}\n`, { mode: 0o600 });
  const before = summariesOf('box-1').length;
  const agent = await agentRun('box-1', ['--mqtt-password-file', file], {});
  await until(() => summariesOf('box-1').length >= before + 2, 30_000, 'summaries over mqtts');
  assert.is(metric(await metricsText(agent.port), 'driftwatch_mqtt_connects_total', { result: 'ok' }), 1);
  await stopClean(agent);
});

Security('a wrong password: refused, logged, counted, not retried in a tight loop; the agent keeps running', async () => {
  const wrong = 'not-the-Password-77';
  const agent = await agentRun('box-1', [], { DRIFTWATCH_MQTT_PASSWORD: wrong });
  await agent.until(() => agent.logs.some((l) => /refused the credentials/.test(l.msg)), 10_000, 'the refusal in the log');
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, 5000));
  const text = await metricsText(agent.port);
  const refused = metric(text, 'driftwatch_mqtt_connects_total', { result: 'refused' })!;
  assert.ok(refused >= 1 && refused <= 2, `${refused} refused attempts in ~${Math.round((Date.now() - t0) / 1000) + 1} s`);
  assert.is(metric(text, 'driftwatch_mqtt_connects_total', { result: 'ok' }), 0);
  assert.is(metric(text, 'driftwatch_mqtt_connected'), 0);
  const refusals = agent.logs.filter((l) => /refused the credentials/.test(l.msg));
  assert.ok(refusals.length <= 2, `${refusals.length} refusal log lines`);
  assert.ok(Number(metric(text, 'driftwatch_frames_processed_total', { camera: 'yard' })) > 0, 'frames are still processed');
  assert.not.ok(agent.stderrText.includes(wrong), 'the wrong password is not in stderr either');
  await stopClean(agent);
});

Security('a device id that is not its username: its publishes are denied (135), logged and counted', async () => {
  const agent = await agentRun('box-9', [], { DRIFTWATCH_MQTT_PASSWORD: PASSWORD });
  await agent.until(() => agent.logs.some((l) => l.reasonCode === 135), 30_000, 'a publish refused with 135 in the log');
  const text = await metricsText(agent.port);
  assert.ok(metric(text, 'driftwatch_mqtt_publishes_total', { result: 'denied' })! >= 1, 'denied publishes counted');
  assert.ok(agent.logs.some((l) => l.reasonCode === 135 && String(l.topic).startsWith('driftwatch/v1/box-9/')), 'the denied topic is logged');
  assert.is(summariesOf('box-9').length, 0, 'nothing of box-9 reached a subscriber');
  await stopClean(agent);
});

Security.run();
