import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CategoricalCounts, OVERFLOW_CATEGORY } from '../src/categorical/categorical-counts.js';

const counts = suite('CategoricalCounts');

counts('counts categories and lists them by count, ties by name', () => {
  const c = new CategoricalCounts();
  for (const label of ['dog', 'cat', 'dog', 'bird', 'cat', 'dog']) c.add(label);
  assert.equal(c.entries(), [['dog', 3], ['cat', 2], ['bird', 1]]);
  assert.is(c.total, 6);
  assert.is(c.count('cat'), 2);
  assert.is(c.count('fish'), 0);
});

counts('categories past the bound go to the overflow bucket', () => {
  const c = new CategoricalCounts({ maxCategories: 2 });
  c.add('a').add('b').add('c').add('a').add('d', 5);
  assert.is(c.size, 2);
  assert.is(c.overflow, 6);
  assert.equal(c.entries(), [['a', 2], ['b', 1], [OVERFLOW_CATEGORY, 6]]);
  assert.is(c.total, 9);
});

counts('merge is exact while the union fits, in any order', () => {
  const parts = [['x', 'y'], ['y', 'z', 'z'], ['x', 'w']].map((labels) => {
    const c = new CategoricalCounts({ maxCategories: 8 });
    for (const l of labels) c.add(l);
    return c;
  });
  const forward = new CategoricalCounts({ maxCategories: 8 });
  for (const p of parts) forward.merge(p);
  const backward = new CategoricalCounts({ maxCategories: 8 });
  for (const p of [...parts].reverse()) backward.merge(p);
  assert.equal(forward.entries(), backward.entries());
  assert.equal(forward.entries(), [['x', 2], ['y', 2], ['z', 2], ['w', 1]]);
});

counts('merge past the bound admits the larger incoming categories first', () => {
  const a = new CategoricalCounts({ maxCategories: 2 }).add('a', 10);
  const b = new CategoricalCounts({ maxCategories: 2 }).add('small', 1).add('big', 7);
  a.merge(b);
  assert.equal(a.entries(), [['a', 10], ['big', 7], [OVERFLOW_CATEGORY, 1]]);
});

counts('JSON round trip, and bad JSON is rejected', () => {
  const c = new CategoricalCounts({ maxCategories: 3 }).add('a', 4).add('b').add('c').add('d');
  const back = CategoricalCounts.fromJSON(JSON.parse(JSON.stringify(c)));
  assert.equal(back.entries(), c.entries());
  assert.is(back.maxCategories, 3);
  assert.throws(() => CategoricalCounts.fromJSON({ maxCategories: 1, counts: { a: 1, b: 2 }, overflow: 0 }), /exceed maxCategories 1/);
  assert.throws(() => CategoricalCounts.fromJSON({ maxCategories: 4, counts: { a: -1 }, overflow: 0 }), /non-negative integer/);
  assert.throws(() => CategoricalCounts.fromJSON(null), TypeError);
});

counts('bad input is rejected and changes nothing', () => {
  const c = new CategoricalCounts().add('a');
  assert.throws(() => c.add(''), /non-empty string/);
  assert.throws(() => c.add('a', 1.5), /non-negative integer/);
  assert.throws(() => c.add(OVERFLOW_CATEGORY), /reserved/);
  assert.throws(() => new CategoricalCounts({ maxCategories: 0 }), /maxCategories/);
  assert.equal(c.entries(), [['a', 1]]);
});

counts.run();
