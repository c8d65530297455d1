// `driftwatch run --mqtt` SIGKILLed at seeded random points while frames
// stream into its dir: source and restarted with the same state directory
// each time. A persistent-session subscriber records everything. Nothing the
// outbox kept is lost (per epoch the spooled seqs are 1..max with no gap, the
// final outbox is empty), copies carry the same key and bytes, the alert
// episode arrives as pending then firing once each, bdSeq rises run by run.
import { suite } from 'uvu';
import { seededRandom } from '../edge/mqtt/backoff.js';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from '@msgpack/msgpack';
import mqtt from 'mqtt';
import { FileOutbox } from '../edge/outbox/file-outbox.js';
import { markHistorical } from '../src/envelope/envelope.js';
import { killAgents } from './helpers/agent-process.js';
import { agentRuns, feedFrames, occlusionStream, recordDevice, sleep, stageFrames, type ReceivedMessage as Message } from './helpers/killed-agent-stream.js';
import { disposeMosquitto, startMosquitto, type Mosquitto } from './helpers/mosquitto.js';

// More frames than the round trip's 450: a kill loses the monitor's frames since its last
// checkpoint (≤ 1 s; the files are already deleted), and the window must still fill and drift.
const FRAMES = 750, DRIFT_AT = 550, PREFILLED = 300, KILLS = 5, SEED = 20261201;
const DEVICE = 'box-kill';
let work = '';
let jpegs: Buffer[] = [];
let broker: Mosquitto | undefined;
let client: mqtt.MqttClient | undefined;

const Kill = suite('driftwatch run --mqtt: SIGKILL mid-stream and restart');
Kill.before(async () => {
  work = await mkdtemp(join(tmpdir(), 'driftwatch-mqtt-kill-'));
  jpegs = await occlusionStream(FRAMES, DRIFT_AT);
  broker = await startMosquitto({ persistence: true });
});
Kill.after(async () => { killAgents(); await client?.endAsync(true); await disposeMosquitto(broker); await rm(work, { recursive: true, force: true }); });

async function until(condition: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

Kill(`${KILLS} SIGKILLs at seeded points (two during broker outages): nothing spooled is lost, copies keep key and bytes, the announced alerts arrive once each, bdSeq rises`, async () => {
  // The first window's worth is there at the start, so every run makes summaries; the rest streams in.
  const dirs = await stageFrames(work, jpegs, PREFILLED);
  const { frames, state } = dirs;

  const recorder = await recordDevice(broker!.url, DEVICE, { clientId: 'kill-sub', reconnectPeriod: 200 });
  client = recorder.client;
  const { received } = recorder;

  const { runs, start: startRun } = agentRuns({ device: DEVICE, frames, state, mqttUrl: broker!.url });
  const left: Array<{ topic: string; payload: Buffer; envelope: Record<string, any> }> = [];

  // 450 frames arrive at ~40/s (≈12 s, the drift from ≈6 s). Each run is killed a seeded 1.5 to 4 s
  // after it is up (its listen line), so that every run gets to process frames and spool messages.
  const random = seededRandom(SEED);
  const killAfter = Array.from({ length: KILLS }, () => 1500 + Math.floor(random() * 2500));
  let agent = await startRun();
  const feeding = feedFrames(dirs, PREFILLED, FRAMES);
  for (const [k, after] of killAfter.entries()) {
    // Before the 2nd and 4th kills the broker is down for the run's last second: the kill then
    // leaves unacknowledged entries in the outbox (on loopback the broker acknowledges at once).
    const outage = k === 1 || k === 3;
    await sleep(outage ? after - 1000 : after);
    if (outage) { await broker!.stop(); await sleep(1000); }
    agent.signal('SIGKILL');
    await agent.exited;
    // What the killed run left in its outbox (appended, not acknowledged) must arrive after the restart.
    const outbox = await FileOutbox.open(join(state, 'outbox'));
    for (const entry of await outbox.next(1_000_000)) left.push({ topic: entry.topic, payload: Buffer.from(entry.payload), envelope: decode(entry.payload) as Record<string, any> });
    await outbox.close();
    agent = await startRun();
    if (outage) await broker!.restart();
  }
  await feeding;
  await until(() => readdir(frames).then((left) => left.length === 0), 60_000, 'every frame processed');
  // The last run sends what the killed ones left in the outbox, and its own.
  await agent.until(() => runs.flatMap((r) => r.alerts).length >= 1, 30_000, 'an alert on some stdout');
  await until(() => received.filter((m) => m.envelope.kind === 'alert' && m.envelope.body.state === 'firing').length >= 1, 30_000, 'the firing alert over MQTT');
  agent.signal('SIGTERM');
  assert.is(await agent.exited, 0, 'the last run stops cleanly');
  const lastBdSeqOffline = () => received.some((m) => m.envelope.kind === 'state' && m.envelope.body.online === false && m.envelope.bdSeq === maxBdSeq());
  const maxBdSeq = () => Math.max(...received.map((m) => m.envelope.bdSeq));
  try {
    await until(lastBdSeqOffline, 10_000, 'the final offline state');
  } catch (error) {
    const states = received.filter((m) => m.envelope.kind === 'state').map((m) => `${m.envelope.body.online ? 'online' : 'offline'}@${m.envelope.bdSeq}`);
    throw new Error(`${(error as Error).message}; max bdSeq ${maxBdSeq()}, states ${states.join(' ')}; last run's log:\n${agent.stderrText.slice(-2500)}`);
  }
  await sleep(500);
  await client.endAsync();
  client = undefined;
  console.log(`    kills ${killAfter.join(', ')} ms after each start; ${runs.length} runs; ${received.length} messages received`);

  // The final clean stop left nothing unacknowledged in the outbox.
  const outbox = await FileOutbox.open(join(state, 'outbox'));
  const remaining = outbox.stats();
  await outbox.close();
  assert.is(remaining.entries, 0, `the outbox is empty after the final stop (${JSON.stringify(remaining)})`);

  assert.ok(left.length > 0, 'the kills during the outages left entries in the outbox');
  // Every entry a killed run left in the outbox arrived, under its key, the same message (hist aside).
  for (const entry of left) {
    const key = `${entry.envelope.bdSeq}/${entry.envelope.seq}`;
    const got = received.find((m) => m.topic === entry.topic && m.envelope.bdSeq === entry.envelope.bdSeq && m.envelope.seq === entry.envelope.seq);
    assert.ok(got, `the outbox entry ${key} (${entry.envelope.kind}) left by a kill arrived`);
    // Sent from a later connection's epoch it is replayed with hist set: otherwise the same bytes.
    const historical = Buffer.from(markHistorical(entry.payload));
    assert.ok(got!.bytes.equals(historical) || got!.bytes.equals(entry.payload), `the outbox entry ${key} arrived with its bytes (hist ${got!.envelope.hist})`);
  }

  // Copies carry the same key and the same bytes.
  const byKey = new Map<string, Buffer>();
  for (const m of received) {
    if (m.envelope.seq === 0) continue;
    assert.is(m.envelope.dev, DEVICE);
    const key = `${m.envelope.dev}/${m.envelope.bdSeq}/${m.envelope.seq}`;
    const seen = byKey.get(key);
    if (seen) {
      // hist may differ between the first send and a replay after a restart; everything else is the same message.
      const a = decode(seen) as Record<string, any>, b = m.envelope;
      assert.equal({ ...b, hist: null }, { ...a, hist: null }, `copy of ${key} differs`);
      if (a.hist === b.hist) assert.ok(seen.equals(m.bytes), `copy of ${key} has other bytes`);
    } else byKey.set(key, m.bytes);
  }
  const duplicates = received.filter((m) => m.envelope.seq > 0).length - byKey.size;

  // Per epoch: seq 1..max, no gap (a killed run's tail is missing only if it never reached the outbox).
  const epochs = new Map<number, Set<number>>();
  for (const m of received) {
    if (m.envelope.seq === 0) continue;
    const seqs = epochs.get(m.envelope.bdSeq) ?? new Set<number>();
    seqs.add(m.envelope.seq);
    epochs.set(m.envelope.bdSeq, seqs);
  }
  for (const [bdSeq, seqs] of epochs) {
    const max = Math.max(...seqs);
    const missing = Array.from({ length: max }, (_, i) => i + 1).filter((s) => !seqs.has(s));
    assert.equal(missing, [], `epoch ${bdSeq}: seqs missing from 1..${max}`);
  }

  // bdSeq strictly increases run by run: each run's online state has a larger bdSeq than the one before.
  const onlines = received.filter((m) => m.envelope.kind === 'state' && m.envelope.body.online === true).map((m) => m.envelope.bdSeq as number);
  for (let i = 1; i < onlines.length; i++) assert.ok(onlines[i] > onlines[i - 1], `bdSeq ${onlines[i]} after ${onlines[i - 1]}`);
  // And in the agents' own logs: every connection's bdSeq, run after run, rises (a run started during an
  // outage may be killed before it connects: it then has no online state).
  const connected = runs.flatMap((r) => r.logs.filter((l) => l.msg === 'MQTT connected').map((l) => Number(l.bdSeq)));
  for (let i = 1; i < connected.length; i++) assert.ok(connected[i] > connected[i - 1], `connected with bdSeq ${connected[i]} after ${connected[i - 1]}`);
  assert.ok(connected.length >= runs.length - 2, `${connected.length} connections in ${runs.length} runs`);
  for (const bdSeq of connected) assert.ok(onlines.includes(bdSeq), `the online state of bdSeq ${bdSeq} arrived`);

  // The alerts: once each after dropping copies by key, exactly what the runs announced on stdout, in order.
  const alertKeys = new Set<string>();
  const alerts = received.filter((m) => m.envelope.kind === 'alert').filter((m) => {
    const key = `${m.envelope.bdSeq}/${m.envelope.seq}`;
    if (alertKeys.has(key)) return false;
    alertKeys.add(key);
    return true;
  }).map((m) => m.envelope);
  // A transition a killed run journaled but had not finished delivering is printed again at the
  // restart, marked recovered: it counts once.
  const announced: string[] = [];
  for (const a of runs.flatMap((r) => r.alerts)) {
    const line = `${a.state}@${a.frame} ${a.id}`;
    if (a.recovered === true && announced.includes(line)) continue;
    announced.push(line);
  }
  assert.equal(alerts.map((a) => `${a.body.state}@${a.body.frame} ${a.body.id}`), announced, 'every announced transition arrives once, in order');
  // One drift episode: it ends firing, firing comes once, and no (id, state) repeats.
  // A kill loses the monitor's frames since its last checkpoint (docs/checkpoints.md, "what a restart
  // loses"), so the monitor sees a gapped stream that depends on where the kills fell in the
  // processing; a pending that clears (pending, ok) before the episode's pending and firing is
  // the detector's answer to that stream, not a lost or repeated message.
  const transitions = alerts.map((a) => a.body.state as string);
  const restores = runs.map((r, i) => `run ${i + 1}: ${JSON.stringify(r.logs.find((l) => /restored|no checkpoint/.test(l.msg))?.frames ?? 0)} frames restored; stdout ${JSON.stringify(r.alerts.map((a) => `${a.state}@${a.frame}`))}`);
  console.log(`    ${restores.join('\n    ')}`);
  if (transitions.join() !== 'pending,firing') console.log(`    alert transitions other than pending, firing:\n      ${restores.join('\n      ')}`);
  assert.is(transitions.filter((t) => t === 'firing').length, 1, `firing once: ${transitions.join(', ')}`);
  assert.is(transitions.at(-1), 'firing', 'the episode ends firing');
  // A kill between an alert's journal record and its outbox append no longer loses it: the restart
  // spools it under its journaled key (test/mqtt-agent-journal-kill.test.ts aims kills at that seam).
  assert.is(transitions.at(-2), 'pending', 'pending right before firing');
  assert.ok(transitions.slice(0, -2).every((t, i) => t === (i % 2 === 0 ? 'pending' : 'ok')), `only cleared pendings before the episode: ${transitions.join(', ')}`);
  const idStates = alerts.map((a) => `${a.body.id}/${a.body.state}`);
  assert.is(new Set(idStates).size, idStates.length, 'no (id, state) repeats');
  assert.ok(alerts.at(-1)!.body.frame > alerts.at(-2)!.body.frame, 'firing after pending');
  console.log(`    ${epochs.size} epochs with spooled messages, ${left.length} entries left in the outbox by kills, ${duplicates} copies, alerts ${alerts.map((a) => `${a.body.state}@${a.body.frame}`).join(' ')}`);
});

Kill.run();
