import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ks2samp, type Kernels } from '../edge/library.js';
import { BUILDS, loadBuild } from './helpers/builds.js';
import { readVectors, readSample, type StoredSample } from './helpers/scipy-vectors.js';

interface KsCase {
  alternative: 'two-sided' | 'less' | 'greater';
  method: 'auto' | 'exact' | 'asymp';
  methodUsed: 'exact' | 'asymp';
  statistic: number;
  pvalue: number;
}
interface KsPair { name: string; a: StoredSample; b: StoredSample; cases: KsCase[] }

const vectors = readVectors<{ pairs: KsPair[] }>('ks2samp.json');

// The agreement: statistic to 1e-12; p-value within 1e-10 absolute
// and, for p > 1e-300, 1e-6 relative.
function pvalueAgrees(actual: number, expected: number): boolean {
  if (Math.abs(actual - expected) > 1e-10) return false;
  if (expected > 1e-300 && Math.abs(actual - expected) > 1e-6 * expected) return false;
  return true;
}

for (const build of BUILDS) {
  const ks = suite(`ks2samp against scipy.stats.ks_2samp (${build})`);
  let kernels: Kernels;
  ks.before(async () => { kernels = await loadBuild(build); });

  for (const pair of vectors.pairs) {
    ks(`${pair.name}: ${pair.cases.length} alternative/method combinations`, () => {
      const a = readSample(pair.a), b = readSample(pair.b);
      for (const c of pair.cases) {
        const r = ks2samp(a, b, { kernels, alternative: c.alternative, method: c.method });
        const label = `${pair.name} ${c.alternative} ${c.method}`;
        assert.ok(Math.abs(r.statistic - c.statistic) <= 1e-12, `${label}: statistic ${r.statistic} vs scipy ${c.statistic}`);
        assert.ok(pvalueAgrees(r.pvalue, c.pvalue), `${label}: p-value ${r.pvalue} vs scipy ${c.pvalue}`);
        assert.is(r.method, c.methodUsed, `${label}: method`);
        assert.is(r.n, a.length);
        assert.is(r.m, b.length);
      }
    });
  }

  ks('accepts plain arrays and typed arrays alike', () => {
    const a = [3, 1, 2, 5, 4], b = new Int16Array([2, 6, 7, 8]);
    const fromArrays = ks2samp(a, Array.from(b), { kernels });
    const fromTyped = ks2samp(Float32Array.from(a), b, { kernels });
    assert.equal(fromTyped, fromArrays);
  });

  ks('ties across samples: the ECDFs are compared after every distinct value', () => {
    // F_a and F_b agree at every distinct value although the raw orders interleave.
    const r = ks2samp([1, 1, 2, 2], [1, 2], { kernels });
    assert.is(r.statistic, 0);
    assert.is(r.pvalue, 1);
  });

  ks('rejects bad input, naming the argument', () => {
    assert.throws(() => ks2samp([], [1], { kernels }), (e: Error) => e instanceof RangeError && /\ba\b.*empty/.test(e.message));
    assert.throws(() => ks2samp([1], [], { kernels }), (e: Error) => e instanceof RangeError && /\bb\b.*empty/.test(e.message));
    assert.throws(() => ks2samp([1, NaN], [1], { kernels }), (e: Error) => e instanceof RangeError && /a\[1\] is NaN/.test(e.message));
    assert.throws(() => ks2samp([1], [Infinity], { kernels }), (e: Error) => e instanceof RangeError && /b\[0\] is Infinity/.test(e.message));
    assert.throws(() => ks2samp('12' as unknown as number[], [1], { kernels }), TypeError);
    assert.throws(() => ks2samp([1], [2], { kernels, alternative: 'both' as 'less' }), /options.alternative/);
    assert.throws(() => ks2samp([1], [2], { kernels, method: 'fast' as 'exact' }), /options.method/);
    assert.throws(() => ks2samp([1], [2], {} as { kernels: Kernels }), (e: Error) => e instanceof TypeError && /options.kernels/.test(e.message));
    // scipy answers NaN here (the asymptotic distribution for n*m/(n+m) < 1); we refuse.
    assert.throws(() => ks2samp([1], [2], { kernels, method: 'asymp' }), (e: Error) => e instanceof RangeError && /'exact'/.test(e.message));
  });

  ks.run();
}
