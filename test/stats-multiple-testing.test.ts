import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { benjaminiHochberg, bonferroni } from '../edge/library.js';
import { readVectors, close } from './helpers/scipy-vectors.js';

interface Case { pvalues: number[]; bh: number[]; bonferroni: number[] }
const { cases } = readVectors<{ cases: Case[] }>('multiple-testing.json');

const bh = suite('benjaminiHochberg against scipy.stats.false_discovery_control');
bh(`${cases.length} families (1 to 100 tests, with ties), to 1e-12 relative`, () => {
  for (const c of cases) {
    const r = benjaminiHochberg(c.pvalues);
    c.bh.forEach((expected, i) => assert.ok(close(r.adjusted[i], expected, 0, 1e-12), `${i}: ${r.adjusted[i]} vs ${expected}`));
    assert.equal(r.rejected, c.bh.map((a) => a <= 0.05));
  }
});
bh('step-up: a hypothesis is rejected when a larger p-value clears its own threshold', () => {
  // Thresholds q*k/m with m = 4, q = 0.1: 0.025, 0.05, 0.075, 0.1. Only p_(3) clears its threshold,
  // which rejects p_(1..3) although p_(2) = 0.06 > 0.05.
  const r = benjaminiHochberg([0.03, 0.06, 0.07, 0.9], { q: 0.1 });
  assert.equal(r.rejected, [true, true, true, false]);
});
bh('rejects bad input, naming the argument', () => {
  assert.throws(() => benjaminiHochberg([]), RangeError);
  assert.throws(() => benjaminiHochberg([0.1, 1.2]), (e: Error) => e instanceof RangeError && /pvalues\[1\]/.test(e.message));
  assert.throws(() => benjaminiHochberg([0.1, NaN]), RangeError);
  assert.throws(() => benjaminiHochberg([0.1], { q: 0 }), /options.q/);
});
bh.run();

const bonf = suite('bonferroni');
bonf('adjusted = min(1, m p); rejected at alpha', () => {
  for (const c of cases) {
    const r = bonferroni(c.pvalues, { alpha: 0.05 });
    assert.equal(Array.from(r.adjusted), c.bonferroni);
    assert.equal(r.rejected, c.bonferroni.map((a) => a <= 0.05));
  }
});
bonf('rejects bad input, naming the argument', () => {
  assert.throws(() => bonferroni([-0.1]), (e: Error) => e instanceof RangeError && /pvalues\[0\]/.test(e.message));
  assert.throws(() => bonferroni([0.1], { alpha: 1 }), /options.alpha/);
});
bonf.run();
