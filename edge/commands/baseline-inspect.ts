// `driftwatch baseline inspect <file> [--json]`: what a baseline holds.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { decodeBaseline } from '../../src/baseline/baseline-codec.js';
import { calibratedThreshold } from '../../src/baseline/temporal.js';
import { decodeSettingsOf } from '../../src/baseline/baseline.js';
import type { Baseline, FeatureReference } from '../../src/baseline/baseline.js';
import { PREDICTION_FEATURES, SCALAR_FEATURES } from '../../src/catalogue.js';
import { UsageError, type CommandIO } from '../command-io.js';

export const baselineInspectHelp = `Usage: driftwatch baseline inspect <file> [--json]

Checks a baseline file (format version, SHA-256 digest, feature catalogue
version) and prints its header, each feature's moments and quantiles, the
reference histograms and class counts, and the prediction features (pred_*)
when the baseline was built with predictions.

Options:
  --json       one JSON object instead of the human form
  -h, --help   this text

Exit code 0 for a sound baseline, 1 for a corrupt file or one built for
another feature catalogue, 2 on bad usage.`;

const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

function featureSummary(f: FeatureReference, unit: string): Record<string, unknown> {
  return {
    unit,
    count: f.count, mean: f.mean, std: f.std, min: f.min, max: f.max,
    quantiles: Object.fromEntries(QUANTILES.map((q) => [`p${String(Math.round(q * 100)).padStart(2, '0')}`, f.sketch.quantile(q)])),
    sketchBytes: f.sketch.serialize().length,
  };
}

/** The prediction features the baseline has, in catalogue order. */
function predictionFeatures(baseline: Baseline): Array<{ name: string; unit: string; reference: FeatureReference }> {
  return PREDICTION_FEATURES.flatMap(({ name, unit }) => {
    const reference = baseline.predictionFeatures?.[name];
    return reference ? [{ name, unit, reference }] : [];
  });
}

function summary(baseline: Baseline): Record<string, unknown> {
  const features: Record<string, unknown> = {};
  for (const { name, unit } of SCALAR_FEATURES) features[name] = featureSummary(baseline.features[name], unit);
  const predictions = predictionFeatures(baseline);
  const withPredictions = predictions.length === 0 ? {} : {
    predictionFeatures: Object.fromEntries(predictions.map(({ name, unit, reference }) => [name, featureSummary(reference, unit)])),
    minDetectionScore: baseline.minDetectionScore ?? 0,
  };
  const categorical = Object.fromEntries(Object.entries(baseline.categorical).map(([name, counts]) =>
    [name, { total: counts.total, maxCategories: counts.maxCategories, counts: Object.fromEntries(counts.entries()) }]));
  return { header: baseline.header, features, histograms: baseline.histograms, categorical, ...withPredictions, temporal: baseline.temporal ?? null };
}

function fixed(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(5);
}

function human(file: string, baseline: Baseline): string {
  const h = baseline.header;
  const lines = [
    `${file}`,
    `  digest             ${h.digest}`,
    `  format version     ${h.formatVersion}, feature catalogue v${h.catalogueVersion}`,
    `  created            ${new Date(h.createdAt).toISOString()}`,
    `  source             ${h.source}`,
    `  frames             ${h.frameCount} (skipped: ${h.skipped.frames} images, ${h.skipped.predictions} prediction lines)`,
    `  model              ${h.model ? `${h.model.id} ${h.model.version}` : '(none given)'}`,
    `  decode             scale 1/${decodeSettingsOf(h).scale}, step ${decodeSettingsOf(h).step}${h.decode ? '' : ' (not recorded: the defaults)'}`,
    '',
    `  ${'feature'.padEnd(20)} ${'mean'.padStart(10)} ${'std'.padStart(10)} ${'min'.padStart(10)} ${'p05'.padStart(10)} ${'p50'.padStart(10)} ${'p95'.padStart(10)} ${'max'.padStart(10)}`,
  ];
  const row = (name: string, f: FeatureReference) => {
    const cells = [f.mean, f.std, f.min, f.sketch.quantile(0.05), f.sketch.quantile(0.5), f.sketch.quantile(0.95), f.max];
    lines.push(`  ${name.padEnd(20)} ${cells.map((v) => fixed(v).padStart(10)).join(' ')}`);
  };
  for (const { name } of SCALAR_FEATURES) row(name, baseline.features[name]);
  const predictions = predictionFeatures(baseline);
  if (predictions.length > 0) {
    const threshold = baseline.predictionFeatures?.pred_detections ? `; detections counted from score >= ${baseline.minDetectionScore ?? 0}` : '';
    lines.push('', `  prediction features (frames with each: ${predictions.map((p) => `${p.name} ${p.reference.count}`).join(', ')}${threshold})`);
    for (const { name, reference } of predictions) row(name, reference);
  }
  const luma = baseline.histograms.luma;
  const chromatic = baseline.histograms.hue.reduce((a, b) => a + b, 0);
  const pixels = luma.reduce((a, b) => a + b, 0);
  lines.push('', `  histograms         luma: ${pixels} pixels; hue: ${chromatic} chromatic pixels (${((100 * chromatic) / Math.max(pixels, 1)).toFixed(1)}%)`);
  for (const [name, counts] of Object.entries(baseline.categorical)) {
    const top = counts.entries().slice(0, 10).map(([c, n]) => `${c} ${n}`).join(', ');
    lines.push(`  ${name.padEnd(18)} ${counts.total} in ${counts.size} classes: ${top}${counts.size > 10 ? ', …' : ''}`);
  }
  const t = baseline.temporal;
  if (t) {
    // A constant feature (width, height) has one look in the whole stretch: its τ says nothing.
    const taus = Object.entries(t.tau).filter(([name]) => (baseline.features[name as keyof Baseline['features']]?.std ?? 0) > 0).sort((a, b) => b[1] - a[1]);
    const h = calibratedThreshold(t);
    lines.push(`  time-ordered       ${t.frames} frames at ${t.fps} fps; autocorrelation time ${taus.length ? `${fixed(taus[taus.length - 1][1])}–${fixed(taus[0][1])} frames (longest: ${taus[0][0]})` : 'not measured (every feature constant)'}; τ safety ×${t.tauSafety}`);
    lines.push(`  CUSUM calibration  ${h === null ? 'none (too few bootstrap detections to fit; default threshold)' : `threshold ${fixed(h)} for 1 false alert per 30 days at ${t.fps} fps`}`);
    const spread = Object.entries(t.histogramDistance?.max ?? {});
    lines.push(`  histogram spread   ${spread.length ? `${spread.map(([name, d]) => `${name} ${fixed(d!)}`).join(', ')} (largest JS distance of ${t.histogramDistance!.frames} frames from the stretch)` : 'not stored (the monitor gates histograms at its fixed distance)'}`);
  } else {
    lines.push('  time-ordered       no (built without --stream: τ is measured on the first window of the stream)');
  }
  return lines.join('\n');
}

export async function runBaselineInspect(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    io.out(baselineInspectHelp);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one baseline file');
  const [file] = positionals;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    io.error(`driftwatch baseline inspect: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return 1;
  }
  let baseline: Baseline;
  try {
    baseline = await decodeBaseline(bytes);
  } catch (error) {
    io.error(`driftwatch baseline inspect: ${file}: ${(error as Error).message}`);
    return 1;
  }
  io.out(values.json ? JSON.stringify(summary(baseline)) : human(file, baseline));
  return 0;
}
