// The checkpoint file and store: a round trip; every kind of damage (a
// flipped byte, truncation, wrong magic, wrong version, a body that is not
// msgpack) is caught, the file is set aside and the reason given; a crashed
// save's temporary file is ignored and removed; and the agent's start-up
// path (startMonitor) restores, or sets aside and starts fresh.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore } from '../edge/checkpoint/checkpoint-store.js';
import { CheckpointFileError, decodeCheckpoint, encodeCheckpoint, HEADER_BYTES } from '../edge/checkpoint/checkpoint-format.js';
import { startMonitor } from '../edge/checkpoint/restore-monitor.js';
import { crc32 } from '../src/sketch/crc32.js';
import { packStandard } from '../src/codec/standard-msgpack.js';
import type { Baseline } from '../src/baseline/baseline.js';
import { DriftMonitor } from '../src/policy/drift-monitor.js';
import { monitorFrames, stableBaseline } from './helpers/monitor-stream.js';

const VALUE = { type: 'example', version: 1, counts: [1, 2.5, -3], nested: { name: 'gate-3', none: null, on: true } };

let dir: string;
const fresh = async () => { dir = await mkdtemp(join(tmpdir(), 'driftwatch-checkpoint-')); };
const cleanup = async () => { await rm(dir, { recursive: true, force: true }); };
const files = async () => (await readdir(dir)).sort();

const format = suite('checkpoint file format');

format('layout: magic, version 1, flags 0, body length, msgpack body, CRC-32 of everything before it', () => {
  const bytes = encodeCheckpoint(VALUE);
  const body = packStandard(VALUE);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  assert.equal(Array.from(bytes.subarray(0, 4)), [0x44, 0x57, 0x43, 0x4b]);
  assert.is(view.getUint16(4), 1);
  assert.is(view.getUint16(6), 0);
  assert.is(view.getUint32(8), body.length);
  assert.equal(bytes.subarray(HEADER_BYTES, HEADER_BYTES + body.length), body);
  assert.is(view.getUint32(bytes.length - 4), crc32(bytes, 0, bytes.length - 4));
  assert.is(bytes.length, 12 + body.length + 4);
  assert.equal(decodeCheckpoint(bytes), VALUE);
});

format('every single flipped bit is caught', () => {
  const bytes = encodeCheckpoint(VALUE);
  for (let i = 0; i < bytes.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const bad = bytes.slice();
      bad[i] ^= 1 << bit;
      assert.throws(() => decodeCheckpoint(bad), (e: Error) => e instanceof CheckpointFileError, `byte ${i} bit ${bit}`);
    }
  }
});

format('a body that is not msgpack, with a correct checksum: reason decode', () => {
  // 0x92 announces an array of two, and only one element follows.
  const bytes = new Uint8Array(12 + 2 + 4);
  bytes.set([0x44, 0x57, 0x43, 0x4b, 0, 1, 0, 0, 0, 0, 0, 2, 0x92, 0x01]);
  new DataView(bytes.buffer).setUint32(14, crc32(bytes, 0, 14));
  assert.throws(() => decodeCheckpoint(bytes), (e: Error) => e instanceof CheckpointFileError && e.reason === 'decode' && /body is not msgpack/.test(e.message));
});

format.run();

const store = suite('CheckpointStore');
store.before.each(fresh);
store.after.each(cleanup);

store('save then load gives the value back; absent gives null; a second save replaces the first', async () => {
  const s = await CheckpointStore.open(join(dir, 'state'));
  assert.is(await s.load('gate-3'), null);
  const size = await s.save('gate-3', VALUE);
  assert.equal(await s.load('gate-3'), { ok: true, value: VALUE, bytes: size });
  await s.save('gate-3', { ...VALUE, version: 2 });
  assert.equal((await s.load('gate-3') as { value: unknown }).value, { ...VALUE, version: 2 });
  assert.equal(await readdir(join(dir, 'state')), ['gate-3.ckpt'], 'no temporary file is left');
});

const damages: Array<[string, (b: Uint8Array) => Uint8Array, string, RegExp]> = [
  ['a flipped byte in the body', (b) => { const c = b.slice(); c[20] ^= 0xff; return c; }, 'checksum', /CRC-32 is 0x[0-9a-f]{8}, the file says/],
  ['truncated', (b) => b.subarray(0, b.length - 9), 'length', /header says \d+ body bytes/],
  ['truncated inside the header', (b) => b.subarray(0, 7), 'length', /fewer than a header and checksum/],
  ['empty', () => new Uint8Array(0), 'magic', /does not start with "DWCK" \(0 bytes\)/],
  ['wrong magic', (b) => { const c = b.slice(); c.set([0x50, 0x4b, 3, 4]); return c; }, 'magic', /not a driftwatch checkpoint/],
  ['wrong format version', (b) => { const c = b.slice(); new DataView(c.buffer).setUint16(4, 2); new DataView(c.buffer).setUint32(c.length - 4, crc32(c, 0, c.length - 4)); return c; }, 'version', /format version 2 is not supported/],
];

for (const [what, damage, reason, message] of damages) {
  store(`${what}: set aside as <name>.ckpt.corrupt-<ms>, reason ${reason}, then a fresh save works`, async () => {
    const s = new CheckpointStore(dir, { now: () => 1234 });
    await s.save('cam', VALUE);
    const path = join(dir, 'cam.ckpt');
    const damaged = damage(await readFile(path));
    await writeFile(path, damaged);
    const result = await s.load('cam');
    assert.ok(result && !result.ok);
    if (!result || result.ok) return;
    assert.is(result.reason, reason);
    assert.match(result.message, message);
    assert.ok(result.message.startsWith(`${path}: possible corruption: `), result.message);
    assert.is(result.setAsidePath, `${path}.corrupt-1234`);
    assert.equal(await files(), ['cam.ckpt.corrupt-1234']);
    assert.equal(await readFile(result.setAsidePath), Buffer.from(damaged), 'the damaged bytes are kept for inspection');
    assert.is(await s.load('cam'), null, 'the next start finds no checkpoint and starts fresh');
    await s.save('cam', VALUE);
    assert.equal((await s.load('cam') as { value: unknown }).value, VALUE);
  });
}

store('a crashed save (temporary file written, never renamed) is ignored and removed; the old checkpoint stands', async () => {
  const s = new CheckpointStore(dir);
  await s.save('cam', VALUE);
  // What writeFileAtomic leaves when killed between write and rename: a half-written temporary beside the real file.
  const leftover = `.cam.ckpt.999999.${Date.now()}.0.tmp`;
  await writeFile(join(dir, leftover), encodeCheckpoint({ newer: true }).subarray(0, 10));
  await writeFile(join(dir, '.other.ckpt.1.2.0.tmp'), 'another checkpoint\'s crash, left alone');
  assert.equal((await s.load('cam') as { value: unknown }).value, VALUE);
  assert.equal(await files(), ['.other.ckpt.1.2.0.tmp', 'cam.ckpt']);
  // Without any real file: the temporary is still never taken for a checkpoint.
  await writeFile(join(dir, '.fresh.ckpt.1.2.3.tmp'), encodeCheckpoint(VALUE));
  assert.is(await s.load('fresh'), null);
  assert.equal(await files(), ['.other.ckpt.1.2.0.tmp', 'cam.ckpt']);
});

store('bad names and overlapping saves are refused by name', async () => {
  const s = new CheckpointStore(dir);
  for (const name of ['', '.hidden', '../escape', 'a/b', 'x'.repeat(101)]) {
    await s.save(name, 1).then(() => assert.unreachable(name), (e: Error) => assert.ok(e instanceof RangeError && /checkpoint name must be/.test(e.message), name));
  }
  const first = s.save('cam', VALUE);
  await s.save('cam', VALUE).then(() => assert.unreachable('overlap'), (e: Error) => assert.match(e.message, /checkpoint cam is already being saved/));
  await first;
  assert.throws(() => new CheckpointStore(''), /directory must be a non-empty path/);
});

store.run();

const start = suite('startMonitor: restore, or set aside and start fresh');
let baseline: Baseline;
start.before(async () => { ({ baseline } = await stableBaseline()); });
start.before.each(fresh);
start.after.each(cleanup);

start('absent: fresh; saved: restored with its open alert; another baseline: set aside, reason refused, fresh', async () => {
  const s = new CheckpointStore(dir, { now: () => 77 });
  const options = { camera: 'gate-3', baseline, checkEvery: 25 };
  const first = await startMonitor(s, 'gate-3', options);
  assert.equal([first.kind, first.kind === 'fresh' && first.why], ['fresh', 'absent']);
  const events = monitorFrames(41, 1200, (i) => (i >= 1000 ? { luma_mean: -6 } : {})).flatMap((f) => first.monitor.update(f));
  assert.equal(events.map((e) => e.state), ['pending', 'firing']);
  await s.save('gate-3', first.monitor.toJSON());

  const second = await startMonitor(s, 'gate-3', options);
  assert.is(second.kind, 'restored');
  assert.is(second.monitor.lifecycle.state, 'firing');
  assert.is(second.monitor.lifecycle.alertId, events[1].id);

  const other: Baseline = { ...baseline, header: { ...baseline.header, digest: 'sha256:' + 'f'.repeat(64) } };
  const third = await startMonitor(s, 'gate-3', { ...options, baseline: other });
  assert.is(third.kind, 'fresh');
  if (third.kind !== 'fresh' || third.why !== 'set-aside') return assert.unreachable('set aside');
  assert.is(third.reason, 'refused');
  assert.match(third.message, /baselineDigest/);
  assert.is(third.setAsidePath, join(dir, 'gate-3.ckpt.corrupt-77'));
  assert.is(third.monitor.lifecycle.state, 'ok');
  assert.equal(await files(), ['gate-3.ckpt.corrupt-77']);
});

start('a changed configuration or a corrupt file: set aside with the reason, and the fresh monitor works', async () => {
  const s = new CheckpointStore(dir, { now: () => 5 });
  const m = new DriftMonitor({ camera: 'gate-3', baseline });
  monitorFrames(41, 400).forEach((f) => m.update(f));
  await s.save('gate-3', m.toJSON());
  const changed = await startMonitor(s, 'gate-3', { camera: 'gate-3', baseline, checkEvery: 10 });
  assert.ok(changed.kind === 'fresh' && changed.why === 'set-aside' && changed.reason === 'refused' && /options\.checkEvery/.test(changed.message));

  await s.save('gate-3', m.toJSON());
  const path = join(dir, 'gate-3.ckpt');
  const bytes = await readFile(path);
  await writeFile(path, bytes.subarray(0, bytes.length >> 1));
  const corrupt = await startMonitor(s, 'gate-3', { camera: 'gate-3', baseline });
  assert.ok(corrupt.kind === 'fresh' && corrupt.why === 'set-aside' && corrupt.reason === 'length');
  assert.equal(corrupt.monitor.update(monitorFrames(41, 1)[0]), []);
  assert.is(corrupt.monitor.windows.frames.admitted, 1);
});

start.run();
