#!/usr/bin/env node
// Rewrites test/fixtures/baseline-golden.dwb from test/helpers/golden-baseline.ts
// (run after `npm run build`, only when the baseline format changes on purpose).
import { writeFile } from 'node:fs/promises';
import { encodeBaseline } from '../dist/src/baseline/baseline-codec.js';
import { goldenBaselineContent, GOLDEN_BASELINE_FILE } from '../dist/test/helpers/golden-baseline.js';

const { bytes, digest } = await encodeBaseline(goldenBaselineContent());
await writeFile(new URL(`../${GOLDEN_BASELINE_FILE}`, import.meta.url), bytes);
console.log(`wrote ${GOLDEN_BASELINE_FILE}: ${bytes.length} bytes, ${digest}`);
