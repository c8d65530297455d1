#!/usr/bin/env node
// Prints the false-positive and power figures of docs/windows.md that are not
// asserted by test/window-fpr.test.ts. Run after `npm run build:ts`.
// Seeded: the output is the same on every run.
import { ksWindowTest } from '../dist/src/window/ks-window-test.js';
import { SortedReference } from '../dist/src/window/reference.js';
import { SeededRandom, ar1Stream, ar1StationarySd, stationaryDraws } from '../dist/test/helpers/ar1-stream.js';

const REFERENCE_SIZE = 5000;
const ALPHA = 0.05;

/** Rejection rates over `windows` windows of `size` frames, the window shifted by `shift` stationary sd. */
function rates({ phi, size, seed, noise = false, shift = 0, windows = 1000 }) {
  const random = new SeededRandom(seed);
  const sd = ar1StationarySd(phi);
  const draws = stationaryDraws(random, phi, REFERENCE_SIZE);
  const reference = new SortedReference(noise ? draws.map((v) => v * Math.SQRT2) : draws);
  let naive = 0, corrected = 0, ess = 0;
  for (let w = 0; w < windows; w++) {
    let x = ar1Stream(random, phi, size);
    if (noise) x = x.map((v) => v + random.normal() * sd);
    if (shift) x = x.map((v) => v + shift * sd);
    const r = ksWindowTest(x, reference);
    if (r.naivePvalue < ALPHA) naive++;
    if (r.pvalue < ALPHA) corrected++;
    ess += r.effectiveSize;
  }
  return `naive ${(100 * naive / windows).toFixed(1)}%, corrected ${(100 * corrected / windows).toFixed(1)}%, mean ESS ${(ess / windows).toFixed(1)}`;
}

console.log('False-positive rate outside the guaranteed range (1000 windows, m = 5000):');
console.log(`  phi 0.98, n 60:            ${rates({ phi: 0.98, size: 60, seed: 78 })}`);
console.log(`  phi 0.9,  n 60:            ${rates({ phi: 0.9, size: 60, seed: 79 })}`);
console.log(`  phi 0.98 + noise, n 300:   ${rates({ phi: 0.98, size: 300, seed: 77, noise: true })}`);
console.log(`  phi 0.98 + noise, n 600:   ${rates({ phi: 0.98, size: 600, seed: 77, noise: true })}`);
console.log(`  phi 0.5,  n 300:           ${rates({ phi: 0.5, size: 300, seed: 80 })}`);
console.log('Power: corrected rejection rate of a window shifted by delta stationary sd (400 windows):');
for (const phi of [0.9, 0.98]) {
  for (const size of [300, 600]) {
    for (const shift of [0.5, 1, 2]) {
      console.log(`  phi ${phi}, n ${size}, delta ${shift}: ${rates({ phi, size, seed: 5, shift, windows: 400 })}`);
    }
  }
}
