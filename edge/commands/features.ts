// `driftwatch features <files...> [--json]`: the catalogue for each image.
import { parseArgs } from 'node:util';
import { loadKernels } from '../library.js';
import { measureFile, DEFAULT_MAX_PIXELS } from '../decode.js';
import { expandImagePaths } from '../image-files.js';
import { SCALAR_FEATURES } from '../../src/catalogue.js';
import type { FrameStats } from '../../src/kernels.js';
import { UsageError, type CommandIO } from '../command-io.js';
import { positiveInteger, decodeScale } from '../cli-options.js';

export const featuresHelp = `Usage: driftwatch features <file|folder>... [options]

Computes feature catalogue v1 (docs/features.md) for each JPEG or PNG image.
A folder stands for its .jpg/.jpeg/.png files in file-name order.

Options:
  --json              one JSON object per line: {"file","width","height",
                      "features":{...},"histograms":{"luma":[256],"hue":[36]}};
                      a file that fails gives {"file","error"}
  --step <n>          sample every n-th pixel of every n-th row (default 1)
  --decode-scale <s>  decode at 1/s resolution, s = 1, 2, 4 or 8 (default 1):
                      JPEG through scaled IDCTs, PNG and unsupported JPEG by
                      decoding in full then averaging s x s blocks (docs/decode.md)
  --max-pixels <n>    refuse images whose header declares more pixels
                      (default ${DEFAULT_MAX_PIXELS})
  --scalar            use the scalar WASM build even where SIMD is available
  -h, --help          this text

Exit code: 0 when every file was processed, 1 when any failed, 2 on bad usage.`;

function humanReport(file: string, stats: FrameStats): string {
  const lines = [`${file}  ${stats.width}×${stats.height}`];
  for (const feature of SCALAR_FEATURES) {
    const value = stats.features[feature.name];
    const shown = Number.isInteger(value) ? String(value) : value.toPrecision(6);
    lines.push(`  ${feature.name.padEnd(16)} ${shown.padStart(12)}  ${feature.unit}`);
  }
  return lines.join('\n');
}

export async function runFeatures(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      step: { type: 'string' },
      'decode-scale': { type: 'string' },
      'max-pixels': { type: 'string' },
      scalar: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(featuresHelp);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('give at least one image file or folder');
  const step = positiveInteger('--step', values.step, 1);
  const scale = decodeScale(values['decode-scale'], 1);
  const maxPixels = positiveInteger('--max-pixels', values['max-pixels'], DEFAULT_MAX_PIXELS);
  const kernels = await loadKernels({ simd: values.scalar ? false : 'auto' });
  const files = await expandImagePaths(positionals);
  if (files.length === 0) throw new UsageError(`no .jpg, .jpeg or .png files in ${positionals.join(', ')}`);

  let failed = 0;
  for (const [index, file] of files.entries()) {
    io.progress(`[${index + 1}/${files.length}] ${file}`);
    try {
      // A JPEG the WASM decoder supports is measured as it is decoded (the
      // same features, bit for bit); with --scalar it is decoded, then measured.
      const stats = await measureFile(file, { maxPixels, scale }, kernels, step);
      if (values.json) {
        io.out(JSON.stringify({
          file,
          width: stats.width,
          height: stats.height,
          features: stats.features,
          histograms: { luma: Array.from(stats.histograms.luma), hue: Array.from(stats.histograms.hue) },
        }));
      } else {
        io.out(humanReport(file, stats));
      }
    } catch (error) {
      failed++;
      const message = error instanceof Error ? error.message : String(error);
      if (values.json) io.out(JSON.stringify({ file, error: message }));
      else io.error(`error: ${message}`);
    }
  }
  io.progressDone();
  if (!values.json) io.error(`${files.length - failed} of ${files.length} images processed${failed ? `, ${failed} failed` : ''}`);
  return failed > 0 ? 1 : 0;
}
