#!/usr/bin/env node
// Reproduces the merged-sketch errors in docs/sketches.md (after npm run build:ts):
// 20 times, 1e6 normal values split into 100 sketches of 1e4, shuffled, merged
// sequentially and as a binary tree; prints the median and worst exact max rank error.
import { QuantileSketch } from '../dist/src/index.js';
import { maxRankError, sketchOf, stream, uniforms } from '../dist/test/helpers/sketch-data.js';

function shuffle(items, seed) {
  const next = uniforms(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function mergeAsTree(sketches, seed) {
  let level = sketches.map((s) => new QuantileSketch({ seed }).merge(s));
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? level[i].merge(level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

const errors = [];
for (let rep = 1; rep <= 20; rep++) {
  const all = stream('normal', 1e6, 100 + rep);
  const parts = shuffle(Array.from({ length: 100 }, (_, i) =>
    sketchOf(() => new QuantileSketch({ seed: rep * 1000 + i + 1 }), all.subarray(i * 1e4, (i + 1) * 1e4))), rep);
  const sequential = new QuantileSketch({ seed: rep });
  for (const part of parts) sequential.merge(part);
  errors.push(maxRankError(sequential, all), maxRankError(mergeAsTree(parts, rep), all));
}
errors.sort((a, b) => a - b);
console.log(`${errors.length} merged sketches: median ${errors[errors.length >> 1].toFixed(4)}, worst ${errors[errors.length - 1].toFixed(4)}`);
