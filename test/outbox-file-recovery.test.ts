// The file outbox across reopen: un-acked entries come back in order, acked
// and dropped ones do not, ids are never reused; damage (a torn tail, a
// flipped byte anywhere in a record) costs only the damaged record, is
// counted once as 'corrupt', and the rest is kept; fully removed segments are
// deleted so the directory stays bounded.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileOutbox } from '../edge/outbox/file-outbox.js';
import { DEFAULT_OUTBOX_LIMITS } from '../edge/outbox/outbox-limits.js';
import { outboxDiskBytes } from '../edge/outbox/outbox-recovery.js';
import { scanSegment } from '../edge/outbox/segment-scan.js';
import { RECORD_OVERHEAD_BYTES, SEGMENT_HEADER_BYTES } from '../edge/outbox/record-format.js';
import type { OutboxEntry } from '../edge/outbox/outbox.js';
import { message } from './outbox-contract.js';

let dir: string;
const test = suite('FileOutbox across reopen and damage');
test.before.each(async () => { dir = await mkdtemp(join(tmpdir(), 'driftwatch-outbox-')); });
test.after.each(async () => { await rm(dir, { recursive: true, force: true }); });

const T0 = 1_800_000_000_000;
const open = (limits = {}, segmentBytes?: number) => FileOutbox.open(dir, { ...DEFAULT_OUTBOX_LIMITS, ...limits }, { now: () => T0, segmentBytes });
const everything = (outbox: FileOutbox) => outbox.next(Number.MAX_SAFE_INTEGER);
const ids = (entries: { id: number }[]) => entries.map((e) => e.id);
/** The length of one test record: the topic of message(n) has 27 bytes for n < 10. */
const recordBytes = (payload: number) => RECORD_OVERHEAD_BYTES + 27 + payload;

test('reopen gives back the un-acked entries of both lanes, in order and byte for byte; acked ones stay gone', async () => {
  const first = await open({}, 200);
  const appended: OutboxEntry[] = [];
  for (let n = 0; n < 9; n++) appended.push(await first.append(message(n, n % 3 === 0 ? 'priority' : 'bulk', 20 + n)));
  await first.ack(appended[1].id);
  await first.ack(appended[3].id);
  const expected = await everything(first);
  await first.close();
  const second = await open({}, 200);
  assert.equal(await everything(second), expected);
  assert.equal(ids(expected), [1, 7, 3, 5, 6, 8, 9].map((n) => appended[n - 1].id));
  assert.equal(second.stats(), first.stats());
  await second.close();
});

test('ids go on after the highest ever given, even when everything was acked and segments deleted', async () => {
  const first = await open({}, 128);
  let last = 0;
  for (let n = 0; n < 10; n++) {
    const entry = await first.append(message(n, n % 2 ? 'bulk' : 'priority'));
    await first.ack(entry.id);
    last = entry.id;
  }
  await first.close();
  assert.ok((await readdir(dir)).length <= 4, 'old segments deleted');
  const second = await open({}, 128);
  assert.equal(await everything(second), []);
  assert.is((await second.append(message(1))).id, last + 1);
  await second.close();
});

test('drops are durable: entries dropped for the bounds do not come back; lower limits at reopen drop the oldest bulk', async () => {
  const first = await open({ maxEntries: 3 });
  for (let n = 0; n < 6; n++) await first.append(message(n, n === 0 ? 'priority' : 'bulk'));
  const kept = await everything(first);
  await first.close();
  const second = await open({ maxEntries: 3 });
  assert.equal(await everything(second), kept);
  await second.close();
  const third = await open({ maxEntries: 1 });
  assert.equal(ids(await everything(third)), [kept[0].id]);
  assert.equal(third.stats().dropped.bulk, { bytes: 0, entries: 2, age: 0, corrupt: 0 });
  await third.close();
});

test('a torn tail (the last record cut mid-write) is cut off, counted once as corrupt, and appends go on after it', async () => {
  const first = await open();
  for (let n = 0; n < 5; n++) await first.append(message(n, 'bulk', 30));
  await first.close();
  const size = SEGMENT_HEADER_BYTES + 5 * recordBytes(30);
  assert.is((await readFile(join(dir, 'bulk-1.seg'))).length, size);
  await truncate(join(dir, 'bulk-1.seg'), size - 7);
  const second = await open();
  assert.equal(ids(await everything(second)), [1, 2, 3, 4]);
  assert.equal(second.stats().dropped.bulk, { bytes: 0, entries: 0, age: 0, corrupt: 1 });
  assert.is((await second.append(message(6))).id, 5, 'the torn record was never acknowledged to anyone, so its id is free');
  await second.close();
  const third = await open();
  assert.equal(ids(await everything(third)), [1, 2, 3, 4, 5]);
  assert.is(third.stats().dropped.bulk.corrupt, 0, 'counted once');
  await third.close();
});

test('a flipped byte in the middle of a record: that record alone is lost and counted; the rest is kept', async () => {
  const first = await open();
  for (let n = 0; n < 5; n++) await first.append(message(n, 'priority', 30));
  await first.close();
  const path = join(dir, 'priority-1.seg');
  const bytes = await readFile(path);
  bytes[SEGMENT_HEADER_BYTES + 2 * recordBytes(30) + 40] ^= 0x10; // inside record 3's topic
  await writeFile(path, bytes);
  const second = await open();
  assert.equal(ids(await everything(second)), [1, 2, 4, 5]);
  assert.equal(second.stats().dropped.priority.corrupt, 1);
  await second.close();
});

test('every single-byte flip anywhere in a record, header included, loses exactly that record', async () => {
  const first = await open();
  for (let n = 0; n < 4; n++) await first.append(message(n, 'bulk', 12));
  await first.close();
  const pristine = await readFile(join(dir, 'bulk-1.seg'));
  const start = SEGMENT_HEADER_BYTES + recordBytes(12);
  for (let at = start; at < start + recordBytes(12); at++) {
    for (const mask of [0x01, 0x80, 0xff]) {
      const bytes = pristine.slice();
      bytes[at] ^= mask;
      const scan = scanSegment(bytes, 'bulk');
      assert.equal(scan.records.map((r) => r.entry.id), [1, 3, 4], `byte ${at - start} ^ ${mask}`);
      assert.is(scan.corrupt, 1);
    }
  }
});

test('a damaged or torn removal record loses only that ack: the entry comes back (sent twice, never lost)', async () => {
  const first = await open();
  const entries = [];
  for (let n = 0; n < 4; n++) entries.push(await first.append(message(n)));
  for (const entry of entries.slice(0, 3)) await first.ack(entry.id);
  await first.close();
  const path = join(dir, 'bulk-1.del');
  const bytes = await readFile(path);
  assert.is(bytes.length, 3 * 16);
  bytes[16 + 3] ^= 0x01; // the second ack's id
  await writeFile(path, bytes.subarray(0, bytes.length - 5)); // and the third ack torn
  const second = await open();
  assert.equal(ids(await everything(second)), [2, 3, 4]);
  await second.ack(3);
  await second.close();
  const third = await open();
  assert.equal(ids(await everything(third)), [2, 4], 'acks after a torn one still count');
  await third.close();
});

test('a damaged segment header does not lose the records behind it', async () => {
  const first = await open();
  for (let n = 0; n < 3; n++) await first.append(message(n));
  await first.close();
  const bytes = await readFile(join(dir, 'bulk-1.seg'));
  bytes[5] ^= 0xff;
  await writeFile(join(dir, 'bulk-1.seg'), bytes);
  const second = await open();
  assert.equal(ids(await everything(second)), [1, 2, 3]);
  assert.is((await second.append(message(4))).id, 4);
  await second.close();
});

test('20,000 append/ack cycles: fully acked segments are deleted and the directory stays bounded', async () => {
  const segmentBytes = 16 * 1024;
  const outbox = await open({}, segmentBytes);
  let largest = 0;
  for (let round = 0; round < 200; round++) {
    // 100 at once, as an agent publishing a burst would; then their PUBACKs.
    const entries = await Promise.all(Array.from({ length: 100 }, (_, n) => outbox.append(message(n, n % 10 ? 'bulk' : 'priority', 100))));
    await Promise.all(entries.map((entry) => outbox.ack(entry.id)));
    if (round % 20 === 19) largest = Math.max(largest, await outboxDiskBytes(dir));
  }
  assert.is(outbox.stats().entries, 0);
  // At most the current segment of each lane (with its removal log) and one being deleted.
  assert.ok(largest <= 4 * segmentBytes, `directory held ${largest} bytes`);
  assert.ok((await readdir(dir)).length <= 4, (await readdir(dir)).join(' '));
  await outbox.close();
});

test('a directory left with a lone removal log or a rewrite\'s temporary file is tidied at open', async () => {
  await writeFile(join(dir, 'bulk-7.del'), new Uint8Array(16));
  await writeFile(join(dir, '.bulk-3.seg.123.456.0.tmp'), new Uint8Array(5));
  await writeFile(join(dir, 'notes.txt'), 'kept');
  const outbox = await open();
  assert.equal((await readdir(dir)).sort(), ['notes.txt']);
  await outbox.close();
});

test.run();
