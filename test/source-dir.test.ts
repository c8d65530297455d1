// The dir: source on real files in a temp folder: files present at start,
// write-in-place in slow chunks (taken only once complete), name order when
// files become complete part-way through a look, a wall-clock step back,
// rename-in via fs.watch, ignored names, sidecars, after=keep/delete/move, a
// full queue and pacing, and the bad cases (too large, bad sidecar, missing
// folder).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, mkdir, open, readdir, rm, symlink, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirSource, isFrameFileName, type DirSourceOptions } from '../edge/sources/dir-source.js';
import type { SourceError } from '../edge/sources/frame-source.js';
import { rejection } from './helpers/rejection.js';
import { RecordingSink, bytesEqual, eventually, sampleBytes } from './helpers/source-frames.js';

const dir = suite('dir source');

let root = '';
dir.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'driftwatch-dir-source-'));
});
dir.after(async () => {
  await rm(root, { recursive: true, force: true });
});

let folders = 0;
async function folder(): Promise<string> {
  const path = join(root, `case-${++folders}`);
  await mkdir(path);
  return path;
}

/** A source driven by hand: no watcher, no timers, no follow-ups; every scan() is one look at the folder. */
function manual(path: string, extra: Partial<DirSourceOptions> = {}) {
  const errors: SourceError[] = [];
  const source = new DirSource({ path, after: { mode: 'keep' }, camera: 'yard', autoScan: false, stableMs: 0, onError: (e) => errors.push(e), ...extra });
  return { source, errors };
}

dir('files present at start are read in name order with their sidecars; keep remembers them', async () => {
  const path = await folder();
  const [rocket, horse, chelsea] = await Promise.all(['rocket.jpg', 'horse.png', 'chelsea.png'].map(sampleBytes));
  await writeFile(join(path, 'b.png'), horse);
  await writeFile(join(path, 'a.jpg'), rocket);
  await writeFile(join(path, 'c.PNG'), chelsea);
  await writeFile(join(path, 'a.jpg.json'), JSON.stringify({ label: 'rocket' }));
  await writeFile(join(path, 'b.json'), JSON.stringify({ label: 'horse' }));
  const sink = new RecordingSink();
  const { source, errors } = manual(path);
  await source.start(sink); // first look: sizes noted
  assert.is(sink.frames.length, 0, 'not taken before a second look confirms they are complete');
  await source.scan();
  assert.equal(sink.frames.map((f) => [f.origin, f.camera, f.predictions]), [
    [join(path, 'a.jpg'), 'yard', { label: 'rocket' }],
    [join(path, 'b.png'), 'yard', { label: 'horse' }],
    [join(path, 'c.PNG'), 'yard', undefined],
  ]);
  assert.ok(bytesEqual(sink.frames[0].bytes, rocket) && bytesEqual(sink.frames[1].bytes, horse) && bytesEqual(sink.frames[2].bytes, chelsea));
  for (const frame of sink.frames) await frame.settle?.('processed');
  await source.scan();
  await source.scan();
  assert.is(sink.frames.length, 3, 'kept files are not read again');
  assert.equal((await readdir(path)).sort(), ['a.jpg', 'a.jpg.json', 'b.json', 'b.png', 'c.PNG']);
  assert.is(errors.length, 0);
  await source.stop();
});

dir('a file written in place in slow chunks is taken only once complete', async () => {
  const path = await folder();
  const astronaut = await sampleBytes('astronaut.png');
  const sink = new RecordingSink();
  const { source } = manual(path);
  await source.start(sink);
  const handle = await open(join(path, 'slow.png'), 'w');
  const chunk = 100_000;
  for (let at = 0; at < astronaut.length; at += chunk) {
    await handle.write(astronaut.subarray(at, at + chunk));
    await source.scan();
    assert.is(sink.frames.length, 0, `not taken while growing (at ${at + chunk} bytes)`);
  }
  await handle.close();
  await source.scan(); // the size is the same as last time: complete
  assert.is(sink.frames.length, 1);
  assert.ok(bytesEqual(sink.frames[0].bytes, astronaut), 'the whole file, not a prefix');
  await source.stop();
});

dir('a file must stay unchanged for stableMs before it is read', async () => {
  const path = await folder();
  await writeFile(join(path, 'f.jpg'), await sampleBytes('rocket.jpg'));
  const sink = new RecordingSink();
  const { source } = manual(path, { stableMs: 3_600_000 });
  await source.start(sink);
  await source.scan();
  await source.scan();
  assert.is(sink.frames.length, 0);
  await source.stop();
});

dir('with fs.watch and polling, a renamed-in file is picked up; temp, hidden and partial names are ignored', async () => {
  const path = await folder();
  const [rocket, horse] = await Promise.all(['rocket.jpg', 'horse.png'].map(sampleBytes));
  const sink = new RecordingSink();
  const errors: SourceError[] = [];
  const source = new DirSource({ path, after: { mode: 'keep' }, camera: 'door', pollIntervalMs: 100, stableMs: 30, onError: (e) => errors.push(e) });
  await source.start(sink);
  await writeFile(join(path, '.hidden.jpg'), horse);
  await writeFile(join(path, 'frame.jpg.part'), horse);
  await writeFile(join(path, 'frame.jpg.tmp'), horse);
  await mkdir(join(path, 'folder.jpg'));
  await writeFile(join(path, '.incoming.tmp'), rocket);
  await rename(join(path, '.incoming.tmp'), join(path, 'frame-0001.jpg'));
  const [frame] = await sink.waitFor(1);
  assert.is(frame.origin, join(path, 'frame-0001.jpg'));
  assert.ok(bytesEqual(frame.bytes, rocket));
  await frame.settle?.('processed');
  await writeFile(join(path, 'frame-0002.png.part'), horse);
  await rename(join(path, 'frame-0002.png.part'), join(path, 'frame-0002.png'));
  const [, second] = await sink.waitFor(2);
  assert.is(second.origin, join(path, 'frame-0002.png'));
  await source.scan();
  assert.is(sink.frames.length, 2, 'nothing else was taken');
  assert.is(errors.length, 0);
  await source.stop();
  assert.not.ok(source.running);
});

dir('after=delete removes the image and its sidecar once settled', async () => {
  const path = await folder();
  await writeFile(join(path, 'x.jpg'), await sampleBytes('rocket.jpg'));
  await writeFile(join(path, 'x.jpg.json'), '{"label":"rocket"}');
  await writeFile(join(path, 'y.png'), await sampleBytes('horse.png'));
  const sink = new RecordingSink();
  const { source } = manual(path, { after: { mode: 'delete' } });
  await source.start(sink);
  await source.scan();
  assert.is(sink.frames.length, 2);
  assert.equal((await readdir(path)).sort(), ['x.jpg', 'x.jpg.json', 'y.png'], 'nothing is deleted before the agent settles');
  await sink.frames[0].settle?.('processed');
  await sink.frames[1].settle?.('rejected');
  assert.equal(await readdir(path), []);
  await source.stop();
});

dir('after=move moves the image and its sidecar into the other folder', async () => {
  const path = await folder();
  const done = join(await folder(), 'done');
  const rocket = await sampleBytes('rocket.jpg');
  await writeFile(join(path, 'x.jpg'), rocket);
  await writeFile(join(path, 'x.json'), '{"label":"rocket"}');
  const sink = new RecordingSink();
  const { source } = manual(path, { after: { mode: 'move', to: done } });
  await source.start(sink);
  await source.scan();
  await sink.frames[0].settle?.('processed');
  assert.equal(await readdir(path), []);
  assert.equal((await readdir(done)).sort(), ['x.jpg', 'x.json']);
  assert.equal(sink.frames[0].predictions, { label: 'rocket' });
  await source.stop();
});

dir('a full queue leaves the file in place to be retried; reading is paced by settle', async () => {
  const path = await folder();
  const horse = await sampleBytes('horse.png');
  for (const name of ['1.png', '2.png', '3.png']) await writeFile(join(path, name), horse);
  const sink = new RecordingSink(1);
  const { source } = manual(path, { maxInFlight: 2 });
  await source.start(sink);
  await source.scan();
  assert.equal(sink.frames.map((f) => f.origin), [join(path, '1.png')]);
  assert.equal([source.counters.offered, source.counters.refused], [1, 1]);
  sink.capacity = 10;
  await source.scan();
  assert.equal(sink.frames.map((f) => f.origin), [join(path, '1.png'), join(path, '2.png')], 'the refused file is retried; two in flight is the limit');
  await source.scan();
  assert.is(sink.frames.length, 2);
  await sink.frames[0].settle?.('processed');
  await source.scan();
  assert.equal(sink.frames.map((f) => f.origin.slice(-5)), ['1.png', '2.png', '3.png']);
  await source.stop();
});

/** Stands in for Date.now and performance.now: time moves only when the test sets it, or by `step` ms at each reading. */
function fakeClock(ms: number) {
  const real = { date: Date.now, performance: performance.now };
  const clock = {
    ms,
    step: 0,
    restore: () => { Date.now = real.date; performance.now = real.performance; },
  };
  const read = (): number => { const now = clock.ms; clock.ms += clock.step; return now; };
  Date.now = read;
  performance.now = read;
  return clock;
}

dir('complete files are handed over in name order even when they become old enough part-way through a look', async () => {
  const path = await folder();
  const names = Array.from({ length: 40 }, (_, i) => `f${String(i).padStart(3, '0')}.jpg`);
  for (const name of names) await writeFile(join(path, name), new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
  const sink = new RecordingSink();
  const taken = () => sink.frames.map((f) => f.origin.slice(path.length + 1));
  const { source } = manual(path, { stableMs: 100, maxInFlight: 100 });
  const clock = fakeClock(1_000_000);
  try {
    await source.start(sink); // first look: every file noted at the same instant
    // The next look starts 10 ms before they are 100 ms old and each reading of the clock takes 1 ms, as on a busy
    // event loop: the files looked at last are old enough, the first ones are not yet.
    clock.ms = 1_000_090;
    clock.step = 1;
    await source.scan();
    assert.ok(clock.ms > 1_000_100, 'the look went past the stability deadline');
    assert.equal(taken(), names.slice(0, taken().length), 'no file before an earlier one');
    clock.step = 0;
    clock.ms = 1_001_000;
    await source.scan();
    assert.equal(taken(), names);
  } finally {
    clock.restore();
    await source.stop();
  }
});

dir('the wall clock stepping back (NTP) does not hold files back: stability is timed on a monotonic clock', async () => {
  const path = await folder();
  await writeFile(join(path, 'a.jpg'), new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
  const sink = new RecordingSink();
  const { source } = manual(path, { stableMs: 20 });
  const realNow = Date.now;
  try {
    await source.start(sink); // first look: the file is noted
    const stepped = realNow() - 3_600_000;
    Date.now = () => stepped;
    await new Promise((resolve) => setTimeout(resolve, 60));
    await source.scan();
    assert.is(sink.frames.length, 1, 'taken 20 ms after it was noted, not an hour later');
  } finally {
    Date.now = realNow;
    await source.stop();
  }
});

dir('a backlog is drained in name order from one listing at a time, not one listing per frame', async () => {
  const path = await folder();
  const rocket = await sampleBytes('rocket.jpg');
  const names = Array.from({ length: 300 }, (_, i) => `f${String(i).padStart(4, '0')}.jpg`);
  // Written in shuffled order: the order taken must still be the names' order.
  for (const name of [...names].reverse()) await writeFile(join(path, name), rocket);
  const taken: string[] = [];
  // An agent that takes 2 ms a frame: both slots are busy whenever the source looks, so each settled frame asks for
  // the next scan, as in the running agent.
  const sink = { offer: (frame: { origin: string; settle?: (outcome: 'processed') => Promise<void> }) => {
    taken.push(frame.origin.slice(path.length + 1));
    setTimeout(() => void frame.settle?.('processed'), 2);
    return true;
  } };
  const source = new DirSource({ path, after: { mode: 'delete' }, camera: 'yard', stableMs: 0, maxInFlight: 2 });
  await source.start(sink as never);
  try {
    await eventually('the backlog to be drained', async () => taken.length === names.length && (await readdir(path)).length === 0, 30_000);
    assert.equal(taken, names);
    // One listing per frame before (300 here); now the first, the look after the stability check, one a second while
    // the folder changes (every settled file is deleted), and the polls.
    assert.ok(source.listings <= 30, `${source.listings} listings for ${names.length} files`);
  } finally {
    await source.stop();
  }
});

dir('bad files are reported and never stop the source: too large, bad sidecar, empty image still offered', async () => {
  const path = await folder();
  const astronaut = await sampleBytes('astronaut.png');
  await writeFile(join(path, 'a-big.png'), astronaut);
  await writeFile(join(path, 'b-empty.jpg'), '');
  await writeFile(join(path, 'c.jpg'), await sampleBytes('rocket.jpg'));
  await writeFile(join(path, 'c.jpg.json'), '{"label": ');
  const sink = new RecordingSink();
  const { source, errors } = manual(path, { maxImageBytes: 500_000 });
  await source.start(sink);
  await source.scan();
  assert.equal(sink.frames.map((f) => [f.origin.slice(path.length + 1), f.bytes.byteLength, f.predictions]), [['b-empty.jpg', 0, undefined], ['c.jpg', 112525, undefined]]);
  assert.equal(errors.map((e) => e.reason), ['too-large', 'bad-sidecar']);
  assert.is(errors[0].message, `${join(path, 'a-big.png')}: ${astronaut.length} bytes exceeds the limit of 500000; not read`);
  assert.match(errors[1].message, /c\.jpg\.json: not valid JSON .*; frame taken without predictions$/);
  await source.scan();
  assert.is(errors.length, 2, 'a too-large file is reported once');
  await source.stop();
});

dir('a file that vanishes or cannot be read is reported, and the next file is still taken', async () => {
  const path = await folder();
  await symlink(join(path, 'gone.jpg'), join(path, 'a-dangling.jpg')); // stat: ENOENT, as if deleted
  await symlink(join(path, 'b-loop.jpg'), join(path, 'b-loop.jpg')); // stat: ELOOP, unreadable
  await writeFile(join(path, 'c.jpg'), await sampleBytes('rocket.jpg'));
  const sink = new RecordingSink();
  const { source, errors } = manual(path);
  await source.start(sink);
  await source.scan();
  await source.scan();
  assert.equal(sink.frames.map((f) => f.origin), [join(path, 'c.jpg')]);
  // Each is reported once, though listed at every scan.
  assert.equal(errors.map((e) => [e.reason, e.message]), [
    ['vanished', `${join(path, 'a-dangling.jpg')}: the file vanished before it was read`],
    ['unreadable', `${join(path, 'b-loop.jpg')}: cannot read the file (ELOOP); skipped until it leaves the folder`],
  ]);
  await source.stop();
});

dir('a missing folder is refused at start with an error naming it; names are filtered as documented', async () => {
  const missing = join(root, 'no-such-folder');
  const error = await rejection(manual(missing).source.start(new RecordingSink()));
  assert.is(error.message, `${missing}: the watched folder cannot be read (ENOENT)`);
  assert.equal(['a.jpg', 'b.JPEG', 'c.png', '.d.jpg', 'e.jpg.tmp', 'f.png.part', 'g.gif', 'h.json', 'i.tmp.jpg'].filter(isFrameFileName), ['a.jpg', 'b.JPEG', 'c.png', 'i.tmp.jpg']);
});

dir.run();
