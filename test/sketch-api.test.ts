// QuantileSketch's input checks and empty-sketch behaviour: clear errors,
// and a sketch that still works after rejecting bad input.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EmptySketchError, QuantileSketch } from '../edge/library.js';

const isRange = (pattern: RegExp) => (e: Error) => e instanceof RangeError && pattern.test(e.message);

const opts = suite('QuantileSketch options');
opts('k defaults to 200; k and seed are checked', () => {
  assert.is(new QuantileSketch().k, 200);
  assert.is(new QuantileSketch({ k: 8 }).k, 8);
  for (const k of [7, 65536, 200.5, NaN, '200']) {
    assert.throws(() => new QuantileSketch({ k: k as number }), isRange(/options\.k/));
  }
  for (const seed of [-1, 2 ** 32, 0.5]) assert.throws(() => new QuantileSketch({ seed }), isRange(/options\.seed/));
  assert.throws(() => new QuantileSketch(null as never), TypeError);
});
opts('the same seed gives the same sketch; another seed another one', () => {
  const fill = (seed?: number) => {
    const s = new QuantileSketch({ seed });
    for (let i = 0; i < 20000; i++) s.update((i * 7919) % 10007);
    return s.serialize();
  };
  assert.equal(fill(5), fill(5));
  assert.equal(fill(), fill());
  assert.not.equal(fill(5), fill(6));
});
opts.run();

const bad = suite('bad values');
bad('NaN, infinities, beyond-float32 and non-numbers are RangeErrors naming the value; nothing changes', () => {
  const s = new QuantileSketch().update(1).update(2);
  assert.throws(() => s.update(NaN), isRange(/update\(NaN\)/));
  assert.throws(() => s.update(Infinity), isRange(/update\(Infinity\)/));
  assert.throws(() => s.update(-Infinity), isRange(/update\(-Infinity\)/));
  assert.throws(() => s.update(1e39), isRange(/float32 range/));
  assert.throws(() => s.update('3' as unknown as number), isRange(/update\(3\)/));
  assert.is(s.n, 2);
  assert.is(s.max, 2);
  assert.is(s.update(3).rank(2), 2 / 3);
});
bad('quantile needs q in [0, 1]; rank needs a number; cdf needs increasing finite points', () => {
  const s = new QuantileSketch().update(1);
  for (const q of [-0.1, 1.1, NaN]) assert.throws(() => s.quantile(q), isRange(/q must lie in \[0, 1\]/));
  assert.throws(() => s.rank(NaN), isRange(/rank\(NaN\)/));
  assert.throws(() => s.cdf([1, 1]), isRange(/points\[1\]/));
  assert.throws(() => s.cdf([0, Infinity]), isRange(/points\[1\]/));
  assert.throws(() => s.cdf(5 as unknown as number[]), TypeError);
  assert.equal(Array.from(s.cdf([])), []);
});
bad.run();

const empty = suite('an empty sketch');
empty('n 0, min and max NaN; rank, quantile, cdf throw EmptySketchError', () => {
  const s = new QuantileSketch();
  assert.ok(s.isEmpty);
  assert.is(s.n, 0);
  assert.ok(Number.isNaN(s.min) && Number.isNaN(s.max));
  for (const query of [() => s.rank(1), () => s.quantile(0.5), () => s.cdf([1]), () => s.weightedItems()]) {
    assert.throws(query, (e: Error) => e instanceof EmptySketchError && /the sketch is empty/.test(e.message));
  }
  assert.not.ok(s.update(1).isEmpty);
});
empty.run();
