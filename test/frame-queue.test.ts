// The bounded frame queue: FIFO order, both bounds, drop counting by reason,
// waiting takers, close and drain.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FrameQueue, QueueClosedError } from '../edge/queue/frame-queue.js';
import type { IncomingFrame } from '../edge/sources/frame-source.js';
import { rejection } from './helpers/rejection.js';
import { sampleBytes } from './helpers/source-frames.js';

const queue = suite('frame queue');

function frame(origin: string, bytes: Uint8Array): IncomingFrame {
  return { camera: 'cam', bytes, receivedAtMs: 0, origin };
}

queue('frames come out in the order they went in', async () => {
  const rocket = await sampleBytes('rocket.jpg');
  const q = new FrameQueue({ maxFrames: 4 });
  for (const name of ['a', 'b', 'c']) assert.ok(q.offer(frame(name, rocket)));
  assert.equal([(await q.take()).origin, (await q.take()).origin, (await q.take()).origin], ['a', 'b', 'c']);
  assert.equal(q.stats().taken, 3);
});

queue('a full queue refuses by frame count and counts queue-full drops', async () => {
  const horse = await sampleBytes('horse.png');
  const q = new FrameQueue({ maxFrames: 2 });
  assert.equal([q.offer(frame('1', horse)), q.offer(frame('2', horse)), q.offer(frame('3', horse)), q.offer(frame('4', horse))], [true, true, false, false]);
  const stats = q.stats();
  assert.equal([stats.offered, stats.accepted, stats.depth, stats.bytes], [4, 2, 2, 2 * horse.byteLength]);
  assert.equal(stats.dropped, { 'queue-full': 2, 'too-large': 0, closed: 0 });
  await q.take();
  assert.ok(q.offer(frame('5', horse)), 'room again after a take');
});

queue('refuseIfFull answers before a frame is made, counting the refusal; a waiting taker means room', async () => {
  const horse = await sampleBytes('horse.png');
  const q = new FrameQueue({ maxFrames: 1 });
  const waiting = q.take();
  assert.not.ok(q.refuseIfFull(), 'a taker is waiting');
  assert.ok(q.offer(frame('1', horse)));
  await waiting;
  assert.ok(q.offer(frame('2', horse)));
  assert.equal([q.refuseIfFull(), q.refuseIfFull()], [true, true]);
  assert.equal([q.stats().offered, q.stats().dropped['queue-full']], [4, 2]);
  await q.take();
  assert.not.ok(q.refuseIfFull(), 'room again after a take');
  q.close();
  assert.ok(q.refuseIfFull());
  assert.is(q.stats().dropped.closed, 1);
});

queue('refuse counts a frame its source did not make, as queue-full (closed once closed), whatever the room', () => {
  const q = new FrameQueue({ maxFrames: 4 });
  q.refuse();
  q.refuse();
  assert.equal([q.stats().offered, q.stats().dropped['queue-full'], q.depth], [2, 2, 0]);
  q.close();
  q.refuse();
  assert.is(q.stats().dropped.closed, 1);
});

queue('the byte bound holds whatever the frame count', async () => {
  const astronaut = await sampleBytes('astronaut.png'); // 791,555 bytes
  const horse = await sampleBytes('horse.png'); // 16,633 bytes
  const q = new FrameQueue({ maxFrames: 100, maxBytes: 1_000_000 });
  assert.ok(q.offer(frame('big', astronaut)));
  assert.not.ok(q.offer(frame('big2', astronaut)), 'a second large photo exceeds the byte budget');
  assert.ok(q.offer(frame('small', horse)), 'a small one still fits');
  assert.equal(q.bytes, astronaut.byteLength + horse.byteLength);
  assert.ok(q.bytes <= q.maxBytes);
  const tiny = new FrameQueue({ maxBytes: 1000 });
  tiny.offer(frame('huge', horse));
  assert.equal(tiny.stats().dropped, { 'queue-full': 0, 'too-large': 1, closed: 0 });
});

queue('a waiting take receives the next offered frame', async () => {
  const rocket = await sampleBytes('rocket.jpg');
  const q = new FrameQueue();
  const pending = q.take();
  assert.ok(q.offer(frame('late', rocket)));
  assert.is((await pending).origin, 'late');
  assert.equal([q.depth, q.bytes], [0, 0]);
});

queue('close refuses new frames, lets held ones be taken, then take rejects', async () => {
  const rocket = await sampleBytes('rocket.jpg');
  const q = new FrameQueue();
  q.offer(frame('held', rocket));
  const waiting = new FrameQueue();
  const pending = waiting.take();
  waiting.close();
  assert.instance(await rejection(pending), QueueClosedError);
  q.close();
  assert.not.ok(q.offer(frame('after', rocket)));
  assert.is((await q.take()).origin, 'held');
  assert.instance(await rejection(q.take()), QueueClosedError);
  assert.equal(q.stats().dropped.closed, 1);
});

queue('drain empties the queue and returns the frames in order', async () => {
  const horse = await sampleBytes('horse.png');
  const q = new FrameQueue();
  q.offer(frame('x', horse));
  q.offer(frame('y', horse));
  assert.equal(q.drain().map((f) => f.origin), ['x', 'y']);
  assert.equal([q.depth, q.bytes], [0, 0]);
});

queue('a seeded mix of offers and takes matches a plain reference model', async () => {
  const sizes = [1000, 5000, 20_000, 60_000];
  const q = new FrameQueue({ maxFrames: 5, maxBytes: 100_000 });
  const model: number[] = [];
  let state = 12345;
  let drops = 0;
  for (let step = 0; step < 2000; step += 1) {
    state ^= state << 13; state ^= state >>> 17; state ^= state << 5; state >>>= 0;
    if (state % 3 === 0 && model.length > 0) {
      const expected = model.shift();
      assert.is((await q.take()).bytes.byteLength, expected);
      continue;
    }
    const size = sizes[state % sizes.length];
    const fits = model.length < 5 && model.reduce((a, b) => a + b, 0) + size <= 100_000;
    assert.is(q.offer(frame(String(step), new Uint8Array(size))), fits, `step ${step}`);
    if (fits) model.push(size);
    else drops += 1;
    assert.ok(q.depth <= 5 && q.bytes <= 100_000);
  }
  assert.is(q.stats().dropped['queue-full'], drops);
  assert.ok(drops > 0);
});

queue('bad limits are refused with a RangeError naming the option', () => {
  assert.throws(() => new FrameQueue({ maxFrames: 0 }), /maxFrames must be a positive integer, got 0/);
  assert.throws(() => new FrameQueue({ maxBytes: 1.5 }), /maxBytes must be a positive integer, got 1.5/);
});

queue.run();
