import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SlidingCountWindow, TumblingCountWindow } from '../src/window/count-windows.js';
import { SlidingTimeWindow, TumblingTimeWindow } from '../src/window/time-windows.js';
import { createWindow } from '../src/window/create-window.js';
import type { FeatureWindow } from '../src/window/feature-window.js';

const list = (a: Float64Array): number[] => Array.from(a);
/** Feeds values at 100 ms spacing starting at t0. */
function feed(w: FeatureWindow, values: number[], t0 = 0): void {
  values.forEach((v, i) => w.update(v, t0 + 100 * i));
}

const slidingCount = suite('SlidingCountWindow');
slidingCount('keeps the latest size values, oldest first, across the ring wrap', () => {
  const w = new SlidingCountWindow({ size: 3 });
  feed(w, [1, 2]);
  assert.is(w.ready, false);
  assert.equal(list(w.values()), [1, 2]);
  feed(w, [3, 4, 5], 200);
  assert.is(w.ready, true);
  assert.equal(list(w.values()), [3, 4, 5]);
  assert.equal(list(w.timestamps()), [200, 300, 400]);
  assert.is(w.byteLength, 48);
});
slidingCount('drops and counts non-finite values and bad timestamps', () => {
  const w = new SlidingCountWindow({ size: 4 });
  w.update(1, 10).update(NaN, 20).update(Infinity, 30).update(2, 5).update(3, NaN).update(4, 10);
  assert.equal(list(w.values()), [1, 4]); // equal timestamps are allowed
  assert.equal(w.drops, { nonFiniteValue: 2, badTimestamp: 2, overflow: 0 });
});
slidingCount('rejects bad options and wrong types, naming them', () => {
  assert.throws(() => new SlidingCountWindow({ size: 0 }), (e: Error) => e instanceof RangeError && /size/.test(e.message));
  assert.throws(() => new SlidingCountWindow({ size: 2.5 }), RangeError);
  assert.throws(() => new SlidingCountWindow({ size: 2e6 }), RangeError);
  assert.throws(() => new SlidingCountWindow({} as never), (e: Error) => e instanceof TypeError && /size/.test(e.message));
  assert.throws(() => new SlidingCountWindow(null as never), TypeError);
  const w = new SlidingCountWindow({ size: 2 });
  assert.throws(() => w.update('1' as never, 0), (e: Error) => e instanceof TypeError && /value/.test(e.message));
  assert.throws(() => w.update(1, '0' as never), (e: Error) => e instanceof TypeError && /timestampMs/.test(e.message));
});
slidingCount('reset empties the window and forgets the last timestamp', () => {
  const w = new SlidingCountWindow({ size: 2 });
  feed(w, [1, 2], 1000);
  w.reset();
  assert.is(w.length, 0);
  w.update(7, 0);
  assert.equal(list(w.values()), [7]);
});
slidingCount.run();

const tumblingCount = suite('TumblingCountWindow');
tumblingCount('closes at size, stays readable until the next update, then restarts', () => {
  const w = new TumblingCountWindow({ size: 3 });
  const closedAt: number[] = [];
  [1, 2, 3, 4, 5, 6, 7].forEach((v, i) => {
    if (w.update(v, i).ready) closedAt.push(i);
    if (i === 2) assert.equal(list(w.values()), [1, 2, 3]);
  });
  assert.equal(closedAt, [2, 5]);
  assert.equal(list(w.values()), [7]);
  assert.is(w.ready, false);
});
tumblingCount('a dropped value neither closes nor reopens the window', () => {
  const w = new TumblingCountWindow({ size: 2 });
  w.update(1, 0).update(2, 1);
  assert.is(w.ready, true);
  w.update(NaN, 2);
  assert.is(w.ready, true);
  assert.equal(list(w.values()), [1, 2]);
});
tumblingCount.run();

const slidingTime = suite('SlidingTimeWindow');
slidingTime('holds values with t > latest - durationMs; ready once the stream spans the duration', () => {
  const w = new SlidingTimeWindow({ durationMs: 250 });
  assert.is(w.capacity, 600);
  feed(w, [0, 1, 2]);
  assert.is(w.ready, false);
  feed(w, [3], 300);
  assert.is(w.ready, true);
  assert.equal(list(w.values()), [1, 2, 3]);
  w.update(9, 1000); // after a gap only the new value is within 250 ms
  assert.equal(list(w.values()), [9]);
});
slidingTime('beyond capacity the oldest leave early and are counted', () => {
  const w = new SlidingTimeWindow({ durationMs: 10_000, capacity: 2 });
  feed(w, [1, 2, 3, 4]);
  assert.equal(list(w.values()), [3, 4]);
  assert.is(w.drops.overflow, 2);
  assert.is(w.byteLength, 32);
});
slidingTime('rejects bad options', () => {
  for (const durationMs of [0, -1, NaN, Infinity]) {
    assert.throws(() => new SlidingTimeWindow({ durationMs }), (e: Error) => e instanceof RangeError && /durationMs/.test(e.message));
  }
  assert.throws(() => new SlidingTimeWindow({ durationMs: 10, capacity: 0 }), (e: Error) => /capacity/.test(e.message));
});
slidingTime.run();

const tumblingTime = suite('TumblingTimeWindow');
tumblingTime('periods of durationMs from the first timestamp; the frame at the end opens the next', () => {
  const w = new TumblingTimeWindow({ durationMs: 300 });
  const closedAt: number[] = [];
  for (let i = 0; i < 8; i++) if (w.update(i, 100 * i).ready) closedAt.push(100 * i);
  assert.equal(closedAt, [300, 600]);
  assert.equal(list(w.values()), [6, 7]); // period [600, 900)
});
tumblingTime('a closed period is readable until the next update; gaps skip empty periods', () => {
  const w = new TumblingTimeWindow({ durationMs: 300 });
  feed(w, [0, 1, 2, 3]); // t = 300 closes [0, 300)
  assert.equal(list(w.values()), [0, 1, 2]);
  assert.equal(list(w.timestamps()), [0, 100, 200]);
  w.update(4, 2050); // [300, 600) closes holding the frame at 300; 2050 falls in [1800, 2100)
  assert.is(w.ready, true);
  assert.equal(list(w.values()), [3]);
  w.update(5, 2099);
  assert.is(w.ready, false);
  assert.equal(list(w.values()), [4, 5]);
  w.update(6, 2100);
  assert.equal(list(w.values()), [4, 5]);
});
tumblingTime.run();

const create = suite('createWindow');
create('builds each kind from its spec', () => {
  assert.is(createWindow({ kind: 'sliding-count', size: 5 }).kind, 'sliding-count');
  assert.is(createWindow({ kind: 'tumbling-count', size: 5 }).kind, 'tumbling-count');
  assert.is(createWindow({ kind: 'sliding-time', durationMs: 5 }).kind, 'sliding-time');
  assert.is(createWindow({ kind: 'tumbling-time', durationMs: 5, capacity: 9 }).byteLength, 144);
});
create('rejects an unknown kind, naming the choices', () => {
  assert.throws(() => createWindow({ kind: 'hopping' } as never), (e: Error) => e instanceof RangeError && /sliding-count/.test(e.message));
  assert.throws(() => createWindow(undefined as never), TypeError);
});
create.run();
