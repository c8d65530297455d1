#!/usr/bin/env node
// Writes test/fixtures/sketch-golden.bin and .json from the recipe in
// test/helpers/sketch-golden.ts (run after npm run build:ts). Only rerun when
// the serialized format changes on purpose (then bump the format version).
import { writeFileSync } from 'node:fs';
import { goldenSketch, GOLDEN, GOLDEN_QUANTILES, GOLDEN_POINTS } from '../dist/test/helpers/sketch-golden.js';

const sketch = goldenSketch();
const bytes = sketch.serialize();
writeFileSync(new URL('../test/fixtures/sketch-golden.bin', import.meta.url), bytes);
const answers = {
  recipe: 'see test/helpers/sketch-golden.ts',
  ...GOLDEN,
  bytes: bytes.length,
  retained: sketch.retained,
  min: sketch.min,
  max: sketch.max,
  quantiles: GOLDEN_QUANTILES.map((q) => [q, sketch.quantile(q)]),
  ranks: GOLDEN_POINTS.map((x) => [x, sketch.rank(x)]),
};
writeFileSync(new URL('../test/fixtures/sketch-golden.json', import.meta.url), JSON.stringify(answers, null, 1) + '\n');
console.log(`${bytes.length} bytes, ${sketch.retained} items`);
