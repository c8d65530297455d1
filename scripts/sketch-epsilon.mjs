#!/usr/bin/env node
// Reproduces the eps measurement in docs/sketches.md (run after npm run build:ts):
//   node scripts/sketch-epsilon.mjs [k=200] [n=1e5] [seeds=200] [streams=all]
// For each stream and seed, fills a sketch (its own seed) and prints the
// median, 99th percentile and worst of the exact maximum rank errors.
import { QuantileSketch } from '../dist/src/index.js';
import { STREAMS, maxRankError, sketchOf, stream } from '../dist/test/helpers/sketch-data.js';

const k = Number(process.argv[2] ?? 200), n = Number(process.argv[3] ?? 1e5), seeds = Number(process.argv[4] ?? 200);
const streams = process.argv[5] ? process.argv[5].split(',') : STREAMS;
const summary = (errors) => {
  const sorted = errors.slice().sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(4);
  return `median ${at(0.5)}  p99 ${at(0.99)}  worst ${sorted[sorted.length - 1].toFixed(4)}  (${sorted.length} sketches)`;
};
const all = [];
for (const name of streams) {
  const errors = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const values = stream(name, n, seed);
    errors.push(maxRankError(sketchOf(() => new QuantileSketch({ k, seed }), values), values));
  }
  all.push(...errors);
  console.log(`${name.padEnd(10)} ${summary(errors)}`);
}
console.log(`${'all'.padEnd(10)} ${summary(all)}   eps(k = ${k}) = ${new QuantileSketch({ k }).normalizedRankError.toFixed(4)}`);
