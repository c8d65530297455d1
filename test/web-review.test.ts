// The review page (web/, served by `driftwatch review`) in headless Chromium:
// the features the worker computes are bit-identical to `driftwatch features
// --json`, its alerts are `driftwatch replay --json`'s, a corrupt or
// unsupported file is reported and skipped, and names from files are text.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { demoJpegFrames } from '../edge/demo/demo-stream.js';
import { runCli, jsonLines } from './helpers/cli.js';
import { CliProcess, killCliProcesses } from './helpers/cli-process.js';
import { repoPath } from './helpers/paths.js';
import { closeChromium, openReviewPage, waitForResults, type OpenPage } from './helpers/web-page.js';

const BASELINE = repoPath('samples/demo/coffee-cam.dwb');
const ARTIFACTS = repoPath('test/artifacts');
const MARKUP = '<img src=x onerror="window.__pwned=1">';
// The demo camera: 350 stable frames, then an occlusion (as test/agent-sources).
const STREAM_FRAMES = 450, DRIFT_AT = 350, SEED = 11;

let tmp = '';
const opened: OpenPage[] = [];

async function open(options: Parameters<typeof openReviewPage>[0] = {}): Promise<OpenPage> {
  const page = await openReviewPage(options);
  opened.push(page);
  return page;
}

async function writeDemoFrames(folder: string, frames: number, drift?: number): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const files: string[] = [];
  for await (const { index, jpeg } of demoJpegFrames({ frames, seed: SEED, ...(drift !== undefined ? { drift: { kind: 'occlusion' as const, startFrame: drift } } : {}) })) {
    const file = join(folder, `frame-${String(index).padStart(6, '0')}.jpg`);
    await writeFile(file, jpeg);
    files.push(file);
  }
  return files;
}

// `driftwatch features --json` for files, by file name.
async function nodeFeatures(files: string[], args: string[] = []): Promise<Map<string, Record<string, unknown>>> {
  const node = await runCli(['features', '--json', ...args, ...files]);
  assert.is(node.code, 0, node.stderr);
  return new Map(jsonLines(node.stdout).map((line) => [String(line.file).split('/').pop()!, line]));
}

// The page's features of each frame equal Node's, bit for bit, as do its size and histograms.
function assertSameFeatures(frames: Awaited<ReturnType<typeof waitForResults>>['frames'], expected: Map<string, Record<string, unknown>>): void {
  for (const frame of frames) {
    const want = expected.get(frame.name)!;
    assert.ok(want, frame.name);
    assert.equal({ width: frame.width, height: frame.height }, { width: want.width, height: want.height }, frame.name);
    for (const [name, value] of Object.entries(want.features as Record<string, number>)) {
      assert.ok(Object.is(frame.features[name], value), `${frame.name} ${name}: page ${frame.features[name]} vs node ${value}`);
    }
    assert.equal(frame.histograms, want.histograms, `${frame.name} histograms`);
  }
}

const alertKey = (a: Record<string, unknown>) => `${a.frame} ${a.state} ${a.cause} ${a.causeRevised} ${a.id}`;

// `driftwatch replay --json`'s alert transitions for a folder, as alertKey lines; the occlusion must fire.
async function replayAlerts(folder: string, baseline: string, camera: string): Promise<string[]> {
  const replay = await runCli(['replay', folder, '--baseline', baseline, '--json', '--camera', camera]);
  assert.is(replay.code, 0, replay.stderr);
  const alerts = jsonLines(replay.stdout).filter((l) => l.type === 'alert').map(alertKey);
  assert.ok(alerts.some((line) => / firing /.test(line)), `replay should fire on the occlusion: ${replay.stdout}`);
  return alerts;
}

const web = suite('review page (Chromium)');

web.before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'driftwatch-web-'));
  await mkdir(ARTIFACTS, { recursive: true });
});

web.after(async () => {
  for (const page of opened) await page.close().catch(() => undefined);
  await closeChromium();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

web('features of the sample PNGs and JPEGs are bit-identical to `driftwatch features --json`', async () => {
  const samples = (await readdir(repoPath('samples'))).filter((n) => /\.(png|jpg)$/.test(n)).map((n) => repoPath('samples', n));
  const demo = await writeDemoFrames(join(tmp, 'few'), 3);
  const files = [...samples, ...demo];
  const expected = await nodeFeatures(files);

  const page = await open();
  await page.page.setInputFiles('#frames', files);
  await page.page.click('#start');
  const results = await waitForResults(page);
  assert.equal(results.errors, []);
  assert.is(results.frames.length, files.length);
  assert.equal(results.frames.map((f) => f.name), [...expected.keys()].sort(), 'file-name order');
  assertSameFeatures(results.frames, expected);
  for (const frame of results.frames) {
    assert.equal(frame.decoder, frame.name.endsWith('.png') ? 'bitmap' : 'wasm', frame.name);
    assert.equal(Object.keys(frame.features).sort(), Object.keys(expected.get(frame.name)!.features as object).sort(), frame.name);
  }
  await page.page.screenshot({ path: join(ARTIFACTS, 'web-features.png'), fullPage: true });
});

web('the alert frames equal `driftwatch replay --json`\'s for the demo stream and baseline; names render as text', async () => {
  const folder = join(tmp, 'coffee-cam');
  const files = await writeDemoFrames(folder, STREAM_FRAMES, DRIFT_AT);
  const expected = await replayAlerts(folder, BASELINE, MARKUP);

  const page = await open();
  await page.page.setInputFiles('#frames', files);
  await page.page.setInputFiles('#baseline', BASELINE);
  await page.page.fill('#camera', MARKUP);
  const started = Date.now();
  await page.page.click('#start');
  const results = await waitForResults(page);
  const seconds = (Date.now() - started) / 1000;
  assert.equal(results.errors, []);
  assert.equal(results.alerts.map((a) => alertKey(a as unknown as Record<string, unknown>)), expected);
  // The alert rows show the camera's markup as text: no element was made from it.
  const rows = await page.page.$$eval('#alerts tbody tr', (trs) => trs.map((tr) => ({ text: tr.textContent ?? '', imgs: tr.querySelectorAll('img').length })));
  assert.is(rows.length, expected.length);
  assert.ok(rows.every((r) => r.imgs === 0 && r.text.includes(MARKUP)), JSON.stringify(rows));
  assert.is(await page.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  // The views were drawn by uPlot, and the ranking lists the monitored features.
  for (const id of ['chart-time', 'chart-ecdf', 'chart-luma', 'chart-hue']) {
    assert.is(await page.page.locator(`#${id} .uplot canvas`).count(), 1, `#${id} has a uPlot chart`);
  }
  assert.ok(await page.page.locator('#ranking tbody tr').count() > 10);
  console.log(`  review page: ${STREAM_FRAMES} frames of 320×240 JPEG with the monitor in ${seconds.toFixed(1)} s`);
  await page.page.screenshot({ path: join(ARTIFACTS, 'web-drift.png'), fullPage: true });
  await page.page.locator('#views').screenshot({ path: join(ARTIFACTS, 'web-views.png') });
});

web('with a baseline built at decode scale 2 the page measures at half size: features as `features --decode-scale 2`, alerts as `replay --json`', async () => {
  // The demo camera's own frames as the reference (600, time-ordered), built at half size as `baseline build` does for 640×480 frames.
  const reference = join(tmp, 'half-reference');
  await writeDemoFrames(reference, 600);
  const baseline = join(tmp, 'half.dwb');
  const build = await runCli(['baseline', 'build', reference, '-o', baseline, '--stream', '--decode-scale', '2']);
  assert.is(build.code, 0, build.stderr);

  // PNGs take the browser's decoder and the box average; JPEGs the scaled IDCTs.
  const samples = (await readdir(repoPath('samples'))).filter((n) => /\.(png|jpg)$/.test(n)).map((n) => repoPath('samples', n));
  const expected = await nodeFeatures(samples, ['--decode-scale', '2']);
  const measured = await open();
  await measured.page.setInputFiles('#frames', samples);
  await measured.page.setInputFiles('#baseline', baseline);
  await measured.page.click('#start');
  const measuredResults = await waitForResults(measured);
  assert.equal(measuredResults.errors, []);
  assert.is(measuredResults.frames.length, samples.length);
  assertSameFeatures(measuredResults.frames, expected);

  const folder = join(tmp, 'coffee-cam-half');
  const files = await writeDemoFrames(folder, STREAM_FRAMES, DRIFT_AT);
  const alerts = await replayAlerts(folder, baseline, 'half');
  const page = await open();
  await page.page.setInputFiles('#frames', files);
  await page.page.setInputFiles('#baseline', baseline);
  await page.page.fill('#camera', 'half');
  await page.page.click('#start');
  const results = await waitForResults(page);
  assert.equal(results.errors, []);
  assert.equal(results.frames[0].width, 160, 'the 320×240 demo frames measured at 160×120');
  assert.equal(results.alerts.map((a) => alertKey(a as unknown as Record<string, unknown>)), alerts);
});

web('`driftwatch review <folder>`: the page opens on the folder, reports a corrupt and a progressive JPEG, and goes on', async () => {
  const folder = join(tmp, 'mixed');
  await writeDemoFrames(folder, 4);
  await copyFile(repoPath('test/fixtures/truncated.jpg'), join(folder, 'frame-000001-truncated.jpg'));
  await sharp(repoPath('samples/coffee.png')).resize(64, 48).jpeg({ progressive: true }).toFile(join(folder, 'frame-000002-progressive.jpg'));
  await copyFile(repoPath('samples/brick.png'), join(folder, `${MARKUP}.png`));
  const page = await open({ folder });
  const results = await waitForResults(page);
  const names = (await readdir(folder)).sort();
  assert.is(results.frames.length + results.errors.length, names.length);
  assert.equal(results.errors.map((e) => e.name), ['frame-000001-truncated.jpg', 'frame-000002-progressive.jpg']);
  assert.match(results.errors[0].message, /corrupt or truncated JPEG data/);
  assert.match(results.errors[1].message, /does not support/);
  assert.equal(results.frames.map((f) => f.name), names.filter((n) => !results.errors.some((e) => e.name === n)));
  assert.is(await page.page.inputValue('#camera'), 'mixed');
  const errorRows = await page.page.$$eval('#errors tbody tr', (trs) => trs.map((tr) => Array.from(tr.children).map((td) => td.textContent)));
  assert.is(errorRows.length, 2);
  assert.is(errorRows[0][1], 'frame-000001-truncated.jpg');
  assert.match(await page.page.textContent('#status-text') ?? '', /done: 5 of 7 frames processed \(2 could not be\)/);
  assert.is(await page.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  await page.page.screenshot({ path: join(ARTIFACTS, 'web-errors.png'), fullPage: true });
});

web('the review server serves only the folder\'s images, read-only', async () => {
  const folder = join(tmp, 'mixed');
  const page = await open({ folder });
  const base = page.server.url;
  const status = async (path: string, method = 'GET') => (await fetch(new URL(path, base), { method })).status;
  assert.is(await status('frames/file/frame-000000.jpg'), 200);
  assert.is(await status('frames/file/..%2F..%2Fetc%2Fpasswd'), 404);
  assert.is(await status('frames/file/frame-000000.jpg', 'PUT'), 405);
  assert.is(await status('../package.json'), 404);
  assert.is(await status('frames/baseline.dwb'), 404);
});

web.run();

const cli = suite('driftwatch review (process)');

cli.after(() => killCliProcesses());

cli('--help, and the command prints its URL and serves the folder listing until SIGTERM', async () => {
  const help = await runCli(['review', '--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /Usage: driftwatch review \[<folder>\]/);
  assert.match((await runCli(['--help'])).stdout, /review \[<folder>\]/);
  assert.is((await runCli(['review', '--port', 'x'])).code, 2);
  const child = new CliProcess(['review', '--port', '0', repoPath('samples')]);
  await child.waitFor(() => child.stdout.some((l) => l.startsWith('driftwatch review: open http://127.0.0.1:')), 'the URL');
  const url = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(child.stdout.join('\n'))![1];
  const listing = await (await fetch(new URL('frames/index.json', url))).json() as { camera: string; files: string[]; baseline: boolean };
  assert.equal(listing, { camera: 'samples', files: (await readdir(repoPath('samples'))).filter((n) => /\.(png|jpe?g)$/.test(n)).sort(), recorded: [], baseline: false });
  assert.match(await (await fetch(url)).text(), /<title>driftwatch review<\/title>/);
  assert.is(await child.stop(), 0);
});

cli.run();
