// The stdin: source over PassThrough streams: both framings, split across
// arbitrary chunk boundaries, bad records skipped and reported, a corrupt
// length prefix stopping reading cleanly, pacing by settle, and stop().
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { StdinSource, type StdinSourceOptions } from '../edge/sources/stdin-source.js';
import type { SourceError } from '../edge/sources/frame-source.js';
import { repoPath } from './helpers/paths.js';
import { RecordingSink, bytesEqual, sampleBytes } from './helpers/source-frames.js';

const stdin = suite('stdin source');

// The framing written out by hand, independently of the source's own encoder.
function record(image: Uint8Array, header?: string): Buffer {
  const head = Buffer.from(header ?? '', 'utf8');
  const lengths = [Buffer.alloc(4), Buffer.alloc(4)];
  lengths[0].writeUInt32BE(head.length);
  lengths[1].writeUInt32BE(image.byteLength);
  return Buffer.concat([lengths[0], head, lengths[1], image]);
}

/** Writes `bytes` in chunks of `size` (odd sizes cut lengths and headers in half) and ends the stream. */
function feed(input: PassThrough, bytes: Buffer, size = 997): void {
  for (let at = 0; at < bytes.length; at += size) input.write(bytes.subarray(at, at + size));
  input.end();
}

function source(input: PassThrough, framing: 'frames' | 'jsonl', extra: Partial<StdinSourceOptions> = {}) {
  const errors: SourceError[] = [];
  const src = new StdinSource({ framing, camera: 'pipe-cam', input, onError: (error) => errors.push(error), ...extra });
  return { src, errors };
}

stdin('stdin:frames reads records with and without headers across chunk boundaries', async () => {
  const [rocket, horse, chelsea] = await Promise.all(['rocket.jpg', 'horse.png', 'chelsea.png'].map(sampleBytes));
  const input = new PassThrough();
  const sink = new RecordingSink();
  const { src, errors } = source(input, 'frames');
  await src.start(sink);
  assert.ok(src.running);
  feed(input, Buffer.concat([
    record(rocket, JSON.stringify({ camera: 'dock-3', predictions: { label: 'rocket', score: 0.5 } })),
    record(horse),
    record(chelsea, '{"camera":"cats"}'),
  ]));
  const frames = await sink.waitFor(3);
  for (const frame of frames) await frame.settle?.('processed');
  assert.equal(await src.finished, { reason: 'end', records: 3 });
  assert.not.ok(src.running);
  assert.equal(frames.map((f) => [f.camera, f.origin, f.predictions]), [
    ['dock-3', 'stdin #1', { label: 'rocket', score: 0.5 }],
    ['pipe-cam', 'stdin #2', undefined],
    ['cats', 'stdin #3', undefined],
  ]);
  assert.ok(bytesEqual(frames[0].bytes, rocket) && bytesEqual(frames[1].bytes, horse) && bytesEqual(frames[2].bytes, chelsea));
  assert.is(errors.length, 0);
});

stdin('stdin:frames skips records with a bad header and goes on', async () => {
  const horse = await sampleBytes('horse.png');
  const input = new PassThrough();
  const sink = new RecordingSink();
  const { src, errors } = source(input, 'frames');
  await src.start(sink);
  feed(input, Buffer.concat([
    record(horse, '{"camera": '),
    record(horse, '{"camera":"no spaces allowed"}'),
    record(horse, '{"cam":"x"}'),
    record(horse, '[1,2]'),
    record(horse, '{"camera":"ok-1"}'),
  ]));
  const [frame] = await sink.waitFor(1);
  await frame.settle?.('processed');
  assert.equal(await src.finished, { reason: 'end', records: 5 });
  assert.is(frame.origin, 'stdin #5');
  assert.equal(errors.map((e) => [e.reason, e.fatal]), [['bad-json', false], ['bad-camera', false], ['bad-record', false], ['bad-json', false]]);
  assert.match(errors[0].message, /^stdin #1: header is not valid JSON/);
  assert.match(errors[1].message, /^stdin #2: camera id "no spaces allowed" is not valid/);
  assert.match(errors[2].message, /^stdin #3: header has unknown key "cam"/);
  assert.is(src.counters.errorCount('bad-json'), 2);
});

stdin('a corrupt length prefix stops reading with a clear error; the frames before it are kept', async () => {
  const rocket = await sampleBytes('rocket.jpg');
  const input = new PassThrough();
  const sink = new RecordingSink();
  const { src, errors } = source(input, 'frames', { maxImageBytes: 1_000_000 });
  await src.start(sink);
  // A good record, then text where a record should start: its first 4 bytes read as a huge length.
  feed(input, Buffer.concat([record(rocket), Buffer.from('GET / HTTP/1.1\r\n\r\n'), record(rocket)]));
  const end = await src.finished;
  assert.equal(end, { reason: 'corrupt-length', records: 2 });
  assert.is(sink.frames.length, 1);
  assert.ok(bytesEqual(sink.frames[0].bytes, rocket));
  assert.is(errors.length, 1);
  assert.ok(errors[0].fatal);
  assert.match(errors[0].message, /^stdin #2: at byte 112533: header length 1195725856 exceeds the limit of 1048576 bytes; .*cannot be resynchronised, so reading stopped$/);
});

stdin('an image length over the limit and a stream cut inside a record are reported', async () => {
  const horse = await sampleBytes('horse.png');
  const big = new PassThrough();
  const bigRun = source(big, 'frames', { maxImageBytes: 10_000 });
  await bigRun.src.start(new RecordingSink());
  feed(big, record(horse));
  assert.is((await bigRun.src.finished).reason, 'corrupt-length');
  assert.match(bigRun.errors[0].message, /image length 16633 exceeds the limit of 10000 bytes/);

  const cut = new PassThrough();
  const sink = new RecordingSink();
  const cutRun = source(cut, 'frames');
  await cutRun.src.start(sink);
  const whole = record(horse, '{"camera":"a"}');
  feed(cut, Buffer.concat([whole, whole.subarray(0, 5000)]));
  assert.equal(await cutRun.src.finished, { reason: 'truncated', records: 2 });
  assert.is(sink.frames.length, 1);
  assert.match(cutRun.errors[0].message, /^stdin #2: at byte 16655: the stream ended inside a record \(image: 4978 of 16633 bytes\)$/);
});

stdin('stdin:jsonl reads base64 and path records, skips bad lines and resyncs after an over-long one', async () => {
  const [rocket, horse, astronaut] = await Promise.all(['rocket.jpg', 'horse.png', 'astronaut.png'].map(sampleBytes));
  const input = new PassThrough();
  const sink = new RecordingSink();
  const { src, errors } = source(input, 'jsonl', { baseDir: repoPath('samples'), maxLineBytes: 300_000 });
  await src.start(sink);
  const lines = [
    JSON.stringify({ camera: 'lobby', image: Buffer.from(horse).toString('base64'), predictions: { label: 'horse' } }),
    '',
    JSON.stringify({ path: 'rocket.jpg', predictions: { top: [{ label: 'rocket', score: 1 }] } }),
    '{"image": ',
    JSON.stringify({ image: Buffer.from(astronaut).toString('base64') }),
    JSON.stringify({ image: 'not base64!' }),
    JSON.stringify({ image: 'AAAA', path: 'rocket.jpg' }),
    JSON.stringify({ path: 'missing.png' }),
    JSON.stringify({ camera: 'bad/cam', path: 'rocket.jpg' }),
    JSON.stringify({ camera: 'last', path: 'horse.png' }),
  ];
  feed(input, Buffer.from(lines.join('\r\n')), 4093);
  const frames = await sink.waitFor(3);
  for (const frame of frames) await frame.settle?.('processed');
  assert.equal(await src.finished, { reason: 'end', records: 10 });
  assert.equal(frames.map((f) => [f.camera, f.origin]), [
    ['lobby', 'stdin #1'],
    ['pipe-cam', `stdin #3 ${repoPath('samples', 'rocket.jpg')}`],
    ['last', `stdin #10 ${repoPath('samples', 'horse.png')}`],
  ]);
  assert.ok(bytesEqual(frames[0].bytes, horse) && bytesEqual(frames[1].bytes, rocket) && bytesEqual(frames[2].bytes, horse));
  assert.equal(frames[1].predictions, { top: [{ label: 'rocket', score: 1 }] });
  assert.equal(errors.map((e) => e.message.replace(/ \(.*\)/, '')), [
    'stdin #4: line is not valid JSON',
    `stdin #5: line of ${lines[4].length + 1} bytes exceeds the limit of 300000; skipped`,
    'stdin #6: "image" must be a base64 string',
    'stdin #7: give exactly one of "image" and "path"',
    `stdin #8: cannot read ${repoPath('samples', 'missing.png')}`,
    'stdin #9: camera id "bad/cam" is not valid',
  ]);
});

stdin('reading is paced by settle: at most maxInFlight frames are out at once', async () => {
  const horse = await sampleBytes('horse.png');
  const input = new PassThrough();
  const sink = new RecordingSink();
  const { src } = source(input, 'frames', { maxInFlight: 2 });
  await src.start(sink);
  feed(input, Buffer.concat(Array.from({ length: 5 }, () => record(horse))));
  await sink.waitFor(2);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.is(sink.frames.length, 2, 'no third frame before one is settled');
  await sink.frames[0].settle?.('processed');
  await sink.frames[0].settle?.('processed'); // a second settle frees nothing more
  await sink.waitFor(3);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.is(sink.frames.length, 3);
  for (let i = 1; i < 5; i += 1) {
    await sink.waitFor(i + 1);
    await sink.frames[i].settle?.('dropped');
  }
  assert.equal(await src.finished, { reason: 'end', records: 5 });
});

stdin('refused frames are counted and do not stall reading', async () => {
  const horse = await sampleBytes('horse.png');
  const input = new PassThrough();
  const sink = new RecordingSink(1);
  const { src } = source(input, 'frames', { maxInFlight: 1 });
  await src.start(sink);
  feed(input, Buffer.concat([record(horse), record(horse), record(horse)]));
  await sink.waitFor(1);
  await sink.frames[0].settle?.('processed');
  assert.equal(await src.finished, { reason: 'end', records: 3 });
  assert.equal([src.counters.offered, src.counters.refused, sink.refused], [1, 2, 2]);
});

stdin('stop() ends reading without destroying the input stream', async () => {
  const horse = await sampleBytes('horse.png');
  const input = new PassThrough();
  const sink = new RecordingSink();
  const { src, errors } = source(input, 'frames');
  await src.start(sink);
  input.write(record(horse));
  input.write(record(horse).subarray(0, 100)); // half a record, then silence
  await sink.waitFor(1);
  await src.stop();
  await src.stop();
  assert.equal(await src.finished, { reason: 'stopped', records: 1 });
  assert.not.ok(src.running);
  assert.not.ok(input.destroyed);
  assert.is(errors.length, 0, 'a record cut by stop() is not an error');
});

stdin('stop() while every in-flight slot is taken (the agent settles nothing) ends reading', async () => {
  const horse = await sampleBytes('horse.png');
  const input = new PassThrough();
  const sink = new RecordingSink();
  const { src, errors } = source(input, 'frames', { maxInFlight: 1 });
  await src.start(sink);
  feed(input, Buffer.concat([record(horse), record(horse), record(horse)]));
  await sink.waitFor(1);
  await src.stop();
  assert.equal(await src.finished, { reason: 'stopped', records: 1 });
  assert.is(sink.frames.length, 1, 'no frame is read past stop()');
  await sink.frames[0].settle?.('processed');
  assert.is(sink.frames.length, 1, 'a slot freed after stop() reads nothing more');
  assert.is(errors.length, 0);
});

stdin.run();
