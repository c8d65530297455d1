// `driftwatch collect` against a real Mosquitto on a free loopback port:
// summaries made with the payload encoder, published with MQTT.js; one
// collector deduplicates on (dev, bdSeq, seq) and counts what it could not
// decode; two collectors in one shared-subscription group split the load,
// each summary going to exactly one of them (read back from both /fleet).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import mqtt, { type MqttClient } from 'mqtt';
import { CliProcess, killCliProcesses } from './helpers/cli-process.js';
import { runCli } from './helpers/cli.js';
import { summaryEnvelope } from './helpers/envelopes.js';
import { disposeMosquitto, startMosquitto, type Mosquitto } from './helpers/mosquitto.js';

interface Fleet {
  group: string;
  counts: { received: number; accepted: number; duplicates: number; undecodable: number };
  cameras: Record<string, { frames: number; alert: { state: string; id: string | null } }>;
  camera: Record<string, { summaries: number; features: Record<string, { n: number; mean: number; quantiles: { p50: number } }> }>;
  model: Record<string, { summaries: number }>;
  site: Record<string, { summaries: number }>;
}

const collect = suite('driftwatch collect');
let broker: Mosquitto;
let publisher: MqttClient;

collect.before(async () => {
  broker = await startMosquitto();
  publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: 'test-publisher' });
});
collect.after(async () => {
  killCliProcesses();
  await publisher?.endAsync(true);
  await disposeMosquitto(broker);
});

const publish = (topic: string, payload: Uint8Array | string) => publisher.publishAsync(topic, Buffer.from(payload), { qos: 1 });

async function collector(group: string, extra: string[] = []): Promise<{ child: CliProcess; base: string }> {
  const child = new CliProcess(['collect', '--mqtt', broker.url, '--group', group, '--listen', '127.0.0.1:0', ...extra]);
  await child.waitForStderr(/subscribed to \$share\//);
  const line = child.stderr.find((l) => l.includes('serving http://'))!;
  return { child, base: /serving (http:\/\/[^/]+)\/fleet/.exec(line)![1] };
}

async function fleet(base: string): Promise<Fleet> {
  const response = await fetch(`${base}/fleet`);
  assert.is(response.status, 200);
  return await response.json() as Fleet;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

collect('one collector: each summary merged once, duplicates and undecodable messages counted', async () => {
  const { child, base } = await collector('solo');
  const health = await fetch(`${base}/healthz`);
  assert.is(health.status, 200);
  const sent: Array<[string, Uint8Array]> = [];
  for (let seq = 0; seq < 4; seq++) sent.push([`driftwatch/v1/box-1/summary/gate`, summaryEnvelope({ dev: 'box-1', seq, camera: 'gate', base: 100 + 10 * seq })]);
  sent.push([`driftwatch/v1/box-2/summary/dock`, summaryEnvelope({ dev: 'box-2', seq: 0, camera: 'dock', model: 'det-v3', site: 'plant-b', alert: 'firing' })]);
  for (const [topic, bytes] of sent) await publish(topic, bytes);
  await publish(sent[1][0], sent[1][1]); // a re-send: same (dev, bdSeq, seq)
  await publish(sent[4][0], sent[4][1]);
  await publish('driftwatch/v1/box-1/summary/gate', new Uint8Array([0x93, 0x01]));
  // A box-2 envelope on box-1's topic is refused, not merged.
  await publish('driftwatch/v1/box-1/summary/dock', summaryEnvelope({ dev: 'box-2', seq: 9, camera: 'dock' }));
  const view = await until(() => fleet(base), (f) => f.counts.received === 9, '9 messages');
  assert.equal(view.counts, { received: 9, accepted: 5, duplicates: 2, undecodable: 2 });
  assert.is(view.group, 'solo');
  assert.equal(Object.keys(view.camera).sort(), ['box-1/gate', 'box-2/dock']);
  assert.is(view.camera['box-1/gate'].summaries, 4);
  const luma = view.camera['box-1/gate'].features.luma_mean;
  // 4 summaries of 10 frames: 100..109, 110..119, 120..129, 130..139.
  assert.is(luma.n, 40);
  assert.ok(Math.abs(luma.mean - 119.5) < 1e-9, String(luma.mean));
  assert.equal(view.cameras['box-1/gate'], { frames: 40, alert: { state: 'ok', id: null } });
  assert.equal(view.cameras['box-2/dock'], { frames: 10, alert: { state: 'firing', id: 'dock:1' } });
  assert.equal([view.model['det-v2'].summaries, view.model['det-v3'].summaries, view.site['plant-a'].summaries, view.site['plant-b'].summaries], [4, 1, 4, 1]);
  assert.is(child.stderr.filter((l) => l.includes('undecodable message on driftwatch/v1/box-1/summary/')).length, 2, child.stderr.join('\n'));
  assert.is(await child.stop(), 0);
  // On exit it prints the fleet view one last time.
  assert.ok(child.stdout.some((l) => /^box-1\/gate\s+4\s+40\s+ok\s+1\d\d(\.\d)?\/1\d\d/.test(l)), child.stdout.join('\n'));
});

collect('two collectors in one group split the summaries: each is counted by exactly one of them', async () => {
  const [a, b] = [await collector('pair'), await collector('pair')];
  const N = 40, DUPLICATES = 10;
  // Each distinct summary on its own camera, so each /fleet shows which summaries that collector took.
  const messages = Array.from({ length: N }, (_, i) => {
    const camera = `cam-${String(i).padStart(2, '0')}`;
    return { camera, topic: `driftwatch/v1/box-9/summary/${camera}`, bytes: summaryEnvelope({ dev: 'box-9', seq: i, camera }) };
  });
  for (const m of messages) await publish(m.topic, m.bytes);
  for (const m of messages.slice(0, DUPLICATES)) await publish(m.topic, m.bytes);
  const [fa, fb] = await until(async () => [await fleet(a.base), await fleet(b.base)], ([x, y]) => x.counts.received + y.counts.received === N + DUPLICATES, `${N + DUPLICATES} messages over both`);

  assert.ok(fa.counts.accepted > 0 && fb.counts.accepted > 0, `load not split: ${fa.counts.accepted} + ${fb.counts.accepted}`);
  for (const f of [fa, fb]) {
    assert.is(f.counts.undecodable, 0);
    // Within one collector a summary is merged at most once.
    for (const [key, group] of Object.entries(f.camera)) assert.is(group.summaries, 1, key);
  }
  const inA = new Set(Object.keys(fa.camera)), inB = new Set(Object.keys(fb.camera));
  const union = new Set([...inA, ...inB]);
  assert.is(union.size, N, 'every distinct summary was counted');
  // A summary sent once reaches one member only, and is counted there only.
  const once = messages.slice(DUPLICATES).map((m) => `box-9/${m.camera}`);
  assert.is(once.filter((key) => inA.has(key) && inB.has(key)).length, 0);
  assert.is(once.filter((key) => inA.has(key) !== inB.has(key)).length, N - DUPLICATES);
  // A re-sent copy is a duplicate where the original went; if the broker hands it to the
  // other member, that member merges it (the members' views then overlap on that key).
  const both = [...inA].filter((key) => inB.has(key));
  assert.ok(both.every((key) => messages.slice(0, DUPLICATES).some((m) => `box-9/${m.camera}` === key)));
  assert.is(fa.counts.accepted + fb.counts.accepted, N + both.length);
  assert.is(fa.counts.duplicates + fb.counts.duplicates, DUPLICATES - both.length);
  assert.is(await a.child.stop(), 0);
  assert.is(await b.child.stop(), 0);
});

collect('--json --print-every: the fleet view as one JSON object per line', async () => {
  const child = new CliProcess(['collect', '--mqtt', broker.url, '--group', 'printer', '--json', '--print-every', '0.3']);
  await child.waitForStderr(/subscribed to/);
  await publish('driftwatch/v1/box-p/summary/gate', summaryEnvelope({ dev: 'box-p', seq: 0, camera: 'gate' }));
  await child.waitFor(() => child.stdout.some((l) => l.includes('"accepted":1')), 'a printed view with the summary');
  const line = JSON.parse(child.stdout.find((l) => l.includes('"accepted":1'))!) as Fleet & { ts: number };
  assert.is(line.camera['box-p/gate'].summaries, 1);
  assert.ok(Number.isInteger(line.ts));
  assert.is(await child.stop(), 0);
});

collect('bad usage exits 2 naming the flag', async () => {
  for (const [args, pattern] of [
    [['collect', '--mqtt', broker.url], /--group <name>/],
    [['collect', '--mqtt', broker.url, '--group', 'a/b'], /--group "a\/b" must not contain/],
    [['collect', '--mqtt', broker.url, '--group', 'g', '--listen', 'nowhere'], /--listen "nowhere" is not host:port/],
    [['collect', '--mqtt', broker.url, '--group', 'g', '--print-every', '0'], /--print-every must be a number of seconds/],
    [['collect', '--group', 'g'], /--mqtt <url>/],
  ] as Array<[string[], RegExp]>) {
    const run = await runCli(args);
    assert.is(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, pattern);
  }
  const help = await runCli(['collect', '--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /\$share\/<group>\/driftwatch\/v1\/\+\/summary\/#/);
});

collect.run();
