// `driftwatch baseline inspect <file> [--json]`: what a baseline holds.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { decodeBaseline } from '../../src/baseline/baseline-codec.js';
import { decodeSettingsOf } from '../../src/baseline/baseline.js';
import type { Baseline } from '../../src/baseline/baseline.js';
import { SCALAR_FEATURES } from '../../src/catalogue.js';
import { UsageError, type CommandIO } from '../command-io.js';

export const baselineInspectHelp = `Usage: driftwatch baseline inspect <file> [--json]

Checks a baseline file (format version, SHA-256 digest, feature catalogue
version) and prints its header, each feature's moments and quantiles, the
reference histograms and class counts.

Options:
  --json       one JSON object instead of the human form
  -h, --help   this text

Exit code 0 for a sound baseline, 1 for a corrupt file or one built for
another feature catalogue, 2 on bad usage.`;

const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

function summary(baseline: Baseline): Record<string, unknown> {
  const features: Record<string, unknown> = {};
  for (const { name, unit } of SCALAR_FEATURES) {
    const f = baseline.features[name];
    features[name] = {
      unit,
      count: f.count, mean: f.mean, std: f.std, min: f.min, max: f.max,
      quantiles: Object.fromEntries(QUANTILES.map((q) => [`p${String(Math.round(q * 100)).padStart(2, '0')}`, f.sketch.quantile(q)])),
      sketchBytes: f.sketch.serialize().length,
    };
  }
  const categorical = Object.fromEntries(Object.entries(baseline.categorical).map(([name, counts]) =>
    [name, { total: counts.total, maxCategories: counts.maxCategories, counts: Object.fromEntries(counts.entries()) }]));
  return { header: baseline.header, features, histograms: baseline.histograms, categorical };
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
    `  ${'feature'.padEnd(16)} ${'mean'.padStart(10)} ${'std'.padStart(10)} ${'min'.padStart(10)} ${'p05'.padStart(10)} ${'p50'.padStart(10)} ${'p95'.padStart(10)} ${'max'.padStart(10)}`,
  ];
  for (const { name } of SCALAR_FEATURES) {
    const f = baseline.features[name];
    const cells = [f.mean, f.std, f.min, f.sketch.quantile(0.05), f.sketch.quantile(0.5), f.sketch.quantile(0.95), f.max];
    lines.push(`  ${name.padEnd(16)} ${cells.map((v) => fixed(v).padStart(10)).join(' ')}`);
  }
  const luma = baseline.histograms.luma;
  const chromatic = baseline.histograms.hue.reduce((a, b) => a + b, 0);
  const pixels = luma.reduce((a, b) => a + b, 0);
  lines.push('', `  histograms         luma: ${pixels} pixels; hue: ${chromatic} chromatic pixels (${((100 * chromatic) / Math.max(pixels, 1)).toFixed(1)}%)`);
  for (const [name, counts] of Object.entries(baseline.categorical)) {
    const top = counts.entries().slice(0, 10).map(([c, n]) => `${c} ${n}`).join(', ');
    lines.push(`  ${name.padEnd(18)} ${counts.total} in ${counts.size} classes: ${top}${counts.size > 10 ? ', …' : ''}`);
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
