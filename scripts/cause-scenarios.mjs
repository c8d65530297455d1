#!/usr/bin/env node
// Probable cause on rendered drifts (docs/causes.md, "Measured"): for each
// camera of the scenario harness, the baseline is its reference stretch and the
// window is 200 frames of each drift, abrupt at full size or with
// `--ramp N` gradual from 0 (the window then spans intensities 0 to 200/N).
// Findings use the check's effect (median shift over the baseline IQR, its
// std when the IQR is 0) with approximate gates: |effect| >= 0.5 and KS D >= 0.3.
// Run after `npm run build:ts`; renders 7 x 5 x 200 frames (~40 s, cached in
// the OS temp dir). Seeded: the output is the same on every run.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKernels, explainCause, ks2samp, SCALAR_FEATURES } from '../dist/edge/library.js';
import * as S from '../dist/eval/scenarios.js';
import { DRIFT_KINDS } from '../dist/eval/drift.js';
import { cachedFeatures } from '../dist/eval/feature-cache.js';
import { featureColumn, FEATURE_NAMES } from '../dist/eval/feature-stream.js';

const WINDOW = 200;
const i = process.argv.indexOf('--ramp');
const ramp = i < 0 ? 0 : Number(process.argv[i + 1]);
const EXPECTED = { darken: 'low-light', overexpose: 'overexposure' };
const kernels = await loadKernels();
const units = new Map(SCALAR_FEATURES.map((f) => [f.name, f.unit]));
const cacheDir = join(tmpdir(), 'driftwatch-cause-cache');

const quantile = (s, p) => { const x = (s.length - 1) * p, lo = Math.floor(x); return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (x - lo); };
function spread(sorted) {
  const iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
  if (iqr > 0) return iqr;
  const mean = sorted.reduce((a, v) => a + v, 0) / sorted.length;
  const sd = Math.sqrt(sorted.reduce((a, v) => a + (v - mean) ** 2, 0) / sorted.length);
  return sd > 0 ? sd : 1e-9 * Math.abs(quantile(sorted, 0.5));
}

let right = 0, total = 0;
for (const camera of S.cameras()) {
  const reference = (await cachedFeatures(`reference-${camera.name}`, camera.reference, { kernels })).values;
  for (const kind of DRIFT_KINDS) {
    const drift = { kind, onset: ramp ? 'gradual' : 'abrupt', startFrame: 0, rampFrames: ramp, ...(kind === 'scene-change' ? { targetPhoto: camera.sceneChangeTo } : {}) };
    const spec = { ...camera.reference, frames: WINDOW, seed: 7000, drift };
    const window = (await cachedFeatures(`cause-${camera.name}-${kind}-${ramp}`, spec, { kernels, dir: cacheDir })).values;
    const findings = [];
    for (const name of FEATURE_NAMES) {
      if (['width', 'height', 'aspect_ratio'].includes(name)) continue;
      const b = Float64Array.from(featureColumn(reference, name)).sort();
      const w = Float64Array.from(featureColumn(window, name)).sort();
      const baselineMedian = quantile(b, 0.5), shift = quantile(w, 0.5) - baselineMedian, effect = shift / spread(b);
      const d = ks2samp(b, w, { kernels }).statistic;
      if (Math.abs(effect) >= 0.5 && d >= 0.3) {
        findings.push({ feature: name, statistic: d, pvalue: 0, effect, shift, relativeChange: baselineMedian !== 0 ? shift / Math.abs(baselineMedian) : null, direction: shift > 0 ? 'up' : 'down', unit: units.get(name) });
      }
    }
    const { cause, share } = explainCause(findings);
    const ok = cause === (EXPECTED[kind] ?? kind);
    right += ok ? 1 : 0;
    total++;
    console.log(`${camera.name.padEnd(18)} ${kind.padEnd(13)} ${cause.padEnd(14)} ${share === null ? '    ' : share.toFixed(2)} ${String(findings.length).padStart(2)} findings${ok ? '' : '  <- wrong'}`);
  }
}
console.log(`${right} of ${total} right${ramp ? ` (gradual over ${ramp} frames, window intensity 0 to ${(WINDOW / ramp).toFixed(2)})` : ' (abrupt, full size)'}`);
