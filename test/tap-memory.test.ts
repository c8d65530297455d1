// The proxy tap's memory (edge/sources/tap-memory.ts) and the copy it
// collects bodies into (edge/sources/tap-buffer.ts): buffers come back and
// are handed out again, the copy owns its bytes, and the caps still hold.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MIN_TAP_BUFFER, TapMemory, sizeFor } from '../edge/sources/tap-memory.js';
import { TapBudget, TapBuffer } from '../edge/sources/tap-buffer.js';

test('sizes are powers of two from 4 KiB', () => {
  assert.equal([sizeFor(0), sizeFor(1), sizeFor(4096), sizeFor(4097), sizeFor(20_000), sizeFor(65_536)], [MIN_TAP_BUFFER, 4096, 4096, 8192, 32_768, 65_536]);
});

test('a buffer given back is handed out again for a body of its size class', () => {
  const memory = new TapMemory(1 << 20);
  const first = memory.take(20_000);
  assert.is(first.byteLength, 32_768);
  memory.give(first);
  assert.is(memory.spareByteCount, 32_768);
  assert.is(memory.take(17_000), first, 'same class: reused');
  assert.is(memory.made, 1);
  assert.is.not(memory.take(5000), first, 'another class: made');
  assert.is(memory.made, 2);
});

test('spare bytes stay under the cap; a buffer given twice, a foreign size or a detached buffer is not kept', () => {
  const memory = new TapMemory(10_000);
  const a = memory.take(4096);
  const b = memory.take(4096);
  const c = memory.take(4096);
  memory.give(a);
  memory.give(a);
  assert.is(memory.spareByteCount, 4096, 'given twice, kept once');
  memory.give(b);
  memory.give(c);
  assert.is(memory.spareByteCount, 8192, 'the third would pass the 10,000-byte cap');
  memory.give(new ArrayBuffer(5000));
  const detached = new ArrayBuffer(4096);
  structuredClone(detached, { transfer: [detached] }); // moved away: 0 bytes left
  memory.give(detached);
  assert.is(memory.spareByteCount, 8192);
  const handedOut = new Set([memory.take(4096), memory.take(4096)]);
  assert.is(handedOut.size, 2, 'two different buffers');
});

test('a tap buffer copies what it is given, grows past its hint, and hands over exactly the body', () => {
  const memory = new TapMemory(1 << 20);
  const budget = new TapBudget(1 << 20);
  const copy = new TapBuffer(100_000, budget, memory, 5000);
  const chunk = new Uint8Array(3000).map((_, i) => i % 251);
  copy.push(chunk);
  chunk.fill(0); // the socket's buffer is used again: the copy must not change
  copy.push(new Uint8Array(9000).fill(7));
  assert.is(budget.used, 12_000);
  const bytes = copy.take()!;
  assert.is(bytes.byteLength, 12_000);
  assert.is(bytes.buffer.byteLength, 16_384, 'grown from the 8 KiB class the 5,000-byte hint chose');
  assert.equal([bytes[0], bytes[250], bytes[251], bytes[2999], bytes[3000], bytes[11_999]], [0, 250, 0, 2999 % 251, 7, 7]);
  assert.is(budget.used, 0, 'taken: the budget is free again');
  assert.is(memory.spareByteCount, 8192, 'the outgrown buffer went back');
});

test('past its cap or the shared budget a tap buffer lets go of its copy and only counts', () => {
  const memory = new TapMemory(1 << 20);
  const budget = new TapBudget(10_000);
  const capped = new TapBuffer(5000, budget, memory);
  capped.push(new Uint8Array(4000));
  capped.push(new Uint8Array(2000));
  assert.ok(capped.overflowed);
  assert.is(capped.take(), undefined);
  assert.is(budget.used, 0);
  const first = new TapBuffer(100_000, budget, memory);
  const second = new TapBuffer(100_000, budget, memory);
  first.push(new Uint8Array(8000));
  second.push(new Uint8Array(3000));
  assert.ok(second.overflowed, 'the budget holds 10,000 bytes in all');
  assert.is(budget.used, 8000);
  first.release();
  assert.is(budget.used, 0);
  assert.is(memory.spareByteCount, 4096 + 8192, 'both copies went back');
});

test.run();
