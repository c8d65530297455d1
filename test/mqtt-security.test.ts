// A broker set up as docs/mqtt.md recommends: password file, ACL, TLS
// listener with openssl-made certificates, no anonymous access. The link
// works over mqtts with a CA and a password; a wrong password is refused,
// reported, and not retried before the floor; a publish outside the
// device's subtree comes back as reason 135 and is counted; another
// device's commands do not arrive; and no log line holds the password.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Backoff } from '../edge/mqtt/backoff.js';
import { MqttLink, type MqttLinkOptions } from '../edge/mqtt/mqtt-link.js';
import { disposeMosquitto, startMosquitto, type Mosquitto } from './helpers/mosquitto.js';
import { capturedLogger, payloads, waitFor, watcher } from './helpers/mqtt-kit.js';

const PASSWORD = 'box1-s3cret-Pa55';
const Security = suite('mqtt security');
let broker: Mosquitto | undefined;
Security.before(async () => {
  broker = await startMosquitto({
    users: { 'box-1': PASSWORD, 'box-2': 'other-pass', ops: 'ops-pass' },
    acl: true, tls: true, aclLines: ['user ops', 'topic readwrite driftwatch/#'],
  });
});
Security.after(async () => { await disposeMosquitto(broker); });

function tlsLink(extra: Partial<MqttLinkOptions> = {}) {
  const captured = capturedLogger();
  const counts = { denied: 0, published: 0 };
  const commands: string[] = [];
  const link = new MqttLink({
    url: `mqtts://127.0.0.1:${broker!.tlsPort}`, device: 'box-1', log: captured.log, ...payloads(),
    brokerOptions: { ca: broker!.tls!.ca },
    env: { DRIFTWATCH_MQTT_USERNAME: 'box-1', DRIFTWATCH_MQTT_PASSWORD: PASSWORD },
    onCommand: (name) => commands.push(name),
    metrics: { publishDenied: () => counts.denied++, published: () => counts.published++ },
    ...extra,
  });
  return { link, counts, commands, ...captured };
}

Security('over mqtts with the CA and a password: connects; a publish outside its subtree is refused with 135 and counted', async () => {
  const { link, counts, text } = tlsLink();
  link.start();
  await waitFor(() => link.connected, 5000, 'connected over TLS');
  assert.equal(await link.publish('driftwatch/v1/box-1/alert/cam', new Uint8Array([1])), { ok: true });
  const denied = await link.publish('driftwatch/v1/other-device/alert/x', new Uint8Array([2]));
  assert.equal(denied, { ok: false, reasonCode: 135, reason: 'Not authorized' });
  assert.is(counts.denied, 1);
  assert.ok(text().includes('"reasonCode":135') && text().includes('driftwatch/v1/other-device/alert/x'), 'the refusal is logged with its topic');
  await link.stop();
  assert.not.ok(text().includes(PASSWORD), 'no log line holds the password');
});

Security("another device's command topic is not delivered (ACL); its own is", async () => {
  const { link, commands } = tlsLink();
  link.start();
  await waitFor(() => link.connected, 5000, 'connected');
  const ops = await watcher(broker!.url, 'unused/#', { username: 'ops', password: 'ops-pass' });
  await ops.client.publishAsync('driftwatch/v1/box-2/cmd/reload', Buffer.from([1]), { qos: 1 });
  await ops.client.publishAsync('driftwatch/v1/box-1/cmd/reload', Buffer.from([2]), { qos: 1 });
  await waitFor(() => commands.length >= 1, 2000, 'the command');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(commands, ['reload']);
  await ops.close();
  await link.stop();
});

Security('a wrong password is refused, reported once per attempt, and not retried before the floor', async () => {
  const retries: Array<{ delayMs: number; kind: string; reasonCode?: number }> = [];
  let attempts = 0;
  const { link, text, lines } = tlsLink({
    env: { DRIFTWATCH_MQTT_USERNAME: 'box-1', DRIFTWATCH_MQTT_PASSWORD: 'wrong-Secret-123' },
    nextBdSeq: async () => ++attempts,
    backoff: new Backoff(), // the defaults: a 60 s floor after refused credentials
  });
  link.on('retry', (r) => retries.push(r));
  link.start();
  try {
    await new Promise((r) => setTimeout(r, 2500));
  } finally {
    await link.stop(); // the retry timer would otherwise hold the process for a minute
  }
  assert.is(attempts, 1, 'one attempt in 2.5 s');
  // Mosquitto 2.0.11 answers a wrong MQTT 5 password with 135 Not authorized, not 134.
  assert.equal(retries.map((r) => [r.kind, r.reasonCode]), [['credentials', 135]]);
  assert.ok(retries[0].delayMs >= 60_000 && retries[0].delayMs <= 120_000, `delay ${retries[0].delayMs}`);
  const errors = lines().filter((l) => l.level === 'error');
  assert.is(errors.length, 1);
  assert.not.ok(text().includes('wrong-Secret-123'));
  assert.not.ok(link.connected);
});

Security('a password file and a password in the URL never reach the logs; TLS with a client certificate also works', async () => {
  const file = join(broker!.dir, 'box-1.pass');
  writeFileSync(file, `${PASSWORD}\n`);
  const { link, text } = tlsLink({
    url: `mqtts://box-1:${encodeURIComponent(PASSWORD)}@127.0.0.1:${broker!.tlsPort}`,
    env: {},
    brokerOptions: { ca: broker!.tls!.ca, cert: broker!.tls!.clientCert, key: broker!.tls!.clientKey, passwordFile: file },
  });
  link.start();
  await waitFor(() => link.connected, 5000, 'connected');
  await link.stop();
  assert.not.ok(text().includes(PASSWORD));
  let message = '';
  try {
    tlsLink({ url: `mqtt://box-1:${PASSWORD}@127.0.0.1:1`, brokerOptions: { ca: broker!.tls!.ca } });
  } catch (error) {
    message = (error as Error).message;
  }
  assert.ok(message.includes('mqtts://') && !message.includes(PASSWORD), `error without the password: ${message}`);
});

Security.run();
