// The review worker: loads the kernels and the JPEG decoder through src/'s
// loaders (the .wasm files sit beside this bundle), then reads the frames one
// at a time, in the order given, and runs them through the DriftMonitor as
// `driftwatch replay` does: frame i at i × 1000 / fps ms, default options.
import { loadKernels } from '../src/loader.js';
import { loadJpegDecoder } from '../src/jpeg/jpeg-loader.js';
import { decodeBaseline } from '../src/baseline/baseline-codec.js';
import { decodeSettingsOf, type Baseline } from '../src/baseline/baseline.js';
import { DriftMonitor } from '../src/policy/drift-monitor.js';
import type { AlertEvent } from '../src/policy/alert-types.js';
import { measureFrame } from './decode-frame.js';
import type { JpegScale } from '../src/jpeg/jpeg-decoder.js';
import { ReviewWindow } from './review-window.js';
import type { AlertRow, FrameSource, FromWorker, StartMessage, ToWorker } from './messages.js';
// report: thumbnails around alert transitions
import { AlertThumbnails } from './thumbnails.js';
import { PhaseTimer } from './report-timing.js';
import { readSource } from './read-source.js';
import { ReadAhead } from './read-ahead.js';

const scope = self as unknown as { postMessage(message: FromWorker): void; onmessage: ((event: MessageEvent<ToWorker>) => void) | null };
const post = (message: FromWorker): void => scope.postMessage(message);
const SNAPSHOT_EVERY = 25;

function alertRow(event: AlertEvent): AlertRow {
  return {
    frame: event.frame, state: event.state, cause: event.cause, causeRevised: event.causeRevised, id: event.id,
    camera: event.camera, startFrame: event.startFrame, features: event.findings.map((f) => f.feature),
  };
}

async function run(message: StartMessage): Promise<void> {
  const baseUrl = new URL('./', self.location.href);
  const [kernels, jpeg] = await Promise.all([loadKernels({ baseUrl }), loadJpegDecoder({ baseUrl })]);
  let baseline: Baseline | null = null;
  if (message.baseline) {
    try {
      baseline = await decodeBaseline(new Uint8Array(message.baseline));
    } catch (error) {
      throw new Error(`the baseline file cannot be read: ${(error as Error).message}`);
    }
  }
  // Frames are measured as the baseline's were: its decode scale and pixel step (full size without one).
  const { step, scale } = baseline ? decodeSettingsOf(baseline.header) : { step: 1, scale: 1 };
  post({ type: 'ready', simd: kernels.simd, baseline: baseline?.header.digest ?? null });
  const monitor = baseline ? new DriftMonitor({ camera: message.camera, baseline }) : null;
  const view = new ReviewWindow(300);
  const total = message.sources.length;
  const started = performance.now();
  let rejected = 0, checks = 0;
  const thumbnails = new AlertThumbnails(readSource, post); // report
  const timer = new PhaseTimer(); // report
  // The next 3 files are read while this one is decoded, in a reader worker (its fetches are not held up by our decode).
  const reads = new ReadAhead(message.sources, 3, new URL('./reader.js', self.location.href));
  for (let index = 0; index < total; index++) {
    const source = message.sources[index];
    let bytes: Uint8Array | null = null, transition = false; // report
    try {
      timer.reset(); // report
      const read = await reads.read(index);
      if ('error' in read) throw read.error;
      bytes = read.bytes;
      timer.mark('read'); // report
      const measured = await measureFrame(bytes, jpeg, kernels, step, scale as JpegScale, () => timer.mark('decode'));
      timer.mark(measured.fused ? 'measure' : 'features'); // report
      const stats = measured.stats;
      const histograms = { luma: Array.from(stats.histograms.luma), hue: Array.from(stats.histograms.hue) };
      post({ type: 'frame', index, name: source.name, width: stats.width, height: stats.height, decoder: measured.decoder, features: { ...stats.features }, histograms });
      view.add(stats.features, histograms);
      timer.mark('post'); // report
      if (monitor) {
        const events = monitor.update({ index, timeMs: (index * 1000) / message.fps, features: stats.features, histograms: stats.histograms });
        if (monitor.checks > checks && monitor.lastCheck) {
          checks = monitor.checks;
          const last = monitor.lastCheck;
          post({
            type: 'check', frame: index, drift: last.drift,
            tests: last.tests.map((t) => ({ feature: t.feature, kind: t.kind, statistic: t.statistic, pvalue: t.pvalue, adjustedPvalue: t.adjustedPvalue, effect: t.effect, significant: t.significant })),
          });
        }
        for (const event of events) if (event.state !== 'ok') { transition = true; post({ type: 'alert', alert: alertRow(event) }); }
      }
      timer.mark('monitor'); // report
    } catch (error) {
      rejected++;
      post({ type: 'frame-error', index, name: source.name, message: error instanceof Error ? error.message : String(error) });
    }
    timer.reset(); // report
    await thumbnails.frameDone(index, source, bytes, transition); // report
    timer.mark('thumbnails'); // report
    post({ type: 'progress', done: index + 1, total });
    if ((index + 1) % SNAPSHOT_EVERY === 0) post(view.snapshot(index, baseline));
    timer.mark('post'); // report
  }
  reads.close();
  post({ type: 'timing', ms: timer.ms, frames: total, simd: kernels.simd }); // report
  post(view.snapshot(total - 1, baseline));
  post({ type: 'done', frames: total, processed: total - rejected, rejected, checks: monitor?.checks ?? 0, seconds: (performance.now() - started) / 1000 });
}

scope.onmessage = (event) => {
  if (event.data.type !== 'start') return;
  run(event.data).catch((error: unknown) => post({ type: 'fatal', message: error instanceof Error ? error.message : String(error) }));
};
