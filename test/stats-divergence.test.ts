import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { klDivergence, jensenShannon, hellinger } from '../edge/library.js';
import { readVectors, close } from './helpers/scipy-vectors.js';

interface Case { p: number[]; q: number[]; jsDistance: number; jsDivergence: number; kl: number | 'Infinity'; hellinger: number }
const { cases } = readVectors<{ cases: Case[] }>('divergences.json');

const js = suite('jensenShannon against scipy.spatial.distance.jensenshannon (base 2)');
js(`${cases.length} histogram pairs, to 1e-9 relative`, () => {
  for (const c of cases) {
    const r = jensenShannon(c.p, c.q);
    assert.ok(close(r.distance, c.jsDistance, 1e-15, 1e-9), `distance ${r.distance} vs ${c.jsDistance}`);
    assert.ok(close(r.divergence, c.jsDivergence, 1e-15, 1e-9), `divergence ${r.divergence} vs ${c.jsDivergence}`);
  }
});
js('counts and probabilities give the same answer; disjoint supports give 1 bit', () => {
  assert.equal(jensenShannon([2, 6, 2], [1, 1, 8]), jensenShannon([0.2, 0.6, 0.2], [0.1, 0.1, 0.8]));
  assert.equal(jensenShannon([1, 0], [0, 1]), { divergence: 1, distance: 1 });
  assert.equal(jensenShannon([3, 3], [5, 5]), { divergence: 0, distance: 0 });
});
js('rejects bad input, naming the argument', () => {
  assert.throws(() => jensenShannon([1, 2], [1, 2, 3]), (e: Error) => e instanceof RangeError && /q has 3 entries/.test(e.message));
  assert.throws(() => jensenShannon([1, -2], [1, 2]), (e: Error) => e instanceof RangeError && /p\[1\]/.test(e.message));
  assert.throws(() => jensenShannon([0, 0], [1, 2]), (e: Error) => e instanceof RangeError && /p sums to 0/.test(e.message));
  assert.throws(() => jensenShannon([1, NaN], [1, 2]), RangeError);
  assert.throws(() => jensenShannon([], []), RangeError);
});
js.run();

const kl = suite('klDivergence against scipy.stats.entropy(p, q, base=2)');
kl(`${cases.length} histogram pairs, to 1e-9 relative`, () => {
  for (const c of cases) {
    const actual = klDivergence(c.p, c.q);
    if (c.kl === 'Infinity') assert.is(actual, Infinity);
    else assert.ok(close(actual, c.kl, 1e-15, 1e-9), `${actual} vs ${c.kl}`);
  }
});
kl('is Infinity, not NaN, where q misses a bin p uses; 0 where p is empty', () => {
  assert.is(klDivergence([1, 1], [1, 0]), Infinity);
  assert.is(klDivergence([1, 0], [1, 1]), 1);
});
kl.run();

const hell = suite('hellinger against its definition in numpy');
hell(`${cases.length} histogram pairs, to 1e-9 relative`, () => {
  for (const c of cases) {
    const actual = hellinger(c.p, c.q);
    assert.ok(close(actual, c.hellinger, 1e-15, 1e-9), `${actual} vs ${c.hellinger}`);
  }
});
hell('bounds: 0 for equal distributions, 1 for disjoint ones', () => {
  assert.is(hellinger([1, 2, 3], [2, 4, 6]), 0);
  assert.is(hellinger([1, 0], [0, 1]), 1);
  assert.throws(() => hellinger([1, 2], [1]), RangeError);
});
hell.run();
