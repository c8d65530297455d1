import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chiSquareHomogeneity, gammaQ, gammaP } from '../edge/library.js';
import { readVectors, close } from './helpers/scipy-vectors.js';

interface Case { reference: number[]; current: number[]; statistic: number; pvalue: number; dof: number }
interface GammaPoint { a: number; x: number; q: number; p: number }
const vectors = readVectors<{ cases: Case[]; gammaincc: GammaPoint[] }>('chi-square.json');

const chi = suite('chiSquareHomogeneity against scipy.stats.chi2_contingency');
chi(`${vectors.cases.length} count tables (2 x k, Yates at dof 1), to 1e-9 relative`, () => {
  for (const c of vectors.cases) {
    const r = chiSquareHomogeneity(c.reference, c.current);
    assert.is(r.dof, c.dof);
    assert.ok(close(r.statistic, c.statistic, 1e-300, 1e-9), `statistic ${r.statistic} vs ${c.statistic}`);
    assert.ok(close(r.pvalue, c.pvalue, 1e-300, 1e-9), `p-value ${r.pvalue} vs ${c.pvalue}`);
  }
});
chi('categories empty in both rows are dropped; one category left means no evidence', () => {
  assert.equal(chiSquareHomogeneity([10, 0, 20], [5, 0, 9]), chiSquareHomogeneity([10, 20], [5, 9]));
  assert.equal(chiSquareHomogeneity([4, 0], [7, 0]), { statistic: 0, pvalue: 1, dof: 0, categories: 1 });
  const uncorrected = chiSquareHomogeneity([10, 20], [20, 10], { correction: false });
  const corrected = chiSquareHomogeneity([10, 20], [20, 10]);
  assert.ok(uncorrected.statistic > corrected.statistic);
});
chi('rejects bad input, naming the argument', () => {
  assert.throws(() => chiSquareHomogeneity([1, -1], [1, 1]), (e: Error) => e instanceof RangeError && /reference\[1\]/.test(e.message));
  assert.throws(() => chiSquareHomogeneity([1, 1], [1, 1, 1]), (e: Error) => e instanceof RangeError && /current has 3 entries/.test(e.message));
  assert.throws(() => chiSquareHomogeneity([1, 1], [0, 0]), (e: Error) => e instanceof RangeError && /current sums to 0/.test(e.message));
  assert.throws(() => chiSquareHomogeneity([1, 1], [1, NaN]), RangeError);
  assert.throws(() => chiSquareHomogeneity([1, 1], [1, 1], { correction: 'yes' as unknown as boolean }), TypeError);
});
chi.run();

const gamma = suite('regularized incomplete gamma against scipy.special.gammaincc / gammainc');
gamma(`${vectors.gammaincc.length} points, to 1e-9 relative`, () => {
  for (const g of vectors.gammaincc) {
    assert.ok(close(gammaQ(g.a, g.x), g.q, 1e-300, 1e-9), `Q(${g.a}, ${g.x}) = ${gammaQ(g.a, g.x)} vs ${g.q}`);
    assert.ok(close(gammaP(g.a, g.x), g.p, 1e-300, 1e-9), `P(${g.a}, ${g.x}) = ${gammaP(g.a, g.x)} vs ${g.p}`);
  }
});
gamma('ends and bad arguments', () => {
  assert.is(gammaQ(2, 0), 1);
  assert.is(gammaP(2, Infinity), 1);
  assert.throws(() => gammaQ(0, 1), RangeError);
  assert.throws(() => gammaQ(1, -1), RangeError);
  assert.throws(() => gammaQ(1, NaN), RangeError);
});
gamma.run();
