// The contract every outbox backend keeps (edge/outbox/outbox.ts), run
// against each one as MQTT.js runs one suite against every message store:
// order, lanes, exclude, ids, the byte/entry/age bounds and their drop
// counts, refusals, stats, and close.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Outbox, OutboxLane, OutboxLimits, OutboxMessage } from '../edge/outbox/outbox.js';
import { DEFAULT_OUTBOX_LIMITS } from '../edge/outbox/outbox-limits.js';

export interface OutboxBackend {
  name: string;
  /** A fresh, empty outbox reading the given clock. */
  open(limits: OutboxLimits, now: () => number): Promise<Outbox>;
  /** Removes what open made (after each test). */
  cleanup(): Promise<void>;
}

const T0 = 1_800_000_000_000;

/** A message whose payload is `bytes` long and starts with `n`. */
export function message(n: number, lane: OutboxLane = 'bulk', bytes = 10): OutboxMessage {
  const payload = new Uint8Array(bytes);
  payload.fill(n & 0xff);
  return { topic: `driftwatch/v1/cam-${n}/summary`, payload, lane };
}

const ids = (entries: { id: number }[]) => entries.map((e) => e.id);
const noDrops = { bytes: 0, entries: 0, age: 0, corrupt: 0 };

export function outboxContract(backend: OutboxBackend): void {
  const test = suite(`Outbox contract: ${backend.name}`);
  let clock = T0;
  const now = () => clock;
  const open = (limits: Partial<OutboxLimits> = {}) => backend.open({ ...DEFAULT_OUTBOX_LIMITS, ...limits }, now);
  test.before.each(() => { clock = T0; });
  test.after.each(() => backend.cleanup());

  test('append returns the stored entry; next gives entries oldest first; ack removes one', async () => {
    const outbox = await open();
    const a = await outbox.append(message(1));
    assert.equal(a, { id: a.id, createdMs: T0, ...message(1) });
    clock += 5;
    const b = await outbox.append(message(2));
    const c = await outbox.append(message(3));
    assert.is(b.createdMs, T0 + 5);
    assert.equal(await outbox.next(10), [a, b, c]);
    await outbox.ack(b.id);
    assert.equal(ids(await outbox.next(10)), [a.id, c.id]);
    await outbox.close();
  });

  test('ids increase with every append, across lanes, also for appends made at once', async () => {
    const outbox = await open();
    const entries = await Promise.all(Array.from({ length: 40 }, (_, n) => outbox.append(message(n, n % 3 === 0 ? 'priority' : 'bulk'))));
    for (let n = 1; n < entries.length; n++) assert.ok(entries[n].id > entries[n - 1].id, `append ${n}`);
    assert.is(new Set(ids(entries)).size, 40);
    await outbox.close();
  });

  test('every priority entry comes before any bulk entry, each lane oldest first', async () => {
    const outbox = await open();
    const lanes: OutboxLane[] = ['bulk', 'priority', 'bulk', 'priority', 'bulk'];
    const entries = [];
    for (const [n, lane] of lanes.entries()) entries.push(await outbox.append(message(n, lane)));
    assert.equal(ids(await outbox.next(10)), [entries[1], entries[3], entries[0], entries[2], entries[4]].map((e) => e.id));
    assert.equal(ids(await outbox.next(3)), [entries[1], entries[3], entries[0]].map((e) => e.id));
    assert.equal(await outbox.next(0), []);
    await outbox.close();
  });

  test('next skips the excluded (in-flight) ids and still fills up to the limit', async () => {
    const outbox = await open();
    const entries = [];
    for (let n = 0; n < 5; n++) entries.push(await outbox.append(message(n, n === 4 ? 'priority' : 'bulk')));
    const inFlight = new Set([entries[4].id, entries[0].id]);
    assert.equal(ids(await outbox.next(2, inFlight)), [entries[1].id, entries[2].id]);
    assert.equal(ids(await outbox.next(10, new Set(ids(entries)))), []);
    await assert_rejects(outbox.next(-1), RangeError);
    await outbox.close();
  });

  test('maxBytes: the oldest bulk entries are dropped first, counted as bytes; priority stays', async () => {
    const outbox = await open({ maxBytes: 100 });
    const p = await outbox.append(message(0, 'priority', 30));
    const b1 = await outbox.append(message(1, 'bulk', 30));
    const b2 = await outbox.append(message(2, 'bulk', 30));
    const b3 = await outbox.append(message(3, 'bulk', 30)); // 120 > 100: b1 goes
    assert.equal(ids(await outbox.next(10)), [p.id, b2.id, b3.id]);
    const p2 = await outbox.append(message(4, 'priority', 41)); // 131: b2 goes (101), then b3
    assert.equal(ids(await outbox.next(10)), [p.id, p2.id]);
    const stats = outbox.stats();
    assert.equal(stats.dropped, { priority: noDrops, bulk: { ...noDrops, bytes: 3 } });
    assert.equal(stats.lanes, { priority: { entries: 2, bytes: 71 }, bulk: { entries: 0, bytes: 0 } });
    await outbox.close();
  });

  test('maxEntries: the oldest bulk entries are dropped first, counted as entries', async () => {
    const outbox = await open({ maxEntries: 3 });
    const b1 = await outbox.append(message(1));
    const p = await outbox.append(message(2, 'priority'));
    const b2 = await outbox.append(message(3));
    const b3 = await outbox.append(message(4));
    assert.equal(ids(await outbox.next(10)), [p.id, b2.id, b3.id]);
    assert.ok(b1.id < b2.id);
    assert.equal(outbox.stats().dropped.bulk, { ...noDrops, entries: 1 });
    await outbox.close();
  });

  test('a bulk message never displaces a priority one: with only priority left it is dropped itself', async () => {
    const outbox = await open({ maxEntries: 2 });
    const p1 = await outbox.append(message(1, 'priority'));
    const p2 = await outbox.append(message(2, 'priority'));
    const b = await outbox.append(message(3, 'bulk'));
    assert.ok(b.id > p2.id);
    assert.equal(ids(await outbox.next(10)), [p1.id, p2.id]);
    assert.equal(outbox.stats().dropped, { priority: noDrops, bulk: { ...noDrops, entries: 1 } });
    await outbox.close();
  });

  test('priority alone over the bounds: the oldest priority entries are dropped and counted', async () => {
    const outbox = await open({ maxEntries: 2, maxBytes: 50 });
    const p1 = await outbox.append(message(1, 'priority', 20));
    const p2 = await outbox.append(message(2, 'priority', 20));
    const p3 = await outbox.append(message(3, 'priority', 20)); // 3 entries, 60 bytes: p1 goes (bytes)
    assert.equal(ids(await outbox.next(10)), [p2.id, p3.id]);
    const p4 = await outbox.append(message(4, 'priority', 5)); // 45 bytes, 3 entries: p2 goes (entries)
    assert.equal(ids(await outbox.next(10)), [p3.id, p4.id]);
    assert.ok(p1.id < p2.id);
    assert.equal(outbox.stats().dropped.priority, { ...noDrops, bytes: 1, entries: 1 });
    await outbox.close();
  });

  test('maxAgeMs: entries older than the bound are dropped from both lanes, counted as age', async () => {
    const outbox = await open({ maxAgeMs: 1000 });
    await outbox.append(message(1, 'priority'));
    await outbox.append(message(2, 'bulk'));
    clock += 500;
    const young = await outbox.append(message(3, 'bulk'));
    clock += 500; // the first two are exactly maxAgeMs old: kept
    assert.is((await outbox.next(10)).length, 3);
    clock += 1;
    assert.equal(ids(await outbox.next(10)), [young.id]);
    assert.equal(outbox.stats().dropped, { priority: { ...noDrops, age: 1 }, bulk: { ...noDrops, age: 1 } });
    clock += 10_000;
    const fresh = await outbox.append(message(4, 'priority')); // an append expires old entries too
    assert.equal(outbox.stats().dropped.bulk.age, 2);
    assert.equal(ids(await outbox.next(10)), [fresh.id]);
    await outbox.close();
  });

  test('a message larger than maxBytes is refused with RangeError in either lane; nothing is stored or dropped', async () => {
    const outbox = await open({ maxBytes: 64 });
    await outbox.append(message(1, 'bulk', 64));
    for (const lane of ['priority', 'bulk'] as const) {
      await assert_rejects(outbox.append(message(2, lane, 65)), RangeError, /larger than limits\.maxBytes \(64\)/);
    }
    assert.is(outbox.stats().entries, 1);
    assert.equal(outbox.stats().dropped, { priority: noDrops, bulk: noDrops });
    await outbox.close();
  });

  test('malformed messages are refused with TypeError', async () => {
    const outbox = await open();
    await assert_rejects(outbox.append({ ...message(1), topic: '' }), TypeError, /topic/);
    await assert_rejects(outbox.append({ ...message(1), lane: 'urgent' as OutboxLane }), TypeError, /lane/);
    await assert_rejects(outbox.append({ ...message(1), payload: [1, 2] as unknown as Uint8Array }), TypeError, /payload/);
    assert.is(outbox.stats().entries, 0);
    await outbox.close();
  });

  test('bad limits are refused with RangeError', async () => {
    await assert_rejects(open({ maxBytes: 0 }), RangeError, /maxBytes/);
    await assert_rejects(open({ maxEntries: 1.5 }), RangeError, /maxEntries/);
    await assert_rejects(open({ maxAgeMs: NaN }), RangeError, /maxAgeMs/);
  });

  test('ack of an unknown, already acked or dropped id is ignored', async () => {
    const outbox = await open({ maxEntries: 1 });
    const a = await outbox.append(message(1));
    const b = await outbox.append(message(2)); // a is dropped
    await outbox.ack(a.id);
    await outbox.ack(999_999);
    await outbox.ack(b.id);
    await outbox.ack(b.id);
    assert.equal(await outbox.next(10), []);
    assert.is(outbox.stats().dropped.bulk.entries, 1);
    await outbox.close();
  });

  test('stats: entries and payload bytes, per lane and in total, exactly', async () => {
    const outbox = await open();
    assert.equal(outbox.stats(), { entries: 0, bytes: 0, lanes: { priority: { entries: 0, bytes: 0 }, bulk: { entries: 0, bytes: 0 } }, dropped: { priority: noDrops, bulk: noDrops } });
    await outbox.append(message(1, 'priority', 7));
    const b = await outbox.append(message(2, 'bulk', 11));
    await outbox.append(message(3, 'bulk', 13));
    await outbox.append(message(4, 'bulk', 0));
    await outbox.ack(b.id);
    assert.equal(outbox.stats(), { entries: 3, bytes: 20, lanes: { priority: { entries: 1, bytes: 7 }, bulk: { entries: 2, bytes: 13 } }, dropped: { priority: noDrops, bulk: noDrops } });
    await outbox.close();
  });

  test('after close, append, next and ack reject', async () => {
    const outbox = await open();
    const a = await outbox.append(message(1));
    await outbox.close();
    await assert_rejects(outbox.append(message(2)), Error, /closed/);
    await assert_rejects(outbox.next(1), Error, /closed/);
    await assert_rejects(outbox.ack(a.id), Error, /closed/);
  });

  test.run();
}

/** Asserts that `promise` rejects with an instance of `type` whose message matches. */
async function assert_rejects(promise: Promise<unknown>, type: new (...args: never[]) => Error, pattern?: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, type);
    if (pattern) assert.match((error as Error).message, pattern);
    return;
  }
  assert.unreachable(`expected a ${type.name}`);
}
