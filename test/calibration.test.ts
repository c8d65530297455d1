// Block bootstrap and the calibration of the CUSUM threshold to a
// false-alarm target, on seeded series.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { blockBootstrap, seededUniform } from '../src/policy/block-bootstrap.js';
import { calibrateSequential } from '../src/policy/calibration.js';

function gaussianSeries(n: number, phi: number, seed: number): Float64Array {
  const uniform = seededUniform(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const out = new Float64Array(n);
  let x = gaussian();
  for (let i = 0; i < n; i++) out[i] = x = phi * x + Math.sqrt(1 - phi * phi) * gaussian();
  return out;
}

const calibration = suite('calibration');

calibration('block bootstrap: every block is a run of consecutive values (wrapping), reproducible by seed', () => {
  const series = Float64Array.from({ length: 100 }, (_, i) => i);
  const a = blockBootstrap(series, 1000, 10, seededUniform(5));
  assert.equal(a, blockBootstrap(series, 1000, 10, seededUniform(5)));
  assert.not.equal(a, blockBootstrap(series, 1000, 10, seededUniform(6)));
  for (let b = 0; b < 1000; b += 10) {
    for (let j = 1; j < 10; j++) assert.is(a[b + j], (a[b] + j) % 100, `block at ${b}`);
  }
});

calibration('block bootstrap rejects bad input', () => {
  assert.throws(() => blockBootstrap([1], 10, 2, seededUniform(1)), /at least 2 values/);
  assert.throws(() => blockBootstrap([1, 2, 3], 10, 0, seededUniform(1)), /block must be an integer >= 1/);
  assert.throws(() => blockBootstrap([1, 2, 3], 0, 2, seededUniform(1)), /length must be an integer >= 1/);
});

calibration('i.i.d. values, one a month at 10 fps: the threshold Siegmund predicts (about 16 at k = 0.5)', () => {
  const r = calibrateSequential({ series: { x: gaussianSeries(6000, 0, 1) }, taus: { x: 1 }, fps: 10, seed: 3 });
  assert.is(r.features, 1);
  assert.ok(Math.abs(r.targetRatePerFrame - 1 / (30 * 86_400 * 10)) < 1e-15);
  assert.ok(r.threshold! > 13 && r.threshold! < 19, `threshold ${r.threshold}`);
  for (let i = 1; i < r.ladder.length; i++) assert.ok(r.ladder[i].ratePerFrame <= r.ladder[i - 1].ratePerFrame, 'rates fall with h');
  assert.equal(r, calibrateSequential({ series: { x: gaussianSeries(6000, 0, 1) }, taus: { x: 1 }, fps: 10, seed: 3 }), 'seeded');
});

calibration('a looser target gives a lower threshold; correlated values standardized by the long-run sd need about the same', () => {
  const series = { x: gaussianSeries(6000, 0, 1) };
  const strict = calibrateSequential({ series, taus: { x: 1 }, fps: 10 });
  const loose = calibrateSequential({ series, taus: { x: 1 }, fps: 10, falseAlertsPer30Days: 1000 });
  assert.ok(loose.threshold! < strict.threshold! - 3, `${loose.threshold} vs ${strict.threshold}`);
  const ar = calibrateSequential({ series: { x: gaussianSeries(20000, 0.9, 2) }, taus: { x: 19 }, fps: 10 });
  assert.ok(ar.threshold! < 19, `AR(1) with τ = 19: ${ar.threshold}`);
});

calibration('constant features are left to the exact comparison; bad targets are rejected', () => {
  const r = calibrateSequential({ series: { x: gaussianSeries(3000, 0, 4), width: new Float64Array(3000).fill(320) }, taus: { x: 1, width: 3000 }, fps: 10 });
  assert.is(r.features, 1);
  assert.throws(() => calibrateSequential({ series: { x: [1, 2, 3] }, taus: {}, fps: 0 }), /fps and falseAlertsPer30Days must be > 0/);
  assert.throws(() => calibrateSequential({ series: { x: [1, 2, 3] }, taus: {}, fps: 10, falseAlertsPer30Days: -1 }), /falseAlertsPer30Days/);
});

calibration.run();
