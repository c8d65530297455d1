// The Checkpointer: saves on its interval and on flush, never two at once,
// the state as it is when a write starts; failures go to onError and never
// reach the caller.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Checkpointer } from '../edge/checkpoint/checkpointer.js';
import { CheckpointStore } from '../edge/checkpoint/checkpoint-store.js';
import { flushOnSignals } from '../edge/checkpoint/flush-on-signal.js';

/** A store whose saves finish only when released, and which records how many overlap. */
class GatedStore {
  active = 0;
  maxActive = 0;
  saved: unknown[] = [];
  private readonly gates: Array<() => void> = [];
  save(_name: string, value: unknown): Promise<number> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    return new Promise((resolve) => this.gates.push(() => { this.active--; this.saved.push(value); resolve(1); }));
  }
  get waiting(): number { return this.gates.length; }
  release(): void { this.gates.shift()!(); }
}

/** Lets pending promise callbacks and I/O run until `done()` holds. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

const checkpointer = suite('Checkpointer');

checkpointer('flush saves the state as it is then, through a real store', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'driftwatch-checkpointer-'));
  try {
    const store = new CheckpointStore(dir);
    let state = { frames: 0 };
    const sizes: number[] = [];
    const c = new Checkpointer({ store, name: 'cam', snapshot: () => state, onError: (e) => assert.unreachable(e.message), onSaved: (b) => sizes.push(b) });
    state = { frames: 41 };
    assert.is(await c.flush(), true);
    assert.equal((await store.load('cam') as { value: unknown }).value, { frames: 41 });
    assert.is(c.saves, 1);
    assert.is(sizes.length, 1);
    assert.ok(sizes[0] > 16);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

checkpointer('never two writes at once: a flush during a write waits, then saves the newer state; flushes share one save', async () => {
  const store = new GatedStore();
  let frames = 1;
  const c = new Checkpointer({ store, name: 'cam', snapshot: () => ({ frames }), onError: (e) => assert.unreachable(e.message) });
  const first = c.flush();
  frames = 2;
  const second = c.flush();
  const third = c.flush();
  assert.is(second, third, 'flushes while one waits share it');
  assert.is(store.waiting, 1);
  frames = 3;
  store.release();
  assert.is(await first, true);
  await until(() => store.waiting === 1);
  frames = 4; // the waiting save took its snapshot when it started
  store.release();
  assert.is(await second, true);
  assert.equal(store.saved, [{ frames: 1 }, { frames: 3 }]);
  assert.is(store.maxActive, 1);
});

checkpointer('the interval saves repeatedly, skips ticks while a write is under way, and stop ends it', async () => {
  const store = new GatedStore();
  let frames = 0;
  const c = new Checkpointer({ store, name: 'cam', snapshot: () => ({ frames: ++frames }), intervalMs: 1, onError: (e) => assert.unreachable(e.message) }).start();
  for (let k = 0; k < 4; k++) {
    await until(() => store.waiting === 1);
    // Ticks keep coming while the save waits: none of them starts another.
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.is(store.waiting, 1);
    store.release();
  }
  await until(() => store.waiting === 1);
  const stopped = c.stop();
  store.release();
  await stopped;
  assert.is(store.maxActive, 1);
  assert.equal(store.saved, [1, 2, 3, 4, 5].map((n) => ({ frames: n })));
  assert.is(c.busy, false);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.is(store.saved.length, 5, 'no save after stop');
});

checkpointer('failures go to onError, flush resolves false, and the next save works; a throwing onError is contained', async () => {
  const errors: string[] = [];
  let fail: 'snapshot' | 'save' | null = 'snapshot';
  const saved: unknown[] = [];
  const store = { save: async (_: string, value: unknown) => { if (fail === 'save') throw new Error('disk full'); saved.push(value); return 1; } };
  const c = new Checkpointer({ store, name: 'cam', snapshot: () => { if (fail === 'snapshot') throw new TypeError('no state yet'); return 'state'; }, onError: (e) => errors.push(e.message) });
  assert.is(await c.flush(), false);
  fail = 'save';
  assert.is(await c.flush(), false);
  fail = null;
  assert.is(await c.flush(), true);
  assert.equal(errors, ['no state yet', 'disk full']);
  assert.equal([c.saves, c.failures], [1, 2]);
  assert.equal(saved, ['state']);
  const loud = new Checkpointer({ store: { save: async () => { throw new Error('x'); } }, name: 'cam', snapshot: () => 1, onError: () => { throw new Error('onError failed'); } });
  assert.is(await loud.flush(), false);
  assert.is(await loud.stop({ flush: true }), undefined);
});

checkpointer('bad options are rejected by name', () => {
  const store = new GatedStore();
  const ok = { store, name: 'cam', snapshot: () => 1, onError: () => {} };
  assert.throws(() => new Checkpointer({ ...ok, intervalMs: 0 }), /options\.intervalMs must be an integer >= 1; got 0/);
  assert.throws(() => new Checkpointer({ ...ok, onError: undefined as never }), /options\.onError must be a function/);
  assert.throws(() => new Checkpointer({ ...ok, snapshot: 3 as never }), /options\.snapshot must be a function/);
  assert.throws(() => new Checkpointer({ ...ok, store: {} as never }), /options\.store must have a save/);
  assert.throws(() => new Checkpointer({ ...ok, name: '' }), /options\.name must be a non-empty string/);
  assert.is(new Checkpointer(ok).intervalMs, 60_000);
});

checkpointer('flushOnSignals: on the signal every checkpointer saves once more, then exit 0, or 1 when a save failed', async () => {
  const saved: unknown[] = [];
  const good = new Checkpointer({ store: { save: async (_: string, v: unknown) => { saved.push(v); return 1; } }, name: 'a', snapshot: () => 'a-state', onError: () => {} });
  const bad = new Checkpointer({ store: { save: async () => { throw new Error('read-only file system'); } }, name: 'b', snapshot: () => 'b-state', onError: () => {} });
  for (const [checkpointers, expected] of [[[good], 0], [[good, bad], 1]] as const) {
    let code: number | null = null;
    const remove = flushOnSignals(checkpointers, { signals: ['SIGUSR2'], exit: (c) => { code = c; } });
    process.emit('SIGUSR2');
    process.emit('SIGUSR2'); // a second signal while saving adds nothing
    await until(() => code !== null);
    remove();
    assert.is(code, expected);
    assert.is(process.listenerCount('SIGUSR2'), 0);
  }
  assert.equal(saved, ['a-state', 'a-state']);
});

checkpointer.run();
