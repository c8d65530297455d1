// `driftwatch baseline build <dir> -o <file>`: a baseline from a folder of the
// images the model was validated on (and, optionally, its predictions).
import { parseArgs } from 'node:util';
import { access, constants, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadKernels } from '../library.js';
import { measureFile, DEFAULT_MAX_PIXELS } from '../decode.js';
import { expandImagePaths } from '../image-files.js';
import { writeFileAtomic } from '../atomic-write.js';
import { progressLine } from '../progress-line.js';
import { BaselineBuilder } from '../../src/baseline/baseline-builder.js';
import { encodeBaseline } from '../../src/baseline/baseline-codec.js';
import type { FrameSize } from '../../src/predictions/prediction-features.js';
import { pairPredictions, readPredictionLines } from '../prediction-lines.js';
import { UsageError, type CommandIO } from '../command-io.js';
import { positiveInteger, decodeScaleOrAuto } from '../cli-options.js';
import { calibratedThreshold, MIN_TEMPORAL_FRAMES, type BaselineTemporal } from '../../src/baseline/temporal.js';
import { autoDecodeScale, HALF_SIZE_FROM } from '../auto-decode-scale.js';
import type { Kernels } from '../../src/kernels.js';
import type { DecodeScale } from '../decode.js';

function temporalSummary(t: BaselineTemporal, varying: (feature: string) => boolean): string {
  const taus = Object.entries(t.tau).filter(([name]) => varying(name)).map(([, tau]) => tau);
  if (taus.length === 0) taus.push(1);
  const h = calibratedThreshold(t);
  return `time-ordered at ${t.fps} fps: autocorrelation time ${Math.min(...taus).toFixed(1)}–${Math.max(...taus).toFixed(1)} frames; `
    + (h === null ? 'CUSUM calibration: too few bootstrap detections to fit (the monitor uses its default threshold)'
      : `CUSUM threshold ${h.toFixed(1)} for 1 false alert per 30 days`)
    + histogramSummary(t);
}

function histogramSummary(t: BaselineTemporal): string {
  const spread = Object.entries(t.histogramDistance?.max ?? {});
  if (spread.length === 0) return '';
  return `; histograms stray up to ${spread.map(([name, d]) => `${name} ${d.toFixed(3)}`).join(', ')} (JS distance over ${t.histogramDistance!.frames} frames)`;
}

export const baselineBuildHelp = `Usage: driftwatch baseline build <folder> -o <file> [options]

Reads the JPEG/PNG images of <folder> (file-name order), computes feature
catalogue v1 for each, and writes one baseline file (docs/baseline-format.md).

Options:
  -o, --output <file>       where to write the baseline (required; written atomically)
  --predictions <jsonl>     the model's predictions for these frames, one JSON object
                            per line (docs/predictions.md): adds reference class counts
                            and the prediction features (pred_*). A line goes with the
                            image its "file" names, else with the image at its position
  --min-detection-score <s> detections scoring below s are not counted in pred_detections,
                            pred_mean_score, pred_mean_box_area (default 0: all); kept
                            in the baseline, so the monitor counts the same way
  --model <id>              the model's id (with --model-version)
  --model-version <v>       the model's version (with --model)
  --step <n>                sample every n-th pixel of every n-th row (default 1;
                            the agent must use the same step)
  --decode-scale <s>        decode at 1/s resolution, s = 1, 2, 4, 8 or auto
                            (default auto: 2 when the first image is at least
                            ${HALF_SIZE_FROM.long}×${HALF_SIZE_FROM.short}, else 1; docs/decode.md); recorded with
                            --step in the header, and replay and run use the same
  --max-pixels <n>          refuse images declaring more pixels (default ${DEFAULT_MAX_PIXELS})
  --stream                  the images are one camera's frames in time order (at
                            least ${MIN_TEMPORAL_FRAMES}, stable): also store each feature's
                            autocorrelation time, the CUSUM calibration and how far
                            the histograms stray over a check interval, so the
                            monitor needs no stable start, meets a false-alarm
                            target and sets its histogram gates above the camera's
                            own wander (docs/policy.md). Leave it out for a set of
                            unrelated validation images.
  --fps <n>                 with --stream: the frame rate of those frames (default 10)
  -h, --help                this text

Images that cannot be decoded and malformed prediction lines are reported,
skipped and counted in the file's header. Exit code 0 on success, 1 when no
frame could be used or the file cannot be written, 2 on bad usage.`;

function scoreOption(text: string | undefined): number {
  if (text === undefined) return 0;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`--min-detection-score must be a number >= 0, got '${text}'`);
  return value;
}

export async function runBaselineBuild(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      predictions: { type: 'string' },
      'min-detection-score': { type: 'string' },
      model: { type: 'string' },
      'model-version': { type: 'string' },
      step: { type: 'string' },
      'decode-scale': { type: 'string' },
      'max-pixels': { type: 'string' },
      stream: { type: 'boolean', default: false },
      fps: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(baselineBuildHelp);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one folder of reference images');
  if (!values.output) throw new UsageError('give the baseline file to write with -o <file>');
  await checkOutputFolder(values.output);
  if ((values.model === undefined) !== (values['model-version'] === undefined)) {
    throw new UsageError('--model and --model-version go together');
  }
  const step = positiveInteger('--step', values.step, 1);
  const scaleOption = decodeScaleOrAuto(values['decode-scale']);
  const maxPixels = positiveInteger('--max-pixels', values['max-pixels'], DEFAULT_MAX_PIXELS);
  const minDetectionScore = scoreOption(values['min-detection-score']);
  const [folder] = positionals;
  const files = await expandImagePaths([folder]);
  if (files.length === 0 || (files.length === 1 && files[0] === folder)) {
    throw new UsageError(`${folder} is not a folder with .jpg, .jpeg or .png files`);
  }

  if (values.fps !== undefined && !values.stream) throw new UsageError('--fps goes with --stream');
  const fps = Number(values.fps ?? 10);
  if (!Number.isFinite(fps) || fps <= 0 || fps > 1000) throw new UsageError(`--fps must be a number in (0, 1000], got '${values.fps}'`);
  const predictions = values.predictions ? await readPredictionLines(values.predictions, io) : { entries: [], skipped: 0 };
  const kernels = await loadKernels();
  const scale = scaleOption === 'auto' ? await chooseScale(files, maxPixels, kernels, step, io) : scaleOption;
  const builder = new BaselineBuilder({ minDetectionScore, ...(values.stream ? { timeOrdered: { fps } } : {}) });
  const sizes: Array<FrameSize | undefined> = new Array(files.length).fill(undefined);
  const started = Date.now();
  let skippedFrames = 0;
  for (const [index, file] of files.entries()) {
    io.progress(progressLine(index, files.length, Date.now() - started));
    try {
      const stats = await measureFile(file, { maxPixels, scale }, kernels, step);
      builder.addFrame(stats);
      sizes[index] = { width: stats.width, height: stats.height };
    } catch (error) {
      skippedFrames++;
      io.error(`warning: skipped ${(error as Error).message}`);
    }
  }
  io.progressDone();
  // Every record counts; one paired with a decoded image also gets its size, for pred_mean_box_area.
  const paired = pairPredictions(predictions.entries, files, folder);
  paired.byFrame.forEach((entry, index) => { if (entry) builder.addPrediction(entry.record, sizes[index]); });
  for (const entry of paired.unpaired) builder.addPrediction(entry.record);
  const skippedPredictions = predictions.skipped;
  if (builder.frameCount === 0) {
    io.error(`driftwatch baseline build: none of the ${files.length} images could be used; no baseline written`);
    return 1;
  }
  if (values.stream && builder.frameCount < MIN_TEMPORAL_FRAMES) {
    io.error(`driftwatch baseline build: --stream needs at least ${MIN_TEMPORAL_FRAMES} frames to measure autocorrelation; ${builder.frameCount} could be used; no baseline written`);
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
  try {
    await writeFileAtomic(values.output, bytes);
  } catch (error) {
    throw new Error(`cannot write ${values.output} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); no baseline written`);
  }
  io.out(`wrote ${values.output}: ${builder.frameCount} frames, ${bytes.length} bytes, ${digest}`);
  if (content.temporal) io.out(temporalSummary(content.temporal, (name) => (content.features[name as keyof typeof content.features]?.std ?? 0) > 0));
  if (skippedFrames || skippedPredictions) io.error(`skipped ${skippedFrames} images and ${skippedPredictions} prediction lines (see the warnings above)`);
  return 0;
}

// --decode-scale auto: from the size of the first image that can be measured
// (its problems, if any, are reported by the build itself).
async function chooseScale(files: readonly string[], maxPixels: number, kernels: Kernels, step: number, io: CommandIO): Promise<DecodeScale> {
  for (const file of files) {
    const size = await measureFile(file, { maxPixels, scale: 1 }, kernels, step).catch(() => undefined);
    if (!size) continue;
    const scale = autoDecodeScale(size.width, size.height);
    io.out(`decode scale 1/${scale}: chosen for ${size.width}×${size.height} frames (${scale === 1 ? `under ${HALF_SIZE_FROM.long}×${HALF_SIZE_FROM.short}, measured whole` : 'measured at half size; --decode-scale 1 measures them whole'})`);
    return scale;
  }
  return 1;
}

// Before minutes of measuring: the file's folder must exist and be writable.
async function checkOutputFolder(output: string): Promise<void> {
  const folder = dirname(output);
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`-o ${output}: the folder ${folder} does not exist`);
  try {
    await access(folder, constants.W_OK);
  } catch {
    throw new UsageError(`-o ${output}: the folder ${folder} is not writable`);
  }
}
