// Commands to a running `driftwatch run --mqtt` over a real Mosquitto:
// published with MQTT.js on driftwatch/v1/<dev>/cmd/<name>, answered on
// driftwatch/v1/<dev>/reply. Malformed or unusable commands are refused with
// ok:false and a reason and change nothing (baseline digest in /metrics and
// in the next summary, the firing alert, the rejected counter); valid ones
// work: summary-now, rebirth, rebaseline (kept across a restart), reload.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode } from '@msgpack/msgpack';
import mqtt, { type MqttClient } from 'mqtt';
import { decodeBaseline, encodeBaseline } from '../src/baseline/baseline-codec.js';
import { CATALOGUE_VERSION } from '../src/catalogue.js';
import { encodeCommand } from '../src/envelope/commands.js';
import { demoJpegFrames } from '../edge/demo/demo-stream.js';
import { COMMAND_MAX_BYTES } from '../edge/upstream/command-handler.js';
import { killAgents, metric, metricsText, AgentProcess } from './helpers/agent-process.js';
import { disposeMosquitto, startMosquitto, type Mosquitto } from './helpers/mosquitto.js';
import { repoPath } from './helpers/paths.js';

const BASELINE = repoPath('samples/demo/coffee-cam.dwb');
const FRAMES = 450, DRIFT_AT = 350, DEVICE = 'box-cmd';
let work = '', frames = '', state = '';
let broker: Mosquitto | undefined;
let agent: AgentProcess;
let client: MqttClient;
let original = '';
let originalBytes: Uint8Array;
const received: Array<{ topic: string; envelope: Record<string, any> }> = [];

const Commands = suite('driftwatch run --mqtt: commands');

const args = () => ['--device', DEVICE, '--camera', 'yard', '--source', `dir:${frames}?after=delete`, '--baseline', BASELINE,
  '--state-dir', state, '--listen', '127.0.0.1:0', '--mqtt', broker!.url, '--checkpoint-interval-s', '1'];

async function until(condition: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const of = (kind: string) => received.filter((m) => m.envelope.kind === kind).map((m) => m.envelope);

/** Publishes one command and returns the reply that follows it (commands are answered one at a time, in order). */
async function command(name: string, payload: Uint8Array, ms = 10_000): Promise<Record<string, any>> {
  const before = of('reply').length;
  await client.publishAsync(`driftwatch/v1/${DEVICE}/cmd/${name}`, Buffer.from(payload), { qos: 1 });
  await until(() => of('reply').length > before, ms, `the reply to ${name}`);
  const reply = of('reply')[before];
  assert.is(reply.dev, DEVICE);
  assert.ok(reply.seq > 0, 'a reply is spooled: seq > 0');
  return reply.body;
}

async function startAgent(): Promise<void> {
  agent = new AgentProcess(args());
  await agent.until(() => agent.logs.some((l) => typeof l.listen === 'string'), 30_000, 'the listen line');
  await until(() => metricsText(agent.port).then((t) => metric(t, 'driftwatch_mqtt_connected') === 1), 10_000, 'connected');
}

Commands.before(async () => {
  work = await mkdtemp(join(tmpdir(), 'driftwatch-mqtt-cmd-'));
  frames = join(work, 'frames'); state = join(work, 'state');
  await mkdir(frames);
  let i = 0;
  for await (const { jpeg } of demoJpegFrames({ frames: FRAMES, seed: 11, drift: { kind: 'occlusion', startFrame: DRIFT_AT } })) {
    await writeFile(join(frames, `f${String(i++).padStart(5, '0')}.jpg`), jpeg);
  }
  originalBytes = new Uint8Array(await readFile(BASELINE));
  original = (await decodeBaseline(originalBytes)).header.digest;
  broker = await startMosquitto();
  client = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
  // The subscription covers cmd/ too: the commands themselves are not envelopes.
  client.on('message', (topic, payload) => { if (!topic.includes('/cmd/')) received.push({ topic, envelope: decode(payload) as Record<string, any> }); });
  await client.subscribeAsync(`driftwatch/v1/${DEVICE}/#`, { qos: 1 });
  await startAgent();
  await agent.until(() => agent.alerts.length >= 2, 60_000, 'pending and firing');
  await until(() => readdir(frames).then((left) => left.length === 0), 60_000, 'every frame processed');
  await until(() => of('alert').length >= 2, 10_000, 'both alerts over MQTT');
});
Commands.after(async () => {
  killAgents();
  await client?.endAsync(true);
  await disposeMosquitto(broker);
  await rm(work, { recursive: true, force: true });
});

/** The same baseline content saved again with another `source`: a valid baseline with another digest. */
async function reencoded(changes: { source?: string; catalogueVersion?: number; decode?: { scale: number; step: number } }): Promise<{ bytes: Uint8Array; digest: string }> {
  const baseline = await decodeBaseline(originalBytes);
  const { digest: _digest, formatVersion: _format, ...header } = baseline.header;
  return encodeBaseline({ ...baseline, header: { ...header, ...changes } } as Parameters<typeof encodeBaseline>[0]);
}

Commands('malformed and unusable commands: ok false with a reason, nothing changes, each counted as rejected', async () => {
  const text0 = await metricsText(agent.port);
  assert.is(metric(text0, 'driftwatch_baseline_info', { camera: 'yard', digest: original }), 1);
  assert.is(metric(text0, 'driftwatch_alert_state', { camera: 'yard', state: 'firing' }), 1, 'firing before the commands');
  const rejected0 = metric(text0, 'driftwatch_mqtt_commands_total', { result: 'rejected' })!;
  const corrupt = originalBytes.slice();
  corrupt[Math.floor(corrupt.length / 2)] ^= 0xff;
  const otherCatalogue = await reencoded({ catalogueVersion: CATALOGUE_VERSION + 1 });
  // As `baseline build` now makes from 640×480 frames unless told --decode-scale 1.
  const halfSize = await reencoded({ decode: { scale: 2, step: 1 } });
  const cases: Array<{ what: string; name: string; payload: Uint8Array; error: RegExp }> = [
    { what: 'bad msgpack', name: 'summary-now', payload: new Uint8Array([0xc1, 0x00, 0xff]), error: /msgpack|decode|invalid|unexpected/i },
    { what: 'a wrong field type (camera: 5)', name: 'summary-now', payload: encode({ camera: 5, requestId: 'r-type' }), error: /camera/ },
    { what: 'an unknown command', name: 'self-destruct', payload: encode({ requestId: 'r-unknown' }), error: /not one of rebaseline, reload, summary-now, rebirth/ },
    { what: 'a corrupt baseline', name: 'rebaseline', payload: encodeCommand({ name: 'rebaseline', camera: 'yard', requestId: 'r-corrupt', baseline: corrupt, path: null }), error: /rebaseline: .*(digest|baseline)/i },
    { what: 'another catalogue version', name: 'rebaseline', payload: encodeCommand({ name: 'rebaseline', camera: 'yard', requestId: 'r-catalogue', baseline: otherCatalogue.bytes, path: null }), error: /catalogue/i },
    { what: 'an unknown camera', name: 'rebaseline', payload: encodeCommand({ name: 'rebaseline', camera: 'garage', requestId: 'r-camera', baseline: originalBytes, path: null }), error: /no camera 'garage'/ },
    { what: 'another decode scale', name: 'rebaseline', payload: encodeCommand({ name: 'rebaseline', camera: 'yard', requestId: 'r-scale', baseline: halfSize.bytes, path: null }), error: /decode scale 2 and step 1, this camera measures at scale 1, step 1; restart the agent with it, or build one with baseline build --decode-scale 1 --step 1/ },
  ];
  for (const c of cases) {
    const reply = await command(c.name, c.payload);
    assert.is(reply.ok, false, `${c.what}: refused`);
    assert.type(reply.error, 'string');
    assert.match(reply.error, c.error, `${c.what}: ${reply.error}`);
    assert.is(reply.result, null);
  }
  const replies = of('reply').slice(-cases.length);
  assert.equal(replies.map((r) => r.body.requestId), [null, null, null, 'r-corrupt', 'r-catalogue', 'r-camera', 'r-scale'], 'the requestId comes back when the payload could be read');

  const text1 = await metricsText(agent.port);
  assert.is(metric(text1, 'driftwatch_mqtt_commands_total', { result: 'rejected' }), rejected0 + cases.length, 'each refusal counted');
  assert.is(metric(text1, 'driftwatch_baseline_info', { camera: 'yard', digest: original }), 1, 'the baseline digest is unchanged');
  assert.is(metric(text1, 'driftwatch_alert_state', { camera: 'yard', state: 'firing' }), 1, 'the alert still fires');
  assert.not.ok(await stat(join(state, 'baselines', 'yard.dwb')).catch(() => null), 'no baseline kept in the state dir');
  const summaries = of('summary').length;
  const ok = await command('summary-now', encode({ requestId: 'r-after' }));
  assert.is(ok.ok, true);
  await until(() => of('summary').length > summaries, 5000, 'the summary');
  assert.is(of('summary').at(-1)!.body.baseline, original, 'the next summary still names the configured baseline');
});

Commands(`an oversized command (${COMMAND_MAX_BYTES} + 1 bytes) is refused before decoding`, async () => {
  const before = metric(await metricsText(agent.port), 'driftwatch_mqtt_commands_total', { result: 'rejected' })!;
  const reply = await command('rebaseline', new Uint8Array(COMMAND_MAX_BYTES + 1), 30_000);
  assert.is(reply.ok, false);
  assert.match(reply.error, /over the limit of 16777216/);
  assert.is(metric(await metricsText(agent.port), 'driftwatch_mqtt_commands_total', { result: 'rejected' }), before + 1);
  assert.is(metric(await metricsText(agent.port), 'driftwatch_baseline_info', { camera: 'yard', digest: original }), 1);
});

Commands('summary-now and rebirth: a summary and a birth promptly', async () => {
  const summaries = of('summary').length, births = of('birth').length;
  const t0 = Date.now();
  const reply = await command('summary-now', encodeCommand({ name: 'summary-now', camera: 'yard', requestId: 'r-now' }));
  assert.equal(reply, { command: 'summary-now', requestId: 'r-now', ok: true, error: null, result: { cameras: ['yard'] } });
  await until(() => of('summary').length > summaries, 3000, 'the summary');
  const rebirth = await command('rebirth', encodeCommand({ name: 'rebirth', requestId: 'r-birth' }));
  assert.is(rebirth.ok, true);
  await until(() => of('birth').length > births, 3000, 'the birth');
  const birth = of('birth').at(-1)!;
  assert.ok(birth.seq > 0, 'a commanded birth is spooled (seq > 0)');
  assert.is(birth.body.cameras[0].baseline, original);
  console.log(`    summary-now and rebirth answered in ${Date.now() - t0} ms`);
});

Commands('rebaseline switches the digest (birth, summaries, metrics), is kept across a restart, and reload returns the configured one', async () => {
  const next = await reencoded({ source: 'rebaselined by the commands test' });
  assert.is.not(next.digest, original);
  const births = of('birth').length;
  const reply = await command('rebaseline', encodeCommand({ name: 'rebaseline', camera: 'yard', requestId: 'r-rb', baseline: next.bytes, path: null }));
  assert.equal(reply, { command: 'rebaseline', requestId: 'r-rb', ok: true, error: null, result: { digest: next.digest } });
  await until(() => of('birth').length > births, 3000, 'a birth after the re-baseline');
  assert.is(of('birth').at(-1)!.body.cameras[0].baseline, next.digest);
  assert.is(metric(await metricsText(agent.port), 'driftwatch_baseline_info', { camera: 'yard', digest: next.digest }), 1);
  const summaries = of('summary').length;
  await command('summary-now', encode({}));
  await until(() => of('summary').length > summaries, 3000, 'a summary');
  assert.is(of('summary').at(-1)!.body.baseline, next.digest);
  assert.equal(new Uint8Array(await readFile(join(state, 'baselines', 'yard.dwb'))), next.bytes, 'kept under <stateDir>/baselines/yard.dwb');

  // A restart keeps the re-baseline.
  agent.signal('SIGTERM');
  assert.is(await agent.exited, 0);
  const birthsBefore = of('birth').length;
  await startAgent();
  await until(() => of('birth').length > birthsBefore, 5000, 'the birth of the restarted agent');
  assert.is(of('birth').at(-1)!.body.cameras[0].baseline, next.digest, 'the restarted agent uses the kept baseline');
  assert.is(metric(await metricsText(agent.port), 'driftwatch_baseline_info', { camera: 'yard', digest: next.digest }), 1);

  // reload: the configured file's digest differs from the one in use, so it wins again.
  const reloaded = await command('reload', encodeCommand({ name: 'reload', requestId: 'r-reload' }));
  assert.is(reloaded.ok, true, JSON.stringify(reloaded));
  assert.equal(reloaded.result.applied, ['cameras.yard.baseline']);
  assert.is(metric(await metricsText(agent.port), 'driftwatch_baseline_info', { camera: 'yard', digest: original }), 1);
  assert.is(of('birth').at(-1)!.body.cameras[0].baseline, original);
  assert.not.ok(await stat(join(state, 'baselines', 'yard.dwb')).catch(() => null), 'the kept re-baseline is removed');
  agent.signal('SIGTERM');
  assert.is(await agent.exited, 0);
});

Commands.run();
