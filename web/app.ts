// The review page: collects the frames, hands them to the worker, and draws
// what comes back. Everything that comes from files is set as text.
import { drawEcdf, drawHistogram, drawStatisticOverTime } from './charts.js';
import { fromDrop, fromFiles, servedFolder, type Picked } from './inputs.js';
import { appendRow, setOptions } from './text-table.js';
import { ReviewState } from './review-state.js';
import type { FromWorker, StartMessage } from './messages.js';
import { ProgressDisplay } from './progress-display.js';
// --- live view (issue 8, item 4): everything is in web/live-*.ts ---
import { mountLiveView } from './live-view.js';
// --- end live view ---
// --- report: thumbnails, HTML report export, recorded messages (begin) ---
import { ThumbnailPanel } from './report-thumbnails.js';
import { buildReport, downloadReport } from './report-export.js';
import { readRecorded } from './recorded-input.js';
import { showRecorded } from './recorded-view.js';
// --- report (end) ---

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

const ui = {
  frames: element<HTMLInputElement>('frames'),
  folder: element<HTMLInputElement>('folder'),
  baseline: element<HTMLInputElement>('baseline'),
  camera: element<HTMLInputElement>('camera'),
  fps: element<HTMLInputElement>('fps'),
  start: element<HTMLButtonElement>('start'),
  exportButton: element<HTMLButtonElement>('export'),
  drop: element<HTMLDivElement>('drop'),
  progress: element<HTMLProgressElement>('progress'),
  status: element<HTMLSpanElement>('status-text'),
  featureTime: element<HTMLSelectElement>('feature-time'),
  featureEcdf: element<HTMLSelectElement>('feature-ecdf'),
  chartTime: element<HTMLDivElement>('chart-time'),
  chartEcdf: element<HTMLDivElement>('chart-ecdf'),
  chartLuma: element<HTMLDivElement>('chart-luma'),
  chartHue: element<HTMLDivElement>('chart-hue'),
  ranking: element<HTMLTableElement>('ranking').tBodies[0],
  alerts: element<HTMLTableElement>('alerts').tBodies[0],
  errors: element<HTMLTableElement>('errors').tBodies[0],
};

let picked: Picked = { frames: [], baseline: null, folder: null };
let baselineUrl: string | null = null;
let worker: Worker | null = null;
let state = new ReviewState();
// For tests and the console: the worker's results as they arrive.
(window as unknown as { __driftwatch: ReviewState }).__driftwatch = state;

function setStatus(text: string): void {
  ui.status.textContent = text;
}

function choose(next: Picked): void {
  picked = { frames: next.frames.length ? next.frames : picked.frames, baseline: next.baseline ?? picked.baseline, folder: next.folder ?? picked.folder };
  if (next.folder) ui.camera.value = next.folder;
  if (next.baseline) baselineUrl = null;
  setStatus(`${picked.frames.length} frames${picked.baseline || baselineUrl ? ', with a baseline' : ', no baseline (features only)'}. Press Process.`);
}

async function baselineBytes(): Promise<ArrayBuffer | null> {
  if (picked.baseline) return picked.baseline.arrayBuffer();
  if (!baselineUrl) return null;
  const response = await fetch(baselineUrl);
  if (!response.ok) throw new Error(`cannot load the served baseline (HTTP ${response.status})`);
  return response.arrayBuffer();
}

function renderTime(): void {
  const feature = ui.featureTime.value;
  if (!feature) return;
  const series = state.statisticSeries(feature);
  drawStatisticOverTime(ui.chartTime, feature, series.frames, series.statistic, series.effect, series.inAlert);
}

function renderEcdf(): void {
  const series = state.snapshot?.ecdf.find((s) => s.feature === ui.featureEcdf.value);
  if (series) drawEcdf(ui.chartEcdf, series.feature, series.x, series.window, series.baseline);
}

function renderSnapshot(): void {
  const snapshot = state.snapshot;
  if (!snapshot) return;
  setOptions(ui.featureEcdf, snapshot.ecdf.map((s) => s.feature));
  renderEcdf();
  drawHistogram(ui.chartLuma, 'luma', snapshot.histograms.luma.window, snapshot.histograms.luma.baseline);
  drawHistogram(ui.chartHue, 'hue', snapshot.histograms.hue.window, snapshot.histograms.hue.baseline);
}

// Until the user picks one, the views follow the feature that moved most.
let featureChosen = false;

function showFeature(feature: string | null): void {
  if (!feature) return;
  if ([...ui.featureTime.options].some((o) => o.value === feature)) ui.featureTime.value = feature;
  if ([...ui.featureEcdf.options].some((o) => o.value === feature)) ui.featureEcdf.value = feature;
  renderEcdf();
}

function renderRanking(): void {
  ui.ranking.replaceChildren();
  for (const test of state.ranked()) {
    appendRow(ui.ranking, [test.feature, test.kind, test.statistic, test.pvalue, test.adjustedPvalue, test.effect, test.significant ? 'yes' : 'no'], test.significant ? 'firing' : undefined);
  }
}

const progress = new ProgressDisplay((done, total) => {
  ui.progress.max = total;
  ui.progress.value = done;
  setStatus(`${done} / ${total} frames`);
});

function onMessage(message: FromWorker): void {
  state.add(message);
  reportOnMessage(message); // report
  switch (message.type) {
    case 'ready':
      setStatus(`kernels loaded (${message.simd ? 'SIMD' : 'scalar'} build)${message.baseline ? `; baseline ${message.baseline.slice(0, 16)}` : ''}`);
      break;
    case 'progress':
      progress.update(message.done, message.total);
      break;
    case 'frame-error':
      appendRow(ui.errors, [message.index, message.name, message.message]);
      break;
    case 'alert': {
      const a = message.alert;
      appendRow(ui.alerts, [a.frame, state.nameOf(a.frame), a.causeRevised ? 'firing (cause revised)' : a.state, a.cause, a.id, a.features.join(', ')], a.state);
      break;
    }
    case 'check':
      if (state.checks.length === 1) setOptions(ui.featureTime, message.tests.map((t) => t.feature));
      renderRanking();
      if (state.checks.length % 4 === 1) renderTime();
      break;
    case 'snapshot':
      renderSnapshot();
      break;
    case 'done':
      if (!featureChosen) showFeature(state.mostChanged());
      renderTime();
      ui.exportButton.disabled = false;
      ui.start.disabled = false;
      setStatus(`done: ${message.processed} of ${message.frames} frames processed (${message.rejected} could not be), ${message.checks} checks, ${state.alerts.length} alert transitions, ${secondsText(message.seconds)} s`);
      break;
    case 'fatal':
      ui.start.disabled = false;
      setStatus(`stopped: ${message.message}`);
      break;
    default:
      break;
  }
}

async function start(): Promise<void> {
  if (picked.frames.length === 0) {
    setStatus('Choose frames first.');
    return;
  }
  worker?.terminate();
  state = new ReviewState(picked.frames.map((f) => f.name));
  featureChosen = false;
  (window as unknown as { __driftwatch: ReviewState }).__driftwatch = state;
  for (const body of [ui.ranking, ui.alerts, ui.errors]) body.replaceChildren();
  thumbnailPanel.clear(); // report
  ui.start.disabled = true;
  ui.exportButton.disabled = true;
  const fps = Number(ui.fps.value);
  if (!(fps > 0 && fps <= 1000)) {
    setStatus('fps must be a number in (0, 1000]');
    ui.start.disabled = false;
    return;
  }
  const message: StartMessage = { type: 'start', sources: picked.frames, baseline: await baselineBytes(), camera: ui.camera.value, fps };
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<FromWorker>) => onMessage(event.data);
  worker.onerror = (event) => setStatus(`the worker failed: ${event.message}`);
  worker.postMessage(message, message.baseline ? [message.baseline] : []);
}

function exportFeatures(): void {
  const blob = new Blob([state.featureLines()], { type: 'application/x-ndjson' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = 'features.jsonl';
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

ui.frames.addEventListener('change', () => choose(fromFiles(ui.frames.files ?? [])));
ui.folder.addEventListener('change', () => choose(fromFiles(ui.folder.files ?? [])));
ui.baseline.addEventListener('change', () => choose({ ...fromFiles(ui.baseline.files ?? []), frames: [], folder: null }));
ui.start.addEventListener('click', () => { start().catch((error: unknown) => { ui.start.disabled = false; setStatus(`cannot start: ${(error as Error).message}`); }); });
ui.exportButton.addEventListener('click', exportFeatures);
ui.featureTime.addEventListener('change', () => { featureChosen = true; renderTime(); });
ui.featureEcdf.addEventListener('change', () => { featureChosen = true; renderEcdf(); });
ui.drop.addEventListener('dragover', (event) => { event.preventDefault(); ui.drop.classList.add('over'); });
ui.drop.addEventListener('dragleave', () => ui.drop.classList.remove('over'));
ui.drop.addEventListener('drop', (event) => {
  event.preventDefault();
  ui.drop.classList.remove('over');
  if (event.dataTransfer) fromDrop(event.dataTransfer).then(choose, (error: unknown) => setStatus(`cannot read the drop: ${(error as Error).message}`));
});

// Opened by `driftwatch review <dir>`: start on the served folder.
servedFolder().then(async (served) => {
  if (!served) return;
  // A recorded session: the folder's recorded messages are read as if picked.
  const recorded = await Promise.all(served.recorded.map(async (url) => {
    const response = await fetch(url);
    return new File([await response.blob()], decodeURIComponent(url.slice(url.lastIndexOf('/') + 1)));
  }));
  if (recorded.length > 0) takeRecorded(recorded);
  if (served.picked.frames.length === 0) return;
  baselineUrl = served.baselineUrl;
  choose(served.picked);
  ui.camera.value = served.camera;
  return start();
}).catch((error: unknown) => setStatus(`cannot open the served folder: ${(error as Error).message}`));

// --- live view (issue 8, item 4) ---
mountLiveView();
// --- end live view ---
// --- report: thumbnails, HTML report export, recorded messages (begin) ---
const thumbnailPanel = new ThumbnailPanel(element<HTMLDivElement>('alert-frames'), (frame) => state.nameOf(frame));
const exportReportButton = element<HTMLButtonElement>('export-report');

function reportOnMessage(message: FromWorker): void {
  if (message.type === 'alert') thumbnailPanel.addAlert(message.alert);
  else if (message.type === 'thumbnail') thumbnailPanel.addThumbnail(message);
  // For the benchmark (bench/web-bench.ts): where the worker's time went.
  else if (message.type === 'timing') (window as unknown as { __driftwatchTiming: unknown }).__driftwatchTiming = message;
}

exportReportButton.addEventListener('click', () => {
  const html = buildReport(document, { camera: ui.camera.value, status: ui.status.textContent ?? '', created: new Date() });
  downloadReport(html, ui.camera.value);
});

function takeRecorded(files: Iterable<File>): void {
  readRecorded(files).then((recorded) => {
    if (recorded.alerts.length + recorded.messages.length + recorded.errors.length === 0) return;
    showRecorded(recorded, { alerts: element<HTMLTableElement>('alerts'), messages: element<HTMLTableElement>('recorded'), errors: element<HTMLTableElement>('errors') });
    setStatus(`recorded: ${recorded.alerts.length} alerts, ${recorded.messages.length} other messages, ${recorded.errors.length} files that could not be read`);
  }, (error: unknown) => setStatus(`cannot read the recorded files: ${(error as Error).message}`));
}

ui.frames.addEventListener('change', () => takeRecorded(ui.frames.files ?? []));
ui.folder.addEventListener('change', () => takeRecorded(ui.folder.files ?? []));
ui.drop.addEventListener('drop', (event) => { if (event.dataTransfer) takeRecorded(event.dataTransfer.files); });
// --- report (end) ---

/** A short run still shows its time: 12 small frames take under 0.05 s, which one decimal would print as 0.0. */
function secondsText(seconds: number): string {
  return seconds < 1 ? seconds.toFixed(3) : seconds.toFixed(1);
}
