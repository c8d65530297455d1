// `driftwatch replay <dir> --baseline <file>`: the images of a folder, in
// file-name order, as one camera's stream at --fps, through the drift monitor.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeBaseline } from '../../src/baseline/baseline-codec.js';
import { decodeSettingsOf, type Baseline } from '../../src/baseline/baseline.js';
import { DriftMonitor } from '../../src/policy/drift-monitor.js';
import { predictionFeatures } from '../../src/predictions/prediction-features.js';
import { pairPredictions, readPredictionLines, type PredictionEntry } from '../prediction-lines.js';
import { loadKernels } from '../library.js';
import { measureFile, KernelFailure, DEFAULT_MAX_PIXELS, type DecodeScale } from '../decode.js';
import type { FrameStats } from '../../src/kernels.js';
import { expandImagePaths } from '../image-files.js';
import { progressLine } from '../progress-line.js';
import { UsageError, type CommandIO } from '../command-io.js';
import { positiveInteger, decodeScale } from '../cli-options.js';
import { alertLine, humanAlert, humanSummary, type ReplaySummary } from './replay-output.js';

export const replayHelp = `Usage: driftwatch replay <folder> --baseline <file> [options]

Treats the JPEG/PNG images of <folder>, in file-name order, as one camera's
stream at --fps, and runs the drift monitor (docs/policy.md) over it: a check
every 25 frames once 300 have been seen, a CUSUM per feature, and the alert
lifecycle. Unless the baseline was built with --stream (which stores each
feature's autocorrelation), the first 300 frames must be stable: the monitor
measures each feature's autocorrelation on them.

Options:
  --baseline <file>   the reference baseline (driftwatch baseline build); required
  --fps <n>           frame rate the images were taken at (default 10); frame i
                      is at i × 1000 / fps ms
  --json              one JSON line per alert transition:
                      {"type":"alert","state":"pending|firing|resolved","frame",
                      "features":[...],"cause","causeRevised":false,...}, and per
                      cause revision of a firing alert (state "firing",
                      "causeRevised":true), one per image that cannot be
                      decoded ({"type":"rejected","frame","file","error"}),
                      then {"type":"summary",...}
  --camera <name>     the camera's name in alert ids (default: the folder's name)
  --predictions <jsonl>  the model's answers for these frames, one JSON object per
                      line (docs/predictions.md); a line goes with the image its
                      "file" names, else with the image at its position. The
                      prediction features the baseline has (pred_*) are then
                      checked too
  --step <n>          sample every n-th pixel of every n-th row (default: the
                      baseline's; a different value is refused)
  --decode-scale <s>  decode at 1/s resolution, s = 1, 2, 4 or 8 (default: the
                      baseline's; a different value is refused; docs/decode.md)
  --max-pixels <n>    refuse images declaring more pixels (default ${DEFAULT_MAX_PIXELS})
  -h, --help          this text

Frame numbers are 0-based positions in file-name order. An image that cannot
be decoded is reported, skipped and counted ("rejected"); its number is not
reused. Exit code 0 when the folder was replayed, 1 when the baseline cannot be
read or no image could be decoded, 2 on bad usage.`;

// PNGs and unsupported JPEGs decode in sharp's thread pool: keep a few frames
// in flight while the current one is measured (the WASM JPEG path runs here).
// Each frame is measured as soon as it is decoded, from pixels the decoder
// lends: only its features wait, not a copy of its pixels.
const DECODE_AHEAD = 4;

async function readBaseline(file: string): Promise<Baseline> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new Error(`cannot read --baseline ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return await decodeBaseline(bytes);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

function fpsOption(text: string | undefined): number {
  if (text === undefined) return 10;
  const fps = Number(text);
  if (!Number.isFinite(fps) || fps <= 0 || fps > 1000) throw new UsageError(`--fps must be a number in (0, 1000], got '${text}'`);
  return fps;
}

async function readPairedPredictions(path: string, files: string[], folder: string, io: CommandIO): Promise<Array<PredictionEntry | undefined>> {
  const { entries } = await readPredictionLines(path, io);
  const { byFrame, unpaired } = pairPredictions(entries, files, folder);
  for (const entry of unpaired) io.error(`warning: ${path}:${entry.line}: no image of ${folder} goes with it (or another line already did); ignored`);
  return byFrame;
}

export async function runReplay(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      baseline: { type: 'string' },
      fps: { type: 'string' },
      json: { type: 'boolean', default: false },
      camera: { type: 'string' },
      predictions: { type: 'string' },
      step: { type: 'string' },
      'decode-scale': { type: 'string' },
      'max-pixels': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(replayHelp);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one folder of images');
  if (!values.baseline) throw new UsageError('give the baseline to compare with: --baseline <file>');
  const fps = fpsOption(values.fps);
  const maxPixels = positiveInteger('--max-pixels', values['max-pixels'], DEFAULT_MAX_PIXELS);
  const [folder] = positionals;
  const files = await expandImagePaths([folder]);
  if (files.length === 0 || (files.length === 1 && files[0] === folder)) throw new UsageError(`${folder} is not a folder with .jpg, .jpeg or .png files`);

  const baseline = await readBaseline(values.baseline);
  const built = decodeSettingsOf(baseline.header);
  const step = positiveInteger('--step', values.step, built.step);
  const scale = decodeScale(values['decode-scale'], built.scale as DecodeScale);
  if (step !== built.step) throw new UsageError(`--step ${step} differs from the baseline's step ${built.step}: features would not be comparable`);
  if (scale !== built.scale) throw new UsageError(`--decode-scale ${scale} differs from the baseline's decode scale ${built.scale}: features would not be comparable`);
  const byFrame = values.predictions ? await readPairedPredictions(values.predictions, files, folder, io) : [];
  const kernels = await loadKernels();
  const monitor = new DriftMonitor({ camera: values.camera ?? basename(folder.replace(/\/+$/, '')), baseline });
  const started = performance.now();
  // A frame that cannot be decoded is an Error to report; the kernel's own
  // failure is not the frame's and ends the replay (as { failed }).
  const decode = async (i: number): Promise<FrameStats | Error | { failed: unknown }> => {
    try {
      return await measureFile(files[i], { maxPixels, scale }, kernels, step);
    } catch (error) {
      if (error instanceof KernelFailure) return { failed: error.cause };
      return error instanceof Error ? error : new Error(String(error));
    }
  };
  const inFlight: Array<Promise<FrameStats | Error | { failed: unknown }>> = [];
  for (let i = 0; i < Math.min(DECODE_AHEAD, files.length); i++) inFlight.push(decode(i));
  let rejected = 0, alerts = 0, transitions = 0, revisions = 0;
  for (let index = 0; index < files.length; index++) {
    const stats = await inFlight.shift()!;
    if (index + DECODE_AHEAD < files.length) inFlight.push(decode(index + DECODE_AHEAD));
    if (index % 100 === 0) io.progress(progressLine(index, files.length, performance.now() - started));
    if ('failed' in stats) throw stats.failed;
    if (stats instanceof Error) {
      rejected++;
      if (values.json) io.out(JSON.stringify({ type: 'rejected', frame: index, file: files[index], error: stats.message }));
      else io.error(`warning: frame ${index} skipped: ${stats.message}`);
      continue;
    }
    const prediction = byFrame[index]?.record;
    const features = prediction
      ? { ...stats.features, ...predictionFeatures(prediction, stats, { minDetectionScore: baseline.minDetectionScore ?? 0 }) }
      : stats.features;
    for (const event of monitor.update({ index, timeMs: (index * 1000) / fps, features, histograms: stats.histograms })) {
      if (event.state === 'ok') continue;
      if (event.causeRevised) revisions++;
      else transitions++;
      if (event.state === 'firing' && !event.causeRevised) alerts++;
      io.out(values.json ? JSON.stringify(alertLine(event)) : humanAlert(event));
    }
  }
  io.progressDone();
  const seconds = (performance.now() - started) / 1000;
  const processed = files.length - rejected;
  const summary: ReplaySummary = {
    type: 'summary', frames: files.length, processed, rejected, checks: monitor.checks, alerts, transitions, revisions,
    fps: processed / Math.max(seconds, 1e-9), seconds, baseline: baseline.header.digest,
  };
  io.out(values.json ? JSON.stringify(summary) : humanSummary(summary));
  if (processed === 0) {
    io.error(`driftwatch replay: none of the ${files.length} images could be decoded`);
    return 1;
  }
  return 0;
}
