// The reason windows have an effective size: on a stable but autocorrelated
// stream, a KS test that counts every frame as independent rejects far more
// often than its level says; at the effective size it must not.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ksWindowTest } from '../src/window/ks-window-test.js';
import { SortedReference } from '../src/window/reference.js';
import { SeededRandom, ar1Stream, ar1StationarySd, stationaryDraws } from './helpers/ar1-stream.js';

const ALPHA = 0.05;
const WINDOWS = 1000;
const WINDOW_SIZE = 300;
const REFERENCE_SIZE = 5000;
// One-sided binomial tolerance for 1000 windows at 5%: 5% + 3 sd = 7.07%.
const MAX_RATE = ALPHA + 3 * Math.sqrt((ALPHA * (1 - ALPHA)) / WINDOWS);

interface Rates { naive: number; corrected: number; meanEss: number }

/** A slow AR(1) plus white noise of the same variance: lag 1 alone understates the dependence. */
function slowPlusNoise(random: SeededRandom, phi: number, n: number): Float64Array {
  const slow = ar1Stream(random, phi, n);
  const sd = ar1StationarySd(phi);
  return slow.map((v) => v + random.normal() * sd);
}

function rejectionRates(phi: number, seed: number, withNoise = false, windowSize = WINDOW_SIZE): Rates {
  const random = new SeededRandom(seed);
  const draws = stationaryDraws(random, phi, REFERENCE_SIZE);
  const reference = new SortedReference(withNoise ? draws.map((v) => v * Math.SQRT2) : draws);
  let naive = 0, corrected = 0, essSum = 0;
  for (let w = 0; w < WINDOWS; w++) {
    // Each window is a fresh stationary stretch, independent of the others.
    const window = withNoise ? slowPlusNoise(random, phi, windowSize) : ar1Stream(random, phi, windowSize);
    const result = ksWindowTest(window, reference);
    if (result.naivePvalue < ALPHA) naive++;
    if (result.pvalue < ALPHA) corrected++;
    essSum += result.effectiveSize;
  }
  return { naive: naive / WINDOWS, corrected: corrected / WINDOWS, meanEss: essSum / WINDOWS };
}

const fpr = suite('false-positive rate of the window KS test on stable AR(1) streams');

// Measured values (seeded, exact on every run) are in docs/windows.md.
for (const { phi, seed } of [{ phi: 0.9, seed: 9001 }, { phi: 0.98, seed: 9801 }]) {
  fpr(`phi = ${phi}: naive rejects far above 5%, ESS-corrected stays at most ${(100 * MAX_RATE).toFixed(2)}%`, () => {
    const rates = rejectionRates(phi, seed);
    assert.ok(rates.naive > 0.5, `naive rate ${rates.naive}`);
    assert.ok(rates.corrected <= MAX_RATE, `corrected rate ${rates.corrected} exceeds ${MAX_RATE}`);
    // The correction must not be vacuous: some windows are still rejected.
    assert.ok(rates.corrected > 0, `corrected rate ${rates.corrected}`);
    const trueEss = (WINDOW_SIZE * (1 - phi)) / (1 + phi);
    assert.ok(rates.meanEss > trueEss / 2 && rates.meanEss < trueEss * 3, `mean ESS ${rates.meanEss} vs ${trueEss}`);
  });
}

fpr('independent frames (phi = 0): the correction changes little', () => {
  const rates = rejectionRates(0, 1234);
  assert.ok(rates.naive <= MAX_RATE, `naive ${rates.naive}`);
  assert.ok(rates.corrected <= MAX_RATE && rates.corrected >= 0.01, `corrected ${rates.corrected}`);
  assert.ok(rates.meanEss > 0.8 * WINDOW_SIZE, `mean ESS ${rates.meanEss}`);
});

fpr('phi = 0.9 plus white noise of equal variance: the Geyer sum catches what lag 1 misses', () => {
  const rates = rejectionRates(0.9, 4242, true);
  assert.ok(rates.naive > 0.3, `naive ${rates.naive}`);
  assert.ok(rates.corrected <= MAX_RATE && rates.corrected > 0, `corrected ${rates.corrected}`);
});

fpr('phi = 0.98 plus white noise, 600-frame windows (the default size): within the tolerance', () => {
  const rates = rejectionRates(0.98, 77, true, 600);
  assert.ok(rates.naive > 0.5, `naive ${rates.naive}`);
  assert.ok(rates.corrected <= MAX_RATE && rates.corrected > 0, `corrected ${rates.corrected}`);
});

fpr.run();
