// `driftwatch run --mqtt` SIGKILLed the moment an alert transition reaches
// its journal (an inotify watch on <state>/alerts/yard.journal), i.e. at the
// seam between the journal append and the outbox append, for every
// transition of the episode, and restarted each time. The alerts arrive at
// the broker once per key, pending then firing, each under the key it was
// journaled with; the restarts deliver what the killed runs left undelivered
// (marked recovered on stdout); nothing fires twice.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { watch, type FSWatcher } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { JOURNAL_HEADER_BYTES } from '../edge/alerts/journal-format.js';
import { killAgents } from './helpers/agent-process.js';
import { agentRuns, feedFrames, occlusionStream, recordDevice, sleep, stageFrames, type ReceivedMessage as Message } from './helpers/killed-agent-stream.js';
import { disposeMosquitto, startMosquitto, type Mosquitto } from './helpers/mosquitto.js';

const FRAMES = 750, DRIFT_AT = 550, PREFILLED = 300, MAX_KILLS = 4;
const DEVICE = 'box-journal';
let work = '';
let jpegs: Buffer[] = [];
let broker: Mosquitto | undefined;
let client: mqtt.MqttClient | undefined;

const Kill = suite('driftwatch run --mqtt: SIGKILL as each alert is journaled');
Kill.before(async () => {
  work = await mkdtemp(join(tmpdir(), 'driftwatch-journal-kill-'));
  jpegs = await occlusionStream(FRAMES, DRIFT_AT);
  broker = await startMosquitto();
});
Kill.after(async () => { killAgents(); await client?.endAsync(true); await disposeMosquitto(broker); await rm(work, { recursive: true, force: true }); });

Kill('each kill right after a journal append: every transition arrives once, under its journaled key, pending then firing', async () => {
  const dirs = await stageFrames(work, jpegs, PREFILLED);
  const { frames, state } = dirs;
  const journal = join(state, 'alerts', 'yard.journal');

  const recorder = await recordDevice(broker!.url, DEVICE, { clientId: 'journal-kill-sub' });
  client = recorder.client;
  const { received } = recorder;

  const { runs, start: startRun } = agentRuns({ device: DEVICE, frames, state, mqttUrl: broker!.url });
  const feeding = feedFrames(dirs, PREFILLED, FRAMES);

  // Kill the run as soon as its journal holds a record (started runs have emptied it).
  let kills = 0;
  let agent = await startRun();
  while (kills < MAX_KILLS) {
    const killed = await new Promise<boolean>((resolve) => {
      let watcher: FSWatcher | null = null;
      const done = (value: boolean) => { watcher?.close(); clearInterval(idle); resolve(value); };
      watcher = watch(journal, () => {
        void stat(journal).then((s) => { if (s.size > JOURNAL_HEADER_BYTES) { agent.signal('SIGKILL'); done(true); } }, () => undefined);
      });
      // No more transitions once every frame was taken.
      const idle = setInterval(() => { void readdir(frames).then((left) => { if (left.length === 0) done(false); }); }, 500);
    });
    if (!killed) break;
    kills++;
    await agent.exited;
    agent = await startRun();
  }
  await feeding;
  for (let i = 0; i < 600 && (await readdir(frames)).length > 0; i++) await sleep(100);
  const alertsAtBroker = () => received.filter((m) => m.envelope.kind === 'alert').length;
  for (let i = 0; i < 100 && alertsAtBroker() < 2; i++) await sleep(100);
  agent.signal('SIGTERM');
  assert.is(await agent.exited, 0, 'the last run stops cleanly');
  await sleep(500);
  await client.endAsync();
  client = undefined;

  const recoveredLogs = runs.flatMap((r) => r.logs.filter((l) => /recovered from the journal/.test(l.msg)));
  const stdoutLines = runs.flatMap((r) => r.alerts);
  console.log(`    ${kills} kills at journal appends, ${runs.length} runs, ${recoveredLogs.length} transitions delivered again at a restart; stdout ${stdoutLines.map((a) => `${a.state}@${a.frame}${a.recovered ? ' (recovered)' : ''}`).join(', ')}`);
  assert.ok(kills >= 2, `the episode's transitions were each killed at: ${kills} kills`);

  // At the broker: copies share key and body; once each by key, the episode is pending then firing.
  const byKey = new Map<string, Message>();
  for (const m of received.filter((x) => x.envelope.kind === 'alert')) {
    const key = `${m.envelope.bdSeq}/${m.envelope.seq}`;
    const seen = byKey.get(key);
    if (seen) assert.equal({ ...m.envelope, hist: null }, { ...seen.envelope, hist: null }, `copy of ${key} differs`);
    else byKey.set(key, m);
  }
  const alerts = [...byKey.values()].map((m) => m.envelope);
  const transitions = alerts.map((a) => a.body.state as string);
  assert.is(transitions.filter((t) => t === 'firing').length, 1, `firing once: ${transitions.join(', ')}`);
  assert.is(transitions.at(-1), 'firing');
  assert.is(transitions.at(-2), 'pending', `pending right before firing: ${transitions.join(', ')}`);
  const idStates = alerts.map((a) => `${a.body.id}/${a.body.state}`);
  assert.is(new Set(idStates).size, idStates.length, `no (id, state) under two keys: ${idStates.join(', ')}`);

  // Checked after the broker's account, which is what matters; this says the seam was hit.
  assert.ok(recoveredLogs.length >= 1, 'at least one kill fell between the journal append and the end of delivery');
  // Each recovered transition arrived under the key of the run that journaled it (an older epoch), marked hist.
  for (const log of recoveredLogs) {
    const got = alerts.find((a) => a.body.frame === log.frame && a.body.state === log.state);
    assert.ok(got, `the recovered ${String(log.state)}@${String(log.frame)} arrived`);
    const connectedAfter = Math.max(...received.filter((m) => m.envelope.kind === 'state' && m.envelope.body.online).map((m) => m.envelope.bdSeq as number));
    assert.ok(got!.bdSeq < connectedAfter, 'under the epoch it was made in');
  }
  // stdout: every transition printed; a repeat only as a recovered line.
  const printed = new Set<string>();
  for (const line of stdoutLines) {
    const key = `${String(line.id)}/${String(line.state)}`;
    if (printed.has(key)) assert.is(line.recovered, true, `${key} printed twice, the second time not marked recovered`);
    printed.add(key);
  }
  for (const key of idStates) assert.ok(printed.has(key), `${key} was printed on stdout`);
});

Kill.run();
