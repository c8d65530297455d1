// The alert journal file: records read back in order; a torn last record
// (cut short, or zeros after a power cut) is dropped and appends go on after
// the sound ones; damage before the end sets the file aside (kept, never
// deleted) and the sound records before it are still returned; clear()
// leaves an empty journal that takes appends.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertJournal } from '../edge/alerts/alert-journal.js';
import { encodeJournalRecord, JOURNAL_HEADER_BYTES, JournalCorruptError, scanJournal } from '../edge/alerts/journal-format.js';
import { crc32 } from '../src/sketch/crc32.js';

let dir = '';
const path = () => join(dir, 'alerts', 'gate-3.journal');
const RECORDS = [{ counter: 1, state: 'pending', bytes: new Uint8Array([1, 2, 3]) }, { counter: 2, state: 'firing', note: null }, { counter: 3, state: 'ok' }];

async function written(records: unknown[]): Promise<Uint8Array> {
  const { journal } = await AlertJournal.open(path());
  for (const record of records) await journal.append(record, { durable: true });
  await journal.close();
  return new Uint8Array(await readFile(path()));
}

const journal = suite('alert journal');
journal.before.each(async () => { dir = await mkdtemp(join(tmpdir(), 'driftwatch-journal-')); });
journal.after.each(async () => { await rm(dir, { recursive: true, force: true }); });

journal('a new journal is its header alone; records read back in order, bytes and nulls kept', async () => {
  const opened = await AlertJournal.open(path());
  assert.equal(opened.records, []);
  assert.is(opened.setAside, null);
  await opened.journal.close();
  assert.equal(Array.from(await readFile(path())), [0x44, 0x57, 0x41, 0x4a, 0, 1, 0, 0]);
  await written(RECORDS);
  const again = await AlertJournal.open(path());
  assert.equal(again.records, RECORDS);
  assert.is(again.tornBytes, 0);
  await again.journal.close();
});

journal('record layout: u32 length, msgpack body, CRC-32 of length and body', () => {
  const bytes = encodeJournalRecord({ a: 1 });
  const view = new DataView(bytes.buffer);
  const length = view.getUint32(0);
  assert.is(bytes.length, 4 + length + 4);
  assert.is(view.getUint32(4 + length), crc32(bytes, 0, 4 + length));
});

journal('a torn last record (cut at every byte) is dropped, the others kept, and the next append follows them', async () => {
  const whole = await written(RECORDS);
  const lastStart = whole.length - encodeJournalRecord(RECORDS[2]).length;
  for (let cut = lastStart; cut < whole.length; cut++) {
    await writeFile(path(), whole.subarray(0, cut));
    const opened = await AlertJournal.open(path());
    assert.equal(opened.records, RECORDS.slice(0, 2), `cut at ${cut}`);
    assert.is(opened.tornBytes, cut - lastStart);
    assert.is(opened.setAside, null);
    await opened.journal.append({ counter: 9 }, { durable: true });
    await opened.journal.close();
    const reopened = await AlertJournal.open(path());
    assert.equal(reopened.records, [...RECORDS.slice(0, 2), { counter: 9 }], `append after the cut at ${cut}`);
    await reopened.journal.close();
  }
});

journal('a last record whose bytes are wrong, or zeros after the sound records (power cut), counts as torn', async () => {
  const whole = await written(RECORDS);
  const flipped = whole.slice();
  flipped[whole.length - 6] ^= 0x40;
  assert.equal(scanJournal(flipped).records, RECORDS.slice(0, 2));
  const zeros = new Uint8Array(whole.length + 512);
  zeros.set(whole);
  const scan = scanJournal(zeros);
  assert.equal(scan.records, RECORDS);
  assert.is(scan.tornBytes, 512);
});

journal('damage before the last record: the file is set aside, the sound records before it returned, a new journal started', async () => {
  const whole = await written(RECORDS);
  const first = encodeJournalRecord(RECORDS[0]).length;
  const damaged = whole.slice();
  damaged[JOURNAL_HEADER_BYTES + first + 6] ^= 0xff; // inside the second record's body
  assert.throws(() => scanJournal(damaged), (error: unknown) => error instanceof JournalCorruptError && /CRC-32/.test(error.message));
  await writeFile(path(), damaged);
  const opened = await AlertJournal.open(path(), { now: () => 1234 });
  assert.equal(opened.records, RECORDS.slice(0, 1));
  assert.ok(opened.setAside);
  assert.match(opened.setAside!.message, /possible corruption: the record at byte \d+ fails its CRC-32/);
  assert.is(opened.setAside!.path, `${path()}.corrupt-1234`);
  assert.equal(new Uint8Array(await readFile(opened.setAside!.path)), damaged, 'kept as it was');
  await opened.journal.append({ counter: 4 }, { durable: true });
  await opened.journal.close();
  const reopened = await AlertJournal.open(path());
  assert.equal(reopened.records, [{ counter: 4 }]);
  await reopened.journal.close();
});

journal('a file that is not a journal (wrong magic or version) is set aside whole', async () => {
  await written([]);
  await writeFile(path(), new TextEncoder().encode('not a journal at all'));
  const wrong = await AlertJournal.open(path(), { now: () => 7 });
  assert.equal(wrong.records, []);
  assert.match(wrong.setAside!.message, /DWAJ/);
  await wrong.journal.close();
  const bytes = new Uint8Array(await readFile(path()));
  bytes[5] = 2;
  await writeFile(path(), bytes);
  const newer = await AlertJournal.open(path(), { now: () => 8 });
  assert.match(newer.setAside!.message, /version 2 is not supported/);
  await newer.journal.close();
  assert.equal((await readdir(join(dir, 'alerts'))).sort(), ['gate-3.journal', 'gate-3.journal.corrupt-7', 'gate-3.journal.corrupt-8']);
});

journal('a file cut inside its header (a crash while creating it) starts empty, not set aside', async () => {
  await written([]);
  await truncate(path(), 3);
  const opened = await AlertJournal.open(path());
  assert.equal(opened.records, []);
  assert.is(opened.setAside, null);
  await opened.journal.close();
  assert.is((await readFile(path())).length, JOURNAL_HEADER_BYTES);
});

journal('clear() empties it for good; appends go on after the header', async () => {
  const { journal: j } = await AlertJournal.open(path());
  for (const record of RECORDS) await j.append(record, { durable: false });
  await j.clear();
  await j.append({ counter: 4 }, { durable: true });
  await j.close();
  const opened = await AlertJournal.open(path());
  assert.equal(opened.records, [{ counter: 4 }]);
  await opened.journal.close();
});

journal('operations run in call order, and a closed journal refuses appends', async () => {
  const { journal: j } = await AlertJournal.open(path());
  await Promise.all([j.append({ n: 1 }, { durable: true }), j.append({ n: 2 }, { durable: false }), j.clear(), j.append({ n: 3 }, { durable: true })]);
  await j.close();
  try {
    await j.append({ n: 4 }, { durable: true });
    assert.unreachable('append after close');
  } catch (error) {
    assert.match((error as Error).message, /closed/);
  }
  const opened = await AlertJournal.open(path());
  assert.equal(opened.records, [{ n: 3 }]);
  await opened.journal.close();
});

journal.run();
