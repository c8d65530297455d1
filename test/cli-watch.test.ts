// `driftwatch watch` against a real Mosquitto started on a free loopback
// port: messages made with the payload encoder and published with MQTT.js
// come out as readable or JSON lines; garbage is reported and skipped;
// received text cannot drive the terminal; the watch survives a broker
// restart; credentials are never printed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import { CliProcess, killCliProcesses } from './helpers/cli-process.js';
import { runCli } from './helpers/cli.js';
import { alertEnvelope, finding, stateEnvelope, T0 } from './helpers/envelopes.js';
import { disposeMosquitto, startMosquitto, type Mosquitto } from './helpers/mosquitto.js';

const watch = suite('driftwatch watch');
let broker: Mosquitto;
let publisher: MqttClient;

watch.before(async () => {
  broker = await startMosquitto();
  publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: 'test-publisher', reconnectPeriod: 200 });
});
watch.after(async () => {
  killCliProcesses();
  await publisher?.endAsync(true);
  await disposeMosquitto(broker);
});

const publish = (topic: string, payload: Uint8Array | string, retain = false) => publisher.publishAsync(topic, Buffer.from(payload), { qos: 1, retain });

async function started(args: string[], env: Record<string, string> = {}): Promise<CliProcess> {
  const child = new CliProcess(['watch', '--mqtt', broker.url, ...args], env);
  await child.waitForStderr(/subscribed to/);
  return child;
}

watch('readable lines: retained state first, then an alert and the offline state; garbage is one stderr line', async () => {
  await publish('driftwatch/v1/box-1/state', stateEnvelope({ dev: 'box-1', seq: 0, online: true }), true);
  const child = await started(['--count', '3', '--timeout', '10']);
  await child.waitForStdoutLines(1);
  await publish('driftwatch/v1/box-1/alert/gate', 'not msgpack at all');
  await publish('driftwatch/v1/box-1/alert/gate', alertEnvelope({ dev: 'box-1', seq: 1, camera: 'gate' }));
  await publish('driftwatch/v1/box-1/state', stateEnvelope({ dev: 'box-1', seq: 2, online: false, ts: T0 + 60_000 }), true);
  assert.is(await child.exited, 0, child.stderr.join('\n'));
  assert.equal(child.stdout, [
    '2026-12-01T17:10:28Z  box-1 online (bdSeq 3)',
    '2026-12-01T17:10:28Z  box-1/gate  FIRING  occlusion  luma_mean −38%, edge_density +12%  (alert gate:424)',
    '2026-12-01T17:11:28Z  box-1 OFFLINE',
  ]);
  const undecodable = child.stderr.filter((l) => l.includes('undecodable'));
  assert.is(undecodable.length, 1, child.stderr.join('\n'));
  assert.match(undecodable[0], /^driftwatch watch: undecodable message on driftwatch\/v1\/box-1\/alert\/gate: payload: /);
  await publish('driftwatch/v1/box-1/state', '', true); // clear the retained state
});

watch('--json: one object per line, the envelope with its decoded body and the topic', async () => {
  const child = await started(['--json', '--count', '1', '--device', 'box-j', '--timeout', '10']);
  await publish('driftwatch/v1/box-j/alert/dock', alertEnvelope({ dev: 'box-j', seq: 7, camera: 'dock', body: { causeRevised: true, cause: 'low-light' } }));
  assert.is(await child.exited, 0, child.stderr.join('\n'));
  assert.is(child.stdout.length, 1);
  const line = JSON.parse(child.stdout[0]) as Record<string, unknown>;
  assert.equal(
    { topic: line.topic, v: line.v, dev: line.dev, cam: line.cam, bdSeq: line.bdSeq, seq: line.seq, ts: line.ts, kind: line.kind, hist: line.hist },
    { topic: 'driftwatch/v1/box-j/alert/dock', v: 1, dev: 'box-j', cam: 'dock', bdSeq: 3, seq: 7, ts: T0, kind: 'alert', hist: false },
  );
  const body = line.body as { id: string; state: string; cause: string; causeRevised: boolean; findings: Array<{ feature: string }> };
  assert.equal([body.id, body.state, body.cause, body.causeRevised], ['dock:424', 'firing', 'low-light', true]);
  assert.equal(body.findings.map((f) => f.feature), ['luma_mean', 'edge_density']);
});

watch('--device and --camera narrow the subscription; a message whose envelope disagrees with its topic is refused', async () => {
  const child = await started(['--device', 'box-2', '--camera', 'door', '--count', '1', '--timeout', '10']);
  await publish('driftwatch/v1/box-2/alert/gate', alertEnvelope({ dev: 'box-2', seq: 1, camera: 'gate' }));
  await publish('driftwatch/v1/box-3/alert/door', alertEnvelope({ dev: 'box-3', seq: 1, camera: 'door' }));
  // box-3's alert on box-2's topic: a device may only speak for itself.
  await publish('driftwatch/v1/box-2/alert/door', alertEnvelope({ dev: 'box-3', seq: 2, camera: 'door' }));
  await publish('driftwatch/v1/box-2/alert/door', alertEnvelope({ dev: 'box-2', seq: 3, camera: 'door' }));
  assert.is(await child.exited, 0, child.stderr.join('\n'));
  assert.equal(child.stdout, ['2026-12-01T17:10:28Z  box-2/door  FIRING  occlusion  luma_mean −38%, edge_density +12%  (alert door:424)']);
  assert.ok(child.stderr.some((l) => l.includes("envelope device 'box-3' is not the topic's 'box-2'")), child.stderr.join('\n'));
});

watch('received text cannot drive the terminal: control and bidi characters are printed as escapes', async () => {
  // Mosquitto closes the connection of a client publishing to a topic with a
  // control character (malformed packet): a camera id can carry markup and
  // bidi overrides, the body's strings anything.
  const camera = '<b>gate<i>\u202e';
  const child = await started(['--device', 'box-x', '--count', '1', '--timeout', '10']);
  await publish(`driftwatch/v1/box-x/alert/${camera}`, alertEnvelope({
    dev: 'box-x', seq: 1, camera,
    body: { id: 'x\x1b[2J\x1b[31m:1', cause: 'occ\u009b31mlusion', findings: [finding('luma_mean', -38, 'luma\r\nFAKE LINE\x07')] },
  }));
  assert.is(await child.exited, 0, child.stderr.join('\n'));
  assert.equal(child.stdout, ['2026-12-01T17:10:28Z  box-x/<b>gate<i>\\u202e  FIRING  occ\\x9b31mlusion  luma\\x0d\\x0aFAKE LINE\\x07  (alert x\\x1b[2J\\x1b[31m:1)']);

  const json = await started(['--device', 'box-x', '--count', '1', '--json', '--timeout', '10']);
  await publish(`driftwatch/v1/box-x/alert/${camera}`, alertEnvelope({ dev: 'box-x', seq: 2, camera, body: { cause: 'occ\u009b31m\x1b]8;;http://x\x07' } }));
  assert.is(await json.exited, 0, json.stderr.join('\n'));
  assert.not.match(json.stdout[0], /[\x00-\x1f\x7f-\x9f\u202e]/);
  const line = JSON.parse(json.stdout[0]) as { cam: string; body: { cause: string } };
  assert.equal([line.cam, line.body.cause], [camera, 'occ\u009b31m\x1b]8;;http://x\x07']);
});

watch('--timeout: exit 1 when nothing arrives', async () => {
  const started = Date.now();
  const run = await runCli(['watch', '--mqtt', broker.url, '--device', 'nobody', '--timeout', '0.5']);
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stderr, /driftwatch watch: no message in 0.5 s/);
  assert.ok(Date.now() - started < 5000);
});

watch('reconnects after the broker restarts and goes on printing', async () => {
  const child = await started(['--device', 'box-r', '--count', '2', '--timeout', '20']);
  await publish('driftwatch/v1/box-r/alert/gate', alertEnvelope({ dev: 'box-r', seq: 1, camera: 'gate' }));
  await child.waitForStdoutLines(1);
  await broker.restart();
  await child.waitForStderr(/reconnected to the broker/, 15_000);
  await publisher.endAsync(true);
  publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: 'test-publisher', reconnectPeriod: 200 });
  // The resubscription follows the CONNACK; give it a moment to reach the broker.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await publish('driftwatch/v1/box-r/alert/gate', alertEnvelope({ dev: 'box-r', seq: 2, camera: 'gate', body: { state: 'resolved' } }));
  assert.is(await child.exited, 0, child.stderr.join('\n'));
  assert.match(child.stdout[1], /box-r\/gate  RESOLVED  occlusion/);
  assert.ok(child.stderr.some((l) => l.startsWith('driftwatch watch: lost the broker')), child.stderr.join('\n'));
});

watch('bad usage exits 2 naming the flag', async () => {
  for (const [args, pattern] of [
    [['watch'], /--mqtt <url>/],
    [['watch', '--mqtt', broker.url, '--count', '0'], /--count must be a positive integer/],
    [['watch', '--mqtt', broker.url, '--timeout', 'soon'], /--timeout must be a number of seconds/],
    [['watch', '--mqtt', broker.url, '--camera', 'a/b'], /--camera "a\/b" must not contain/],
    [['watch', '--mqtt', 'http://u:hunter2@host'], /--mqtt: .*mqtt:\/\/ or mqtts:\/\//],
    [['watch', '--mqtt', broker.url, '--mqtt-protocol', '3'], /--mqtt-protocol must be 5 or 4/],
    [['watch', '--mqtt', broker.url, '--nope'], /--nope/],
  ] as Array<[string[], RegExp]>) {
    const run = await runCli(args);
    assert.is(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, pattern);
    assert.not.match(run.stderr, /hunter2/);
  }
  const help = await runCli(['watch', '--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /--count <n>/);
});

watch.run();

const secured = suite('driftwatch watch: credentials');
let locked: Mosquitto;
secured.before(async () => { locked = await startMosquitto({ users: { viewer: 'right-pass' } }); });
secured.after(async () => { killCliProcesses(); await disposeMosquitto(locked); });

secured('a refused password exits 1 and is never printed; DRIFTWATCH_MQTT_PASSWORD is used', async () => {
  const url = `mqtt://viewer:hunter2@127.0.0.1:${locked.port}`;
  const refused = await runCli(['watch', '--mqtt', url, '--timeout', '10']);
  assert.is(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /refused the connection/);
  assert.not.match(refused.stderr + refused.stdout, /hunter2/);
  assert.match(refused.stderr, /viewer:\*\*\*@/);

  const child = new CliProcess(['watch', '--mqtt', `mqtt://127.0.0.1:${locked.port}`, '--timeout', '0.5'], { DRIFTWATCH_MQTT_USERNAME: 'viewer', DRIFTWATCH_MQTT_PASSWORD: 'right-pass' });
  assert.is(await child.exited, 1);
  assert.ok(child.stderr.some((l) => /subscribed to/.test(l)), child.stderr.join('\n'));
});

secured.run();

const tls = suite('driftwatch watch: TLS');
let tlsBroker: Mosquitto;
tls.before(async () => { tlsBroker = await startMosquitto({ tls: true }); });
tls.after(async () => { killCliProcesses(); await disposeMosquitto(tlsBroker); });

tls('mqtts:// with --mqtt-ca receives over TLS; an unreadable CA file exits 1; TLS files with mqtt:// are bad usage', async () => {
  const url = `mqtts://127.0.0.1:${tlsBroker.tlsPort}`;
  const child = new CliProcess(['watch', '--mqtt', url, '--mqtt-ca', tlsBroker.tls!.ca, '--device', 'box-t', '--count', '1', '--timeout', '10']);
  await child.waitForStderr(/subscribed to/);
  const client = await mqtt.connectAsync(url, { protocolVersion: 5, ca: readFileSync(tlsBroker.tls!.ca), reconnectPeriod: 0 });
  await client.publishAsync('driftwatch/v1/box-t/alert/gate', Buffer.from(alertEnvelope({ dev: 'box-t', seq: 1, camera: 'gate' })), { qos: 1 });
  assert.is(await child.exited, 0, child.stderr.join('\n'));
  assert.match(child.stdout[0], /box-t\/gate  FIRING/);
  await client.endAsync(true);

  const missing = await runCli(['watch', '--mqtt', url, '--mqtt-ca', '/nonexistent/ca.pem']);
  assert.is(missing.code, 1, missing.stderr);
  assert.match(missing.stderr, /cannot read the MQTT CA file \/nonexistent\/ca\.pem: ENOENT/);

  const plain = await runCli(['watch', '--mqtt', tlsBroker.url, '--mqtt-ca', tlsBroker.tls!.ca]);
  assert.is(plain.code, 2, plain.stderr);
  assert.match(plain.stderr, /--mqtt: MQTT TLS files were given for an mqtt:\/\/ URL/);
});

tls.run();
