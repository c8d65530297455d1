// The measuring worker against measuring in this thread: the same features
// bit for bit for real photos, the same refusals for bad bytes, and a worker
// that dies fails only the frames in flight; the next frame gets a new worker.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { InProcessMeasurer, WorkerMeasurer, type Measured, type MeasureRequest } from '../edge/agent/frame-measurer.js';
import { loadKernels } from '../edge/library.js';
import { repoPath } from './helpers/paths.js';

const measurer = suite('frame measurers');
const PHOTOS = ['rocket.jpg', 'hubble_deep_field.jpg', 'coffee.png'];

const request = (bytes: Uint8Array, origin: string, scale: 1 | 2 | 4 | 8 = 1): MeasureRequest => ({ bytes, origin, decode: { scale }, step: 1 });
const comparable = (m: Measured) => (m.ok ? { features: m.stats.features, luma: [...m.stats.histograms.luma], hue: [...m.stats.histograms.hue], size: [m.stats.width, m.stats.height] } : m);

measurer('the worker measures real photos exactly as this thread does, at full and reduced scale; bad bytes are refused alike', async () => {
  const local = new InProcessMeasurer(await loadKernels());
  const worker = new WorkerMeasurer();
  try {
    for (const photo of PHOTOS) {
      const bytes = new Uint8Array(await readFile(repoPath('samples', photo)));
      for (const scale of [1, 2] as const) {
        const [a, b] = await Promise.all([local.measure(request(bytes, photo, scale)), worker.measure(request(bytes, photo, scale))]);
        assert.ok(a.ok, photo);
        assert.equal(comparable(b), comparable(a), `${photo} at 1/${scale}`);
      }
    }
    const truncated = new Uint8Array(await readFile(repoPath('test/fixtures/truncated.jpg')));
    for (const bad of [truncated, new TextEncoder().encode('not an image'), new Uint8Array(0)]) {
      const [a, b] = await Promise.all([local.measure(request(bad, 'bad-file')), worker.measure(request(bad, 'bad-file'))]);
      assert.equal(b, a);
      assert.equal([b.ok, !b.ok && b.reason], [false, 'decode']);
    }
  } finally {
    await worker.close();
  }
});

measurer('handed-over bytes are moved to the worker (the caller\'s view empties), measured the same; a view of a shared pool is copied', async () => {
  const local = new InProcessMeasurer(await loadKernels());
  const worker = new WorkerMeasurer();
  try {
    const photo = new Uint8Array(await readFile(repoPath('samples', 'rocket.jpg')));
    const expected = await local.measure(request(photo, 'rocket.jpg'));
    const owned = new Uint8Array(photo);
    const moved = await worker.measure({ ...request(owned, 'rocket.jpg'), handOver: true });
    assert.equal(comparable(moved), comparable(expected));
    assert.is(owned.byteLength, 0, 'the buffer went to the worker');
    // Small Buffers are views of Node's shared pool: handing one over must not detach the pool.
    const pooled = Buffer.from('not an image');
    assert.ok(pooled.buffer.byteLength > pooled.byteLength);
    const refused = await worker.measure({ ...request(pooled, 'pooled'), handOver: true });
    assert.equal([refused.ok, pooled.toString()], [false, 'not an image']);
  } finally {
    await worker.close();
  }
});

measurer('a worker that dies fails the frames in flight; the next frame starts a new one; a closed measurer refuses', async () => {
  const worker = new WorkerMeasurer();
  const bytes = new Uint8Array(await readFile(repoPath('samples', 'rocket.jpg')));
  assert.ok((await worker.measure(request(bytes, 'first'))).ok);
  const inFlight = worker.measure(request(bytes, 'second'));
  await (worker as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
  try {
    await inFlight;
    assert.unreachable('a frame in flight when the worker died must fail');
  } catch (error) {
    assert.match((error as Error).message, /measuring worker exited/);
  }
  assert.ok((await worker.measure(request(bytes, 'third'))).ok, 'a new worker takes the next frame');
  await worker.close();
  try {
    await worker.measure(request(bytes, 'after close'));
    assert.unreachable('closed');
  } catch (error) {
    assert.match((error as Error).message, /closed/);
  }
});

measurer.run();
