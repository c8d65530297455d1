// OutboxPublisher over a real Mosquitto: what mosquitto_sub receives is what
// was appended, in order (priority lane first); across a broker restart
// nothing acked is missing, order holds, bdSeq grows, and the reconnect
// delays are exactly those of the injected (seeded) backoff.
import { spawn } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Backoff, seededRandom } from '../edge/mqtt/backoff.js';
import { MqttLink } from '../edge/mqtt/mqtt-link.js';
import { OutboxPublisher } from '../edge/mqtt/outbox-publisher.js';
import { ArrayOutbox } from './helpers/array-outbox.js';
import { disposeMosquitto, startMosquitto, type Mosquitto } from './helpers/mosquitto.js';
import { birthPayload, capturedLogger, statePayload, waitFor, watcher } from './helpers/mqtt-kit.js';

const Publisher = suite('mqtt outbox publisher');
let broker: Mosquitto | undefined;
Publisher.before(async () => { broker = await startMosquitto(); });
Publisher.after(async () => { await disposeMosquitto(broker); });

const hex = (n: number) => Buffer.from(`m${n}`).toString('hex');
const backoffOptions = { minMs: 100, maxMs: 400 };

function setup(url: string, gate?: () => Promise<void>) {
  const { log } = capturedLogger();
  let bdSeq = 0;
  const link = new MqttLink({
    url, device: 'box-1', log,
    nextBdSeq: async () => { if (bdSeq > 0 && gate) await gate(); return ++bdSeq; },
    willPayload: (n) => statePayload(false, n), onlinePayload: (n) => statePayload(true, n), birthPayload,
    onCommand: () => undefined,
    backoff: new Backoff({ ...backoffOptions, random: seededRandom(7) }),
  });
  const outbox = new ArrayOutbox();
  const historical: boolean[] = [];
  const publisher = new OutboxPublisher({
    outbox, link, log, inFlight: 4,
    prepare: (entry, hist) => { historical[entry.id] = hist; return entry.payload; },
  });
  const append = async (n: number, lane: 'bulk' | 'priority' = 'bulk') => {
    await outbox.append({ topic: `driftwatch/v1/box-1/${lane === 'bulk' ? 'summary' : 'alert'}/cam`, payload: Buffer.from(`m${n}`), lane });
    publisher.notify();
  };
  return { link, outbox, publisher, append, historical, bdSeq: () => bdSeq };
}

/** mosquitto_sub -V mqttv5 -C count -W 10 -F '%t %x', resolved with its message lines once it exits. */
function mosquittoSub(port: number, count: number): { subscribed: Promise<void>; lines: Promise<string[]> } {
  // stdbuf: mosquitto_sub's stdout is block-buffered into a pipe, and the test waits for its SUBACK line.
  const child = spawn('stdbuf', ['-oL', '/usr/bin/mosquitto_sub', '-V', 'mqttv5', '-h', '127.0.0.1', '-p', String(port), '-q', '1', '-d',
    '-t', 'driftwatch/v1/box-1/summary/#', '-t', 'driftwatch/v1/box-1/alert/#', '-C', String(count), '-W', '10', '-F', '%t %x']);
  let out = '';
  let onSuback: () => void = () => undefined;
  const subscribed = new Promise<void>((resolve) => { onSuback = resolve; });
  child.stdout.on('data', (chunk: Buffer) => { out += chunk; if (out.includes('SUBACK')) onSuback(); });
  const lines = new Promise<string[]>((resolve) => child.on('close', () => resolve(out.split('\n').filter((l) => l.startsWith('driftwatch/')))));
  return { subscribed, lines };
}

Publisher('mosquitto_sub receives every entry, in order, priority lane first; each acked on its PUBACK', async () => {
  const { link, outbox, publisher, append, historical } = setup(broker!.url);
  const sub = mosquittoSub(broker!.port, 30);
  await sub.subscribed;
  for (let i = 1; i <= 20; i++) await append(i);
  for (let i = 21; i <= 30; i++) await append(i, 'priority');
  publisher.start();
  link.start();
  await publisher.drained(10_000);
  const expected = [
    ...Array.from({ length: 10 }, (_, k) => `driftwatch/v1/box-1/alert/cam ${hex(21 + k)}`),
    ...Array.from({ length: 20 }, (_, k) => `driftwatch/v1/box-1/summary/cam ${hex(1 + k)}`),
  ];
  assert.equal(await sub.lines, expected);
  assert.equal(outbox.acked.length, 30);
  assert.ok(historical.slice(1).every((h) => h === true), 'appended before the connection: historical');
  await append(31);
  await publisher.drained(5000);
  assert.is(historical[31], false, 'appended during the connection: not historical');
  publisher.stop();
  await link.stop();
});

Publisher('broker stopped and restarted: the publisher resumes, everything arrives in order, bdSeq grows, delays follow the backoff', async () => {
  let release: () => void = () => undefined;
  let held: Promise<void> | null = null;
  const { link, outbox, publisher, append, bdSeq } = setup(broker!.url, () => held ?? Promise.resolve());
  const delays: number[] = [];
  link.on('retry', ({ delayMs }) => delays.push(delayMs));
  const before = await watcher(broker!.url, 'driftwatch/v1/box-1/summary/#');
  publisher.start();
  link.start();
  for (let i = 1; i <= 20; i++) await append(i);
  await publisher.drained(5000);
  await waitFor(() => before.received.length === 20, 3000, 'the first 20');
  await broker!.stop();
  await waitFor(() => !link.connected, 3000, 'the link noticing');
  for (let i = 21; i <= 40; i++) await append(i);
  await new Promise((r) => setTimeout(r, 1500));
  assert.is(outbox.entries.length, 20, 'nothing is acked while the broker is down');
  // Hold the link's next attempt until a new watcher listens, so it sees all that follows.
  held = new Promise((resolve) => { release = resolve; });
  await broker!.restart();
  const after = await watcher(broker!.url, 'driftwatch/v1/box-1/summary/#');
  release();
  await publisher.drained(10_000);
  await waitFor(() => after.received.length >= 20, 3000, 'the last 20');
  const seen = [...before.received, ...after.received].map((m) => m.text);
  assert.equal(seen, Array.from({ length: 40 }, (_, k) => `m${k + 1}`));
  assert.equal(outbox.acked, Array.from({ length: 40 }, (_, k) => k + 1));
  assert.ok(bdSeq() > 1 && link.currentBdSeq === bdSeq(), `bdSeq grew: ${bdSeq()}`);
  const reference = new Backoff({ ...backoffOptions, random: seededRandom(7) });
  reference.connected();
  assert.ok(delays.length >= 3, `several attempts while down: ${delays.length}`);
  assert.equal(delays, delays.map(() => reference.nextDelayMs('error')));
  assert.ok(delays.every((d) => d >= 100 && d <= 400));
  publisher.stop();
  await link.stop();
  await before.close();
  await after.close();
});

Publisher.run();
