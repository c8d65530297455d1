// The alert journal at the seams of a crash, in process: a run is "killed"
// by dropping it between two steps of the alert path (journal append, outbox
// append, delivered marker, checkpoint) and a new run starts from the same
// state directory. After each, the alert reaches the outbox under its
// original (dev, bdSeq, seq), the restored monitor neither forgets it nor
// fires it again, and a checkpoint that covers the journal empties it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { decode } from '@msgpack/msgpack';
import { AlertJournal } from '../edge/alerts/alert-journal.js';
import { AlertLedger } from '../edge/alerts/alert-ledger.js';
import { JOURNAL_HEADER_BYTES } from '../edge/alerts/journal-format.js';
import { alertJournalPath, restoreCamera } from '../edge/alerts/restore-camera.js';
import { Checkpointer } from '../edge/checkpoint/checkpointer.js';
import { CheckpointStore } from '../edge/checkpoint/checkpoint-store.js';
import { loadAgentConfig } from '../edge/config/index.js';
import { AgentMetrics } from '../edge/observability/metrics.js';
import { BdSeqStore } from '../edge/upstream/bdseq-store.js';
import { Upstream } from '../edge/upstream/upstream.js';
import type { Baseline } from '../src/baseline/baseline.js';
import type { AlertEvent } from '../src/policy/alert-types.js';
import { DriftMonitor, type DriftMonitorOptions, type MonitorFrame } from '../src/policy/drift-monitor.js';
import { ArrayOutbox } from './helpers/array-outbox.js';
import { monitorFrames, stableBaseline } from './helpers/monitor-stream.js';
import { repoPath } from './helpers/paths.js';

const CAMERA = 'gate-3', DEVICE = 'dev-j', CHECKPOINT = `camera-${CAMERA}`;
// luma_mean steps down 6 sd from frame 1000: pending at 1024, firing at 1074 (checkpoint-monitor.test.ts).
const frames: MonitorFrame[] = monitorFrames(41, 1400, (i) => (i >= 1000 ? { luma_mean: -6 } : {}));
let baseline: Baseline;
let dir = '';
const options = (): DriftMonitorOptions => ({ camera: CAMERA, baseline, checkEvery: 25 });
const feed = (m: DriftMonitor, from: number, to: number) => frames.slice(from, to).flatMap((f) => m.update(f));
const states = (events: AlertEvent[]) => events.map((e) => `${e.state}@${e.frame}`);
// After a restart the frames since the checkpoint are gone, so later checks fall on other frames: compare states and ids.
const episode = (events: AlertEvent[]) => events.map((e) => `${e.state} ${e.id}`);
const silent = pino({ level: 'silent' });

/** An Upstream as the agent builds it, over an in-memory outbox, its epoch taken (it never connects). */
async function upstreamOn(outbox: ArrayOutbox): Promise<Upstream> {
  const config = loadAgentConfig({ argv: ['--device', DEVICE, '--camera', CAMERA, '--source', 'http:', '--baseline', repoPath('samples/demo/coffee-cam.dwb'), '--state-dir', dir, '--mqtt', 'mqtt://127.0.0.1:9'], env: {} });
  const upstream = new Upstream({
    config, baselines: new Map([[CAMERA, baseline]]), features: new Map([[CAMERA, []]]), outbox, bdSeq: new BdSeqStore(dir), log: silent,
    metrics: new AgentMetrics({ cameras: [CAMERA], defaultMetrics: false }), agentVersion: 'test', configHash: 'test', onCommand: () => undefined,
  });
  // What start() does before it connects: the run's first epoch.
  (upstream as unknown as { stamper: { startEpoch(n: number): void } }).stamper.startEpoch(await new BdSeqStore(dir).next());
  return upstream;
}

/** A first run: checkpoint at frame 1010 (alert ok), then frames to 1025, whose check goes pending; journaled. */
async function firstRunUntilJournaled(outbox: ArrayOutbox) {
  const store = new CheckpointStore(dir);
  const monitor = new DriftMonitor(options());
  assert.equal(feed(monitor, 0, 1010), []);
  await store.save(CHECKPOINT, { ...monitor.toJSON(), alertJournal: 0 });
  const { journal } = await AlertJournal.open(alertJournalPath(dir, CAMERA));
  const upstream = await upstreamOn(outbox);
  const ledger = new AlertLedger({ camera: CAMERA, journal, counter: 0, stamp: (e) => upstream.stampAlert(e) });
  const events = feed(monitor, 1010, 1025);
  assert.equal(states(events), ['pending@1024']);
  const recorded = await ledger.record(events, monitor.lifecycle.toJSON());
  assert.is(recorded.error, null);
  return { store, monitor, journal, ledger, upstream, events, recorded };
}

const restart = () => restoreCamera(new CheckpointStore(dir), dir, CHECKPOINT, options());
const keyOf = (payload: Uint8Array) => { const e = decode(payload) as { bdSeq: number; seq: number }; return `${e.bdSeq}/${e.seq}`; };

const seams = suite('alert journal: a crash at each seam of the alert path');
seams.before(async () => { ({ baseline } = await stableBaseline()); });
seams.before.each(async () => { dir = await mkdtemp(join(tmpdir(), 'driftwatch-journal-restart-')); });
seams.after.each(async () => { await rm(dir, { recursive: true, force: true }); });

seams('killed after the journal append, before the outbox append: the alert is spooled at restart under its key, and not fired again', async () => {
  const outbox = new ArrayOutbox();
  const first = await firstRunUntilJournaled(outbox);
  await first.journal.close(); // the process dies here: nothing reached the outbox
  assert.is(outbox.entries.length, 0);

  const restored = await restart();
  assert.is(restored.start.kind, 'restored');
  assert.is(restored.monitor.lifecycle.state, 'pending', 'the journal brings the pending alert forward over the older checkpoint');
  assert.is(restored.monitor.lifecycle.alertId, `${CAMERA}:1024`);
  assert.is(restored.replay.undelivered.length, 1);
  const [record] = restored.replay.undelivered;
  assert.equal(record.events.map((e) => e.event), first.events);
  assert.equal(record.events[0].stamped!.payload, first.recorded.stamped[0]!.payload, 'the journal holds the exact envelope bytes');

  // The new run's upstream puts it back, under the first run's (bdSeq, seq).
  const upstream = await upstreamOn(outbox);
  await upstream.alert(record.events[0].event, DEVICE, { stamped: record.events[0].stamped, journaled: true, recovered: true });
  assert.is(outbox.entries.length, 1);
  assert.equal(outbox.entries[0].payload, first.recorded.stamped[0]!.payload);
  assert.is(keyOf(outbox.entries[0].payload), '0/1');

  // The camera goes on (the frames the crash took are gone): firing follows, pending does not repeat.
  assert.equal(episode(feed(restored.monitor, 1025, 1200)), [`firing ${CAMERA}:1024`]);
  await restored.journal.close();
});

seams('without the journal the same crash would fire the alert again under a new id (what the journal prevents)', async () => {
  const outbox = new ArrayOutbox();
  const first = await firstRunUntilJournaled(outbox);
  await first.journal.close();
  await rm(alertJournalPath(dir, CAMERA));
  const restored = await restart();
  assert.is(restored.monitor.lifecycle.state, 'ok');
  const after = feed(restored.monitor, 1025, 1200);
  assert.equal(states(after), ['pending@1039', 'firing@1089'], 'a second episode, under a new id');
  await restored.journal.close();
});

seams('killed after the outbox append, before the delivered marker: not spooled twice while the outbox holds it', async () => {
  const outbox = new ArrayOutbox();
  const first = await firstRunUntilJournaled(outbox);
  await first.upstream.alert(first.events[0], DEVICE, { stamped: first.recorded.stamped[0], journaled: true, recovered: false });
  await first.journal.close();
  assert.is(outbox.entries.length, 1);

  const restored = await restart();
  assert.is(restored.replay.undelivered.length, 1, 'no marker: delivered again');
  const upstream = await upstreamOn(outbox);
  const again = restored.replay.undelivered[0].events[0];
  await upstream.alert(again.event, DEVICE, { stamped: again.stamped, journaled: true, recovered: true });
  assert.is(outbox.entries.length, 1, 'the outbox still held it: not appended again');
  // Once acknowledged (gone from the outbox), a redelivery appends a copy under the same key.
  await outbox.ack(outbox.entries[0].id);
  await upstream.alert(again.event, DEVICE, { stamped: again.stamped, journaled: true, recovered: true });
  assert.equal(outbox.entries.map((e) => keyOf(e.payload)), ['0/1']);
  assert.equal(episode(feed(restored.monitor, 1025, 1200)), [`firing ${CAMERA}:1024`]);
  await restored.journal.close();
});

seams('killed after delivery, before the checkpoint: nothing delivered again, nothing fired again', async () => {
  const outbox = new ArrayOutbox();
  const first = await firstRunUntilJournaled(outbox);
  await first.upstream.alert(first.events[0], DEVICE, { stamped: first.recorded.stamped[0], journaled: true, recovered: false });
  await first.ledger.delivered(first.recorded.counter);
  await first.journal.close();

  const restored = await restart();
  assert.is(restored.replay.newer.length, 1);
  assert.is(restored.replay.undelivered.length, 0);
  assert.is(restored.replay.counter, 1, 'the next transition is counted on from the journal');
  assert.is(restored.monitor.lifecycle.state, 'pending');
  assert.equal(episode(feed(restored.monitor, 1025, 1200)), [`firing ${CAMERA}:1024`]);
  assert.is(outbox.entries.length, 1);
  await restored.journal.close();
});

seams('a checkpoint covers what was journaled before it and empties the journal; the next start takes the checkpoint alone', async () => {
  const outbox = new ArrayOutbox();
  const first = await firstRunUntilJournaled(outbox);
  let covers = 0, settledAtSnapshot: boolean | null = null;
  const checkpointer = new Checkpointer({
    store: first.store, name: CHECKPOINT, onError: (error) => { throw error; },
    settled: () => first.ledger.settled(),
    snapshot: () => { settledAtSnapshot = first.ledger.settled() === null; return { ...first.monitor.toJSON(), alertJournal: (covers = first.ledger.counter) }; },
    onSaved: () => { void first.ledger.compact(covers); },
  });
  // A second transition is being journaled when the checkpoint is asked for: the snapshot waits for it.
  const firing = feed(first.monitor, 1025, 1075);
  assert.equal(states(firing), ['firing@1074']);
  const recording = first.ledger.record(firing, first.monitor.lifecycle.toJSON());
  assert.ok(first.ledger.settled(), 'a transition is being journaled');
  assert.ok(await checkpointer.flush());
  assert.is(settledAtSnapshot, true, 'the snapshot was taken once the journal append was done');
  assert.is((await recording).counter, 2);
  assert.is(covers, 2);
  await first.journal.close();
  assert.is((await readFile(alertJournalPath(dir, CAMERA))).length, JOURNAL_HEADER_BYTES, 'the journal was emptied');

  const restored = await restart();
  assert.is(restored.start.kind === 'restored' && restored.start.journalCovers, 2);
  assert.is(restored.replay.newer.length, 0);
  assert.is(restored.replay.counter, 2, 'counters go on from the checkpoint');
  assert.is(restored.monitor.lifecycle.state, 'firing');
  await restored.journal.close();
});

seams('a journal newer than the checkpoint but kept after one that covers part of it: only the newer records apply', async () => {
  const outbox = new ArrayOutbox();
  const first = await firstRunUntilJournaled(outbox);
  await first.store.save(CHECKPOINT, { ...first.monitor.toJSON(), alertJournal: 1 });
  const firing = feed(first.monitor, 1025, 1075);
  await first.ledger.record(firing, first.monitor.lifecycle.toJSON());
  await first.journal.close();
  const restored = await restart();
  assert.equal(restored.replay.newer.map((r) => r.counter), [2]);
  assert.is(restored.monitor.lifecycle.state, 'firing');
  await restored.journal.close();
});

seams('a journaled alert state that does not fit the monitor (another baseline) is refused, not applied', async () => {
  const outbox = new ArrayOutbox();
  const first = await firstRunUntilJournaled(outbox);
  await first.journal.close();
  const other = { ...baseline, header: { ...baseline.header, digest: 'sha256:' + '0'.repeat(64) } } as Baseline;
  const restored = await restoreCamera(new CheckpointStore(dir), dir, CHECKPOINT, { ...options(), baseline: other });
  assert.is(restored.start.kind, 'fresh');
  assert.match(restored.lifecycleRefused ?? '', /baselineDigest/);
  assert.is(restored.monitor.lifecycle.state, 'ok');
  assert.is(restored.replay.undelivered.length, 1, 'its undelivered alert is still delivered');
  await restored.journal.close();
});

seams('a fresh start (no checkpoint) takes the journal\'s alert state, and frame numbers go on past its last check', async () => {
  const outbox = new ArrayOutbox();
  const first = await firstRunUntilJournaled(outbox);
  await first.journal.close();
  await rm(join(dir, `${CHECKPOINT}.ckpt`));
  const restored = await restart();
  assert.is(restored.start.kind, 'fresh');
  assert.is(restored.monitor.lifecycle.state, 'pending');
  assert.is(restored.monitor.lifecycle.lastFrame, 1024);
  await restored.journal.close();
});

const order = suite('Upstream: a stamped alert keeps its place in seq order');
order.before(async () => { ({ baseline } = await stableBaseline()); });
order.before.each(async () => { dir = await mkdtemp(join(tmpdir(), 'driftwatch-journal-order-')); });
order.after.each(async () => { await rm(dir, { recursive: true, force: true }); });

order('a message stamped after an alert waits for the alert\'s append, so a crash cannot leave a later seq without an earlier one', async () => {
  const outbox = new ArrayOutbox();
  const upstream = await upstreamOn(outbox);
  const monitor = new DriftMonitor(options());
  const [event] = feed(monitor, 0, 1025);
  const stamped = upstream.stampAlert(event);
  const reply = upstream.reply('rebirth', null, { ok: true });
  await new Promise((r) => setTimeout(r, 20));
  assert.is(outbox.entries.length, 0, 'the reply (seq 2) waits while the alert (seq 1) is being journaled');
  await upstream.spoolAlert(stamped);
  await reply;
  assert.equal(outbox.entries.map((e) => keyOf(e.payload)), ['0/1', '0/2']);
  try {
    await upstream.spoolAlert(stamped);
    assert.unreachable('spooled twice');
  } catch (error) {
    assert.match((error as Error).message, /once/);
  }
});

seams.run();
order.run();
