import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { kolmogorovSf } from '../src/stats/kolmogorov-n.js';
import { kolmogorovSfCached, kolmogorovCacheSize, KOLMOGOROV_CACHE_LIMIT } from '../src/stats/kolmogorov-cache.js';
import { smirnovSf } from '../src/stats/smirnov.js';
import { readVectors, close } from './helpers/scipy-vectors.js';

interface Point { n: number; x: number; kstwoSf: number; smirnov: number }
const { grid } = readVectors<{ grid: Point[] }>('kolmogorov.json');

const kolmogorov = suite('kolmogorovSf against scipy.stats.kstwo.sf');
kolmogorov(`${grid.length} points over every method branch, to 1e-9 relative`, () => {
  for (const { n, x, kstwoSf } of grid) {
    const actual = kolmogorovSf(n, x);
    assert.ok(close(actual, kstwoSf, 1e-300, 1e-9), `n=${n} x=${x}: ${actual} vs scipy ${kstwoSf}`);
  }
});
kolmogorov('ends of the support', () => {
  assert.is(kolmogorovSf(10, 0), 1);
  assert.is(kolmogorovSf(10, 0.05), 1); // x <= 1/(2n): every sample is at least this far
  assert.is(kolmogorovSf(10, 1), 0);
  assert.throws(() => kolmogorovSf(0, 0.5), RangeError);
});
kolmogorov.run();

const smirnov = suite('smirnovSf against scipy.special.smirnov');
smirnov(`${grid.length} points, to 1e-9 relative`, () => {
  for (const { n, x, smirnov: expected } of grid) {
    const actual = smirnovSf(n, x);
    assert.ok(close(actual, expected, 1e-300, 1e-9), `n=${n} x=${x}: ${actual} vs scipy ${expected}`);
  }
});
smirnov('rejects arguments outside its domain', () => {
  assert.throws(() => smirnovSf(5, -0.1), RangeError);
  assert.throws(() => smirnovSf(5, NaN), RangeError);
  assert.throws(() => smirnovSf(0, 0.5), RangeError);
});
smirnov.run();

const cached = suite('kolmogorovSfCached: the same values, remembered within a bound');
cached('every grid point gives kolmogorovSf\'s value exactly, asked once and again', () => {
  for (const { n, x } of grid) {
    const direct = kolmogorovSf(n, x);
    assert.is(kolmogorovSfCached(n, x), direct, `n=${n} x=${x}, first`);
    assert.is(kolmogorovSfCached(n, x), direct, `n=${n} x=${x}, remembered`);
  }
});
cached('more distinct pairs than the bound: still exact, and never more than the bound kept', () => {
  for (let i = 1; i <= 3 * KOLMOGOROV_CACHE_LIMIT; i++) {
    const n = 20 + (i % 7), x = i / (4 * KOLMOGOROV_CACHE_LIMIT);
    assert.is(kolmogorovSfCached(n, x), kolmogorovSf(n, x));
    assert.ok(kolmogorovCacheSize() <= KOLMOGOROV_CACHE_LIMIT);
  }
  assert.throws(() => kolmogorovSfCached(0, 0.5), RangeError);
});
cached.run();
