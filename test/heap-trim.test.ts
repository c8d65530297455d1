// The agent's heap trim: a full collection once the used heap has grown by
// more than a step since the last one, and a real one reachable from inside
// the process.
import { getHeapStatistics } from 'node:v8';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HeapTrim, TRIM_STEP_BYTES, fullCollection } from '../edge/heap-trim.js';

const trim = suite('heap trim');

trim('collects only past a step of growth since the last collection, then measures from there', () => {
  let used = 10_000_000;
  const collected: number[] = [];
  const heap = new HeapTrim(() => { collected.push(used); used -= 1_500_000; }, () => used, 1_000_000);
  used += 999_999;
  assert.is(heap.check(), false, 'within the step');
  used += 2;
  assert.is(heap.check(), true, 'past the step');
  assert.equal(collected, [11_000_001]);
  // The floor is now what the collection left (9,500,001): growth is counted from there.
  used += 1_000_000;
  assert.is(heap.check(), false);
  used += 1;
  assert.is(heap.check(), true);
  assert.is(heap.collections, 2);
  assert.is(heap.stepBytes, 1_000_000);
  assert.is(new HeapTrim(() => undefined, () => 0).stepBytes, TRIM_STEP_BYTES);
});

trim('the full collection is reachable from inside the process and frees garbage', () => {
  const collect = fullCollection();
  assert.type(collect, 'function');
  collect!();
  const before = getHeapStatistics().used_heap_size;
  let garbage: unknown[] | undefined = Array.from({ length: 200_000 }, (_, i) => ({ i, text: `item ${i}` }));
  assert.ok(getHeapStatistics().used_heap_size > before + 8 * 1024 * 1024, 'the garbage took heap space');
  garbage = undefined;
  assert.is(garbage, undefined);
  collect!();
  assert.ok(getHeapStatistics().used_heap_size < before + 2 * 1024 * 1024, `freed: ${before} → ${getHeapStatistics().used_heap_size}`);
});

trim.run();
