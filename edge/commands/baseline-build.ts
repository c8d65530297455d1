// `driftwatch baseline build <dir> -o <file>`: a baseline from a folder of the
// images the model was validated on (and, optionally, its predictions).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadKernels } from '../library.js';
import { decodeFile, DEFAULT_MAX_PIXELS } from '../decode.js';
import { expandImagePaths } from '../image-files.js';
import { writeFileAtomic } from '../atomic-write.js';
import { progressLine } from '../progress-line.js';
import { BaselineBuilder } from '../../src/baseline/baseline-builder.js';
import { encodeBaseline } from '../../src/baseline/baseline-codec.js';
import { parsePrediction } from '../../src/predictions/prediction-record.js';
import { UsageError, type CommandIO } from '../command-io.js';
import { positiveInteger, decodeScale } from '../cli-options.js';

export const baselineBuildHelp = `Usage: driftwatch baseline build <folder> -o <file> [options]

Reads the JPEG/PNG images of <folder> (file-name order), computes feature
catalogue v1 for each, and writes one baseline file (docs/baseline-format.md).

Options:
  -o, --output <file>       where to write the baseline (required; written atomically)
  --predictions <jsonl>     the model's predictions for these frames, one JSON object
                            per line (docs/predictions.md); adds reference class counts
  --model <id>              the model's id (with --model-version)
  --model-version <v>       the model's version (with --model)
  --step <n>                sample every n-th pixel of every n-th row (default 1;
                            the agent must use the same step)
  --decode-scale <s>        decode at 1/s resolution, s = 1, 2, 4 or 8 (default 1;
                            docs/decode.md); recorded with --step in the header,
                            and replay uses the same
  --max-pixels <n>          refuse images declaring more pixels (default ${DEFAULT_MAX_PIXELS})
  -h, --help                this text

Images that cannot be decoded and malformed prediction lines are reported,
skipped and counted in the file's header. Exit code 0 on success, 1 when no
frame could be used or the file cannot be written, 2 on bad usage.`;

async function readPredictions(path: string, builder: BaselineBuilder, io: CommandIO): Promise<number> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --predictions ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let skipped = 0;
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      builder.addPrediction(parsePrediction(JSON.parse(line)));
    } catch (error) {
      skipped++;
      io.error(`warning: ${path}:${index + 1}: skipped: ${(error as Error).message}`);
    }
  });
  return skipped;
}

export async function runBaselineBuild(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      predictions: { type: 'string' },
      model: { type: 'string' },
      'model-version': { type: 'string' },
      step: { type: 'string' },
      'decode-scale': { type: 'string' },
      'max-pixels': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(baselineBuildHelp);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one folder of reference images');
  if (!values.output) throw new UsageError('give the baseline file to write with -o <file>');
  if ((values.model === undefined) !== (values['model-version'] === undefined)) {
    throw new UsageError('--model and --model-version go together');
  }
  const step = positiveInteger('--step', values.step, 1);
  const scale = decodeScale(values['decode-scale'], 1);
  const maxPixels = positiveInteger('--max-pixels', values['max-pixels'], DEFAULT_MAX_PIXELS);
  const [folder] = positionals;
  const files = await expandImagePaths([folder]);
  if (files.length === 0 || (files.length === 1 && files[0] === folder)) {
    throw new UsageError(`${folder} is not a folder with .jpg, .jpeg or .png files`);
  }

  const kernels = await loadKernels();
  const builder = new BaselineBuilder();
  const started = Date.now();
  let skippedFrames = 0;
  for (const [index, file] of files.entries()) {
    io.progress(progressLine(index, files.length, Date.now() - started));
    try {
      const frame = await decodeFile(file, { maxPixels, scale });
      builder.addFrame(kernels.frameStats(frame.data, { width: frame.width, height: frame.height, format: frame.format, step }));
    } catch (error) {
      skippedFrames++;
      io.error(`warning: skipped ${(error as Error).message}`);
    }
  }
  io.progressDone();
  const skippedPredictions = values.predictions ? await readPredictions(values.predictions, builder, io) : 0;
  if (builder.frameCount === 0) {
    io.error(`driftwatch baseline build: none of the ${files.length} images could be used; no baseline written`);
    return 1;
  }
  const content = builder.build({
    source: `${folder} (${files.length} images${step > 1 ? `, step ${step}` : ''}${scale > 1 ? `, decode scale 1/${scale}` : ''})`,
    createdAt: Date.now(),
    model: values.model ? { id: values.model, version: values['model-version']! } : null,
    skipped: { frames: skippedFrames, predictions: skippedPredictions },
    decode: { scale, step },
  });
  const { bytes, digest } = await encodeBaseline(content);
  await writeFileAtomic(values.output, bytes);
  io.out(`wrote ${values.output}: ${builder.frameCount} frames, ${bytes.length} bytes, ${digest}`);
  if (skippedFrames || skippedPredictions) io.error(`skipped ${skippedFrames} images and ${skippedPredictions} prediction lines (see the warnings above)`);
  return 0;
}
