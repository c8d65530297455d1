#!/usr/bin/env node
// Prints the run lengths and detection delays of docs/detectors.md for the
// sequential detectors at their defaults (and CUSUM at lower thresholds).
// Run after `npm run build:ts`. Seeded: the output is the same on every run.
import { Cusum } from '../dist/src/detectors/cusum.js';
import { PageHinkley } from '../dist/src/detectors/page-hinkley.js';
import { SeededRandom, ar1StationarySd } from '../dist/test/helpers/ar1-stream.js';

const SEEDS = 20;
const IN_CONTROL = 100_000;

const detectors = {
  'Cusum (mean 0, std 1)': (o = {}) => new Cusum({ mean: 0, std: 1, ...o }),
  'Cusum (warm-up 100)': (o = {}) => new Cusum(o),
  'PageHinkley': (o = {}) => new PageHinkley(o),
};

/** Detections in `n` values of a standardized Gaussian AR(1) (phi = 0: i.i.d. N(0, 1)), summed over SEEDS streams. */
function falseDetections(make, phi) {
  let count = 0;
  const sd = ar1StationarySd(phi);
  for (let s = 1; s <= SEEDS; s++) {
    const random = new SeededRandom(9000 + s);
    const d = make();
    let x = random.normal() * sd;
    for (let i = 0; i < IN_CONTROL; i++) {
      if (d.update(x / sd).driftDetected) count++;
      x = phi * x + random.normal();
    }
  }
  return count;
}

/** Delays (values after the change) of the first detection at or after the change, 500 seeded streams. */
function delays(make, change) {
  const out = [];
  for (let s = 1; s <= 500; s++) {
    const random = new SeededRandom(500 + s);
    const d = make();
    for (let i = 0; i < 20_000; i++) {
      const x = random.normal() + change(i);
      if (d.update(x).driftDetected && i >= 500) { out.push(i - 500); break; }
    }
  }
  out.sort((a, b) => a - b);
  const mean = out.reduce((a, b) => a + b, 0) / out.length;
  return `mean ${mean.toFixed(1)}, median ${out[out.length >> 1]}, 95th ${out[Math.floor(out.length * 0.95)]}, missed ${500 - out.length}`;
}

console.log(`False detections in ${SEEDS} x ${IN_CONTROL} in-control values (defaults)`);
for (const [name, make] of Object.entries(detectors)) {
  console.log(`  ${name}: i.i.d. ${falseDetections(make, 0)}, AR(1) phi 0.5 ${falseDetections(make, 0.5)}, AR(1) phi 0.9 ${falseDetections(make, 0.9)}`);
}
console.log('Cusum on AR(1) values standardized by the long-run sd, sd * sqrt((1 + phi) / (1 - phi)):');
for (const phi of [0.5, 0.9]) {
  const longRun = Math.sqrt((1 + phi) / (1 - phi));
  console.log(`  phi ${phi}: ${falseDetections(() => new Cusum({ mean: 0, std: longRun }), phi)}`);
}
console.log('Cusum (mean 0, std 1) false detections, i.i.d., by threshold:');
for (const h of [4, 5, 8, 10, 12]) console.log(`  h ${h}: ${falseDetections(() => new Cusum({ mean: 0, std: 1, threshold: h }), 0)}`);

console.log('Detection delay after a change at value 500 (defaults, 500 streams)');
for (const [name, make] of Object.entries(detectors)) {
  for (const shift of [0.5, 1, 2, -1]) console.log(`  ${name}, step ${shift} sd: ${delays(make, (i) => (i >= 500 ? shift : 0))}`);
  console.log(`  ${name}, ramp 0.002 sd/value: ${delays(make, (i) => Math.max(0, i - 499) * 0.002)}`);
}
