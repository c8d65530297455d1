import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { effectiveSampleSize, ranks } from '../src/window/effective-size.js';
import { SeededRandom, ar1Stream } from './helpers/ar1-stream.js';

const ess = suite('effectiveSampleSize');

ess('independent draws keep most of their count', () => {
  const random = new SeededRandom(11);
  const values = ar1Stream(random, 0, 600);
  const size = effectiveSampleSize(values);
  assert.ok(size > 480 && size <= 600, `ESS ${size}`);
});
ess('AR(1) windows: near n (1 - phi)/(1 + phi), averaged over 200 windows of 600', () => {
  for (const phi of [0.5, 0.9, 0.98]) {
    const random = new SeededRandom(Math.round(phi * 1000));
    let sum = 0;
    for (let i = 0; i < 200; i++) sum += effectiveSampleSize(ar1Stream(random, phi, 600));
    const mean = sum / 200, theory = (600 * (1 - phi)) / (1 + phi);
    assert.ok(mean > 0.8 * theory && mean < 1.6 * theory, `phi ${phi}: mean ESS ${mean} vs ${theory}`);
  }
});
ess('rank-based: a monotone transform of the values gives the same size', () => {
  const values = ar1Stream(new SeededRandom(5), 0.8, 300);
  assert.is(effectiveSampleSize(values.map((v) => Math.exp(v))), effectiveSampleSize(values));
});
ess('constant windows, one or two values: 1; a sawtooth of period 2 (anti-correlated): n', () => {
  assert.is(effectiveSampleSize(new Float64Array(50).fill(3)), 1);
  assert.is(effectiveSampleSize([4]), 1);
  assert.is(effectiveSampleSize([4, 5]), 1);
  assert.is(effectiveSampleSize(Array.from({ length: 100 }, (_, i) => i % 2)), 100);
});
ess('a slow trend inside the window gives a small size', () => {
  const values = Array.from({ length: 300 }, (_, i) => i + Math.sin(i));
  assert.ok(effectiveSampleSize(values) < 3);
});
ess('maxLag limits the Geyer sum', () => {
  const values = ar1Stream(new SeededRandom(8), 0.95, 600);
  assert.ok(effectiveSampleSize(values, { maxLag: 2 }) >= effectiveSampleSize(values));
});
ess('bad input', () => {
  assert.throws(() => effectiveSampleSize([]), (e: Error) => e instanceof RangeError && /empty/.test(e.message));
  assert.throws(() => effectiveSampleSize([1, NaN, 2]), (e: Error) => /values\[1\]/.test(e.message));
  assert.throws(() => effectiveSampleSize([1, 2, 3], { maxLag: 0 }), (e: Error) => /maxLag/.test(e.message));
});
ess.run();

const rankSuite = suite('ranks');
rankSuite('average ranks, ties share the mean rank', () => {
  assert.equal(Array.from(ranks([30, 10, 20, 10])), [4, 1.5, 3, 1.5]);
});
rankSuite.run();
