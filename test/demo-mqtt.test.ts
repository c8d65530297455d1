// The demo's MQTT side: the embedded aedes broker (a free 127.0.0.1 port,
// MQTT 3.1.1, closed at the end), the in-process watcher printing [mqtt]
// lines for messages published to it, the arguments handed to the agent,
// and a configured broker (Mosquitto, MQTT 5) used instead when given.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect as tcpConnect } from 'node:net';
import mqtt from 'mqtt';
import type { CommandIO } from '../edge/command-io.js';
import { startEmbeddedBroker } from '../edge/demo/embedded-broker.js';
import { startDemoMqtt } from '../edge/demo/demo-mqtt.js';
import { CliProcess, killCliProcesses } from './helpers/cli-process.js';
import { alertEnvelope, stateEnvelope } from './helpers/envelopes.js';
import { disposeMosquitto, startMosquitto } from './helpers/mosquitto.js';
import { existsSync } from 'node:fs';
import { repoPath } from './helpers/paths.js';

// The agent publishes over MQTT once `driftwatch run` has its upstream
// (edge/upstream/upstream.ts, wired on main); before that, the end-to-end
// test of alerts arriving through the broker is skipped.
const agentPublishes = existsSync(repoPath('edge/upstream/upstream.ts'));

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port }, () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(true));
  });
}

function captureIO(): CommandIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [], errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), error: (l) => errors.push(l), progress: () => undefined, progressDone: () => undefined };
}

async function until(test: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const demo = suite('demo: MQTT');
demo.after(() => killCliProcesses());

demo('the embedded broker listens on a free loopback port, relays MQTT 3.1.1, and refuses connections once closed', async () => {
  const [one, two] = [await startEmbeddedBroker(), await startEmbeddedBroker()];
  assert.is.not(one.port, two.port);
  assert.is(one.url, `mqtt://127.0.0.1:${one.port}`);
  const client = await mqtt.connectAsync(one.url, { protocolVersion: 4, reconnectPeriod: 0 });
  await client.subscribeAsync('t/#', { qos: 1 });
  const got = new Promise<string>((resolve) => client.once('message', (topic, payload) => resolve(`${topic} ${payload}`)));
  await client.publishAsync('t/x', 'hello', { qos: 1 });
  assert.is(await got, 't/x hello');
  // A connected client does not keep it open.
  await one.close();
  await two.close();
  assert.ok(await refuses(one.port));
  await client.endAsync(true);
});

demo('without a broker URL: the watcher prints [mqtt] lines for the demo device’s messages on the embedded broker; the agent gets --mqtt-protocol 4', async () => {
  const io = captureIO();
  const printed: string[] = [];
  const side = await startDemoMqtt({ device: 'demo-box', env: {}, json: false, io, print: (l) => printed.push(l) });
  await side.subscribed;
  const port = side.embedded!.port;
  assert.equal(side.agentArgs, ['--mqtt', `mqtt://127.0.0.1:${port}`, '--mqtt-protocol', '4']);
  assert.match(side.broker, /embedded aedes broker, MQTT 3\.1\.1/);
  const agent = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4, reconnectPeriod: 0 });
  await agent.publishAsync('driftwatch/v1/demo-box/state', Buffer.from(stateEnvelope({ dev: 'demo-box', seq: 0, online: true })), { qos: 1 });
  await agent.publishAsync('driftwatch/v1/demo-box/alert/coffee-cam', Buffer.from('garbage'), { qos: 1 });
  // Another device on the same broker is not the demo's.
  await agent.publishAsync('driftwatch/v1/other-box/alert/gate', Buffer.from(alertEnvelope({ dev: 'other-box', seq: 1, camera: 'gate' })), { qos: 1 });
  await agent.publishAsync('driftwatch/v1/demo-box/alert/coffee-cam', Buffer.from(alertEnvelope({ dev: 'demo-box', seq: 1, camera: 'coffee-cam' })), { qos: 1 });
  await until(() => printed.length === 2, 'two [mqtt] lines');
  assert.equal(printed, [
    '[mqtt] 2026-12-01T17:10:28Z  demo-box online (bdSeq 3)',
    '[mqtt] 2026-12-01T17:10:28Z  demo-box/coffee-cam  FIRING  occlusion  luma_mean −38%, edge_density +12%  (alert coffee-cam:424)',
  ]);
  assert.is(io.errors.filter((l) => l.startsWith('[mqtt] undecodable message on driftwatch/v1/demo-box/alert/coffee-cam')).length, 1, io.errors.join('\n'));
  await agent.endAsync(true);
  await side.stop();
  assert.ok(await refuses(port), 'the embedded broker is closed');
});

demo('drained: returns at once before the agent was seen online; afterwards waits for its offline state (not an earlier one), which comes after its alerts', async () => {
  const printed: string[] = [];
  const side = await startDemoMqtt({ device: 'demo-box', env: {}, json: false, io: captureIO(), print: (l) => printed.push(l) });
  await side.subscribed;
  const started = Date.now();
  await side.drained(5000);
  assert.ok(Date.now() - started < 1000, 'nothing was on its way: no wait');
  const agent = await mqtt.connectAsync(side.embedded!.url, { protocolVersion: 4, reconnectPeriod: 0 });
  const state = (online: boolean, seq: number) => Buffer.from(stateEnvelope({ dev: 'demo-box', seq, online }));
  // An offline state from an earlier run (as a retained one arrives first), then this agent comes online.
  await agent.publishAsync('driftwatch/v1/demo-box/state', state(false, 0), { qos: 1 });
  await agent.publishAsync('driftwatch/v1/demo-box/state', state(true, 1), { qos: 1 });
  await until(() => printed.length === 2, 'two state lines');
  let drainedAt = 0;
  const drained = side.drained(5000).then(() => { drainedAt = Date.now(); });
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.is(drainedAt, 0, 'the earlier offline state does not count');
  await agent.publishAsync('driftwatch/v1/demo-box/alert/coffee-cam', Buffer.from(alertEnvelope({ dev: 'demo-box', seq: 2, camera: 'coffee-cam' })), { qos: 1 });
  await agent.publishAsync('driftwatch/v1/demo-box/state', state(false, 3), { qos: 1 });
  const waitFrom = Date.now();
  await drained;
  assert.ok(drainedAt - waitFrom < 4000, `resolved by the offline state, not the 5 s cap (${drainedAt - waitFrom} ms)`);
  assert.is(printed.length, 4, printed.join('\n'));
  assert.match(printed[2], /FIRING/);
  assert.match(printed[3], /demo-box OFFLINE$/);
  await agent.endAsync(true);
  await side.stop();
});

demo('with a broker URL (Mosquitto, MQTT 5) no broker is started and the agent gets the URL only', async () => {
  const mosquitto = await startMosquitto();
  try {
    const printed: string[] = [];
    const side = await startDemoMqtt({ device: 'demo-box', url: mosquitto.url, env: {}, json: true, io: captureIO(), print: (l) => printed.push(l) });
    await side.subscribed;
    assert.is(side.embedded, undefined);
    assert.equal(side.agentArgs, ['--mqtt', mosquitto.url]);
    const agent = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 5, reconnectPeriod: 0 });
    await agent.publishAsync('driftwatch/v1/demo-box/alert/coffee-cam', Buffer.from(alertEnvelope({ dev: 'demo-box', seq: 4, camera: 'coffee-cam' })), { qos: 1 });
    await until(() => printed.length === 1, 'one [mqtt] line');
    assert.ok(printed[0].startsWith('[mqtt] {'));
    assert.is((JSON.parse(printed[0].slice(7)) as { seq: number }).seq, 4);
    await agent.endAsync(true);
    await side.stop();
  } finally {
    await disposeMosquitto(mosquitto);
  }
});

demo('driftwatch demo runs end to end with the embedded broker and exits, its broker closed', async () => {
  const child = new CliProcess(['demo', '--frames', '320', '--drift-at', '310', '--speed', '400']);
  const code = await child.exited;
  assert.is(code, 0, child.stderr.join('\n'));
  const line = child.stdout.find((l) => l.startsWith('driftwatch demo: MQTT broker '));
  assert.ok(line, child.stdout.join('\n'));
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(line!)![1]);
  assert.ok(child.stdout.some((l) => l.startsWith("driftwatch demo: camera 'coffee-cam' writes 320 frames")));
  assert.ok(child.stdout.some((l) => l === 'driftwatch demo: 320 frames written and measured; the agent stopped with exit code 0.'));
  assert.ok(await refuses(port));
});

(agentPublishes ? demo : demo.skip)('driftwatch demo: the agent\u2019s state and alerts arrive through the embedded broker as [mqtt] lines', async () => {
  const child = new CliProcess(['demo', '--frames', '520', '--speed', '200']);
  assert.is(await child.exited, 0, child.stderr.join('\n'));
  const mqttLines = child.stdout.filter((l) => l.startsWith('[mqtt] '));
  assert.match(mqttLines[0], /^\[mqtt\] \S+Z  demo-box online \(bdSeq \d+\)$/);
  assert.ok(mqttLines.some((l) => /^\[mqtt\] \S+Z  demo-box\/coffee-cam  PENDING  occlusion  .*\(alert coffee-cam:424\)$/.test(l)), mqttLines.join('\n'));
  assert.ok(mqttLines.some((l) => /^\[mqtt\] \S+Z  demo-box\/coffee-cam  FIRING  occlusion  .*\(alert coffee-cam:424\)$/.test(l)), mqttLines.join('\n'));
  assert.match(mqttLines[mqttLines.length - 1], /demo-box OFFLINE$/);
});

demo('driftwatch demo --mqtt refuses a URL that is not mqtt:// or mqtts://', async () => {
  const child = new CliProcess(['demo', '--mqtt', 'http://u:hunter2@example.com']);
  assert.is(await child.exited, 2);
  assert.ok(child.stderr.some((l) => l.includes('--mqtt must be an mqtt:// or mqtts:// URL')), child.stderr.join('\n'));
  assert.not.ok(child.stderr.some((l) => l.includes('hunter2')));
});

demo.run();
