// Merging: 100 sketches of 1e4 values each, merged in several orders and
// shapes, summarize the 1e6 values within eps; merge is exact on n, min, max.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { QuantileSketch } from '../edge/library.js';
import { maxRankError, sketchOf, stream, uniforms } from './helpers/sketch-data.js';

const PARTS = 100, PER_PART = 1e4;
const all = stream('normal', PARTS * PER_PART, 11);
const allSorted = all.slice().sort();
const parts = Array.from({ length: PARTS }, (_, i) =>
  sketchOf(() => new QuantileSketch({ seed: i + 1 }), all.subarray(i * PER_PART, (i + 1) * PER_PART)));

function shuffled(seed: number): QuantileSketch[] {
  const next = uniforms(seed), order = parts.slice();
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function sequential(order: QuantileSketch[]): QuantileSketch {
  const total = new QuantileSketch();
  for (const part of order) total.merge(part);
  return total;
}

function tree(order: QuantileSketch[]): QuantileSketch {
  let level = order.map((s) => new QuantileSketch().merge(s));
  while (level.length > 1) {
    const next: QuantileSketch[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? level[i].merge(level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

const m = suite('merging 100 sketches (1e6 normal values)');
const eps = new QuantileSketch().normalizedRankError;
for (const [name, build] of [['sequential', sequential], ['tree', tree]] as const) {
  m(`${name} merge in 5 shuffled orders: within eps, n/min/max exact`, () => {
    for (let seed = 1; seed <= 5; seed++) {
      const merged = build(shuffled(seed));
      const error = maxRankError(merged, all, allSorted);
      assert.ok(error <= eps, `order ${seed}: ${error} > ${eps}`);
      assert.is(merged.n, all.length);
      assert.is(merged.min, all.reduce((a, b) => Math.min(a, b)));
      assert.is(merged.max, all.reduce((a, b) => Math.max(a, b)));
      assert.ok(merged.serialize().length <= 3072);
    }
  });
}
m('merged parts are unchanged; the same order gives the same bytes', () => {
  const before = parts[0].serialize();
  const a = sequential(parts), b = sequential(parts);
  assert.equal(parts[0].serialize(), before);
  assert.equal(a.serialize(), b.serialize());
});
m('merging an empty sketch changes nothing; merging into an empty one copies', () => {
  const s = sketchOf(() => new QuantileSketch(), [1, 2, 3]);
  const bytes = s.serialize();
  s.merge(new QuantileSketch());
  assert.equal(s.serialize(), bytes);
  const copy = new QuantileSketch().merge(s);
  assert.is(copy.n, 3);
  assert.is(copy.rank(2), s.rank(2));
  assert.is(copy.min, 1);
});
m('a sketch merged with itself doubles every weight', () => {
  const s = sketchOf(() => new QuantileSketch(), stream('uniform', 5000, 2));
  const r = s.rank(0.5);
  s.merge(s);
  assert.is(s.n, 10000);
  assert.ok(Math.abs(s.rank(0.5) - r) <= eps);
});
m('different k is rejected with a RangeError, leaving the target intact', () => {
  const s = sketchOf(() => new QuantileSketch(), [1, 2]);
  assert.throws(() => s.merge(new QuantileSketch({ k: 100 }).update(3)), (e: Error) => e instanceof RangeError && /k = 100/.test(e.message));
  assert.throws(() => s.merge({} as QuantileSketch), TypeError);
  assert.is(s.n, 2);
});
m.run();
