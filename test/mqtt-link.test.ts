// MqttLink against a real Mosquitto: the retained online state, the birth
// right after it, the Will when the connection dies, the offline state on a
// clean stop, and commands reaching onCommand byte for byte.
import mqtt from 'mqtt';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Backoff } from '../edge/mqtt/backoff.js';
import { LinkDownError, MqttLink } from '../edge/mqtt/mqtt-link.js';
import { disposeMosquitto, startMosquitto, type Mosquitto } from './helpers/mosquitto.js';
import { capturedLogger, payloads, tcpProxy, text, waitFor, watcher } from './helpers/mqtt-kit.js';

const Link = suite('mqtt link');
let broker: Mosquitto | undefined;

Link.before(async () => { broker = await startMosquitto(); });
Link.after(async () => { await disposeMosquitto(broker); });

function link(url: string, extra: Partial<ConstructorParameters<typeof MqttLink>[0]> = {}) {
  const { log, text: logText } = capturedLogger();
  const commands: Array<{ name: string; payload: Uint8Array }> = [];
  const instance = new MqttLink({
    url, device: 'box-1', log, ...payloads(),
    onCommand: (name, payload) => commands.push({ name, payload: payload.slice() }),
    backoff: new Backoff({ minMs: 50, maxMs: 200 }),
    ...extra,
  });
  return { link: instance, commands, logText };
}

Link('online state (retained), then birth, then connected; clean stop publishes offline', async () => {
  const watch = await watcher(broker!.url, 'driftwatch/v1/box-1/#');
  const { link: l } = link(broker!.url);
  const early = await l.publish('driftwatch/v1/box-1/summary/cam', new Uint8Array([1])).catch((error: unknown) => error);
  assert.instance(early, LinkDownError);
  const connected = new Promise((resolve) => l.once('connected', resolve));
  l.start();
  assert.equal(await connected, { bdSeq: 1 });
  assert.ok(l.connected);
  await waitFor(() => watch.received.length === 2, 2000, 'online state and birth');
  assert.equal(watch.received.map((m) => [m.topic, m.text]), [
    ['driftwatch/v1/box-1/state', 'online 1'],
    ['driftwatch/v1/box-1/birth', 'birth 1'],
  ]);
  await l.stop();
  assert.not.ok(l.connected);
  await waitFor(() => watch.received.length === 3, 2000, 'the offline state');
  assert.equal([watch.received[2].topic, watch.received[2].text], ['driftwatch/v1/box-1/state', 'offline 1']);
  await watch.close();
  // The broker kept the last state: a late subscriber sees 'offline 1', retained.
  const late = await watcher(broker!.url, 'driftwatch/v1/box-1/state');
  await waitFor(() => late.received.length === 1, 2000, 'the retained state');
  assert.equal(late.received[0], { topic: 'driftwatch/v1/box-1/state', text: 'offline 1', retain: true });
  await late.close();
});

Link('a dead connection makes the broker publish the Will; the link reconnects with the next bdSeq', async () => {
  const proxy = await tcpProxy(broker!.port);
  const watch = await watcher(broker!.url, 'driftwatch/v1/box-1/state');
  const { link: l } = link(proxy.url);
  const retries: number[] = [];
  l.on('retry', ({ delayMs }) => retries.push(delayMs));
  l.start();
  await waitFor(() => l.connected, 3000, 'connected');
  proxy.cut();
  await waitFor(() => watch.received.some((m) => m.text === 'offline 1'), 3000, 'the Will');
  await waitFor(() => l.connected && l.currentBdSeq === 2, 3000, 'reconnected');
  await waitFor(() => watch.received.some((m) => m.text === 'online 2'), 2000, 'online 2');
  assert.equal(watch.received.filter((m) => !m.retain).map((m) => m.text), ['online 1', 'offline 1', 'online 2']);
  assert.is(retries.length, 1);
  assert.ok(retries[0] >= 50 && retries[0] <= 100, `first delay in [min, 2 min]: ${retries[0]}`);
  await l.stop();
  await watch.close();
  await proxy.close();
});

Link('a command reaches onCommand with its exact bytes and name', async () => {
  const { link: l, commands } = link(broker!.url);
  l.start();
  await waitFor(() => l.connected, 3000, 'connected');
  const sender = await watcher(broker!.url, 'unused/#');
  const bytes = new Uint8Array([0x82, 0xa1, 0x76, 0x01, 0x00, 0xff, 0xc0]);
  await sender.client.publishAsync('driftwatch/v1/box-1/cmd/rebaseline', Buffer.from(bytes), { qos: 1 });
  await sender.client.publishAsync('driftwatch/v1/box-2/cmd/rebaseline', Buffer.from([1]), { qos: 1 });
  await waitFor(() => commands.length === 1, 2000, 'the command');
  assert.is(commands[0].name, 'rebaseline');
  assert.equal([...commands[0].payload], [...bytes]);
  await new Promise((r) => setTimeout(r, 100));
  assert.is(commands.length, 1, "another device's command is not delivered");
  await sender.close();
  await l.stop();
});

Link('publish resolves on PUBACK with the content type hint; stop() is idempotent', async () => {
  const watch = await watcher(broker!.url, 'driftwatch/v1/box-1/summary/#');
  const types: Array<string | undefined> = [];
  watch.client.on('message', (_t, _p, packet) => types.push(packet.properties?.contentType));
  const { link: l } = link(broker!.url);
  l.start();
  await waitFor(() => l.connected, 3000, 'connected');
  assert.equal(await l.publish('driftwatch/v1/box-1/summary/cam', new Uint8Array([1, 2]), { kind: 'summary' }), { ok: true });
  await waitFor(() => types.length === 1, 2000, 'the summary');
  assert.equal(types, ['application/vnd.driftwatch.summary+msgpack;v=1']);
  assert.equal(watch.received[0].text, text(new Uint8Array([1, 2])));
  await l.stop();
  await l.stop();
  await watch.close();
});

Link.run();

const Harness = suite('mosquitto harness');

Harness('the optional websockets listener carries MQTT 5; stop() ends the broker and restart() brings it back on the same ports', async () => {
  const ws = await startMosquitto({ websockets: true });
  try {
    const client = await mqtt.connectAsync(`ws://127.0.0.1:${ws.wsPort}`, { protocolVersion: 5, reconnectPeriod: 0 });
    assert.ok(client.connected);
    await client.endAsync(true);
    await ws.restart();
    const again = await mqtt.connectAsync(ws.url, { protocolVersion: 5, reconnectPeriod: 0 });
    await again.endAsync(true);
    await ws.stop();
    const refused = await mqtt.connectAsync(ws.url, { reconnectPeriod: 0, connectTimeout: 1000 }).then(() => 'connected', () => 'refused');
    assert.is(refused, 'refused');
  } finally {
    await disposeMosquitto(ws);
  }
});

Harness.run();
