// The review page's report features in headless Chromium: thumbnails of the
// frames around each alert transition, the self-contained HTML report (read
// with JavaScript disabled), and recorded messages (msgpack envelopes, JSON
// lines) as input.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoJpegFrames } from '../edge/demo/demo-stream.js';
import { repoPath } from './helpers/paths.js';
import { closeChromium, launchChromium, openReviewPage, waitForResults, type OpenPage } from './helpers/web-page.js';

const BASELINE = repoPath('samples/demo/coffee-cam.dwb');
const ARTIFACTS = repoPath('test/artifacts');
const PAYLOADS = repoPath('test/fixtures/payloads');
const MARKUP = '<img src=x onerror="window.__pwned=1">';
// A file name cannot hold '/', so no closing tag: still markup.
const MARKUP_FILE_NAME = 'frame-000373<img src=x onerror=window.__pwned=1>.jpg';
const STREAM_FRAMES = 450, DRIFT_AT = 350, SEED = 11;

let tmp = '';
const opened: OpenPage[] = [];

async function open(): Promise<OpenPage> {
  const page = await openReviewPage();
  opened.push(page);
  return page;
}

const pwned = (page: OpenPage) => page.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned);

const report = suite('review page: thumbnails, HTML report, recorded input (Chromium)');

report.before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'driftwatch-web-report-'));
  await mkdir(ARTIFACTS, { recursive: true });
});

report.after(async () => {
  for (const page of opened) await page.close().catch(() => undefined);
  await closeChromium();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

let streamPage: OpenPage | null = null;
let alerts: Array<{ frame: number; state: string }> = [];

report('thumbnails of the 3 frames before and after each alert transition, captioned with frame and file name', async () => {
  const folder = join(tmp, 'coffee-cam');
  await mkdir(folder, { recursive: true });
  const files: string[] = [];
  for await (const { index, jpeg } of demoJpegFrames({ frames: STREAM_FRAMES, seed: SEED, drift: { kind: 'occlusion', startFrame: DRIFT_AT } })) {
    const name = index === 373 ? MARKUP_FILE_NAME : `frame-${String(index).padStart(6, '0')}.jpg`;
    await writeFile(join(folder, name), jpeg);
    files.push(join(folder, name));
  }
  const page = streamPage = await open();
  await page.page.setInputFiles('#frames', files);
  await page.page.setInputFiles('#baseline', BASELINE);
  await page.page.fill('#camera', MARKUP);
  await page.page.click('#start');
  const results = await waitForResults(page);
  assert.equal(results.errors, []);
  alerts = results.alerts;
  const transitions = alerts.map((a) => `${a.frame} ${a.state}`);
  assert.ok(transitions.includes('374 pending') && transitions.includes('424 firing'), transitions.join(', '));
  // Thumbnails arrive while the worker goes on: wait for the last transition's frames after it.
  const blocks = page.page.locator('#alert-frames .alert-frames');
  await page.page.waitForFunction((n) => Array.from(document.querySelectorAll('#alert-frames .thumb-strip')).slice(0, n).every((s) => s.querySelectorAll('figure').length >= 4), alerts.length);
  assert.is(await blocks.count(), alerts.length);
  const first = await blocks.nth(0).evaluate((block) => ({
    title: block.querySelector('h3')?.textContent ?? '',
    captions: Array.from(block.querySelectorAll('figcaption')).map((c) => c.textContent ?? ''),
    srcs: Array.from(block.querySelectorAll('img')).map((i) => ({ src: i.src.slice(0, 23), width: i.naturalWidth, height: i.naturalHeight })),
  }));
  assert.match(first.title, /^frame 374 · pending · /);
  assert.equal(first.captions.map((c) => Number(c.split(' · ')[0])), [371, 372, 373, 374, 375, 376, 377]);
  assert.is(first.captions[2], `373 · ${MARKUP_FILE_NAME}`, 'a file name with markup is a caption, as text');
  assert.is(first.captions[3], '374 · frame-000374.jpg');
  for (const s of first.srcs) assert.equal(s, { src: 'data:image/jpeg;base64,', width: 160, height: 120 });
  assert.is(await page.page.locator('#alert-frames figure img').count(), await page.page.locator('#alert-frames figure').count());
  assert.is(await pwned(page), undefined);
  const made = await page.page.evaluate(() => new Set(Array.from(document.querySelectorAll('#alert-frames figcaption')).map((c) => c.textContent)).size);
  assert.ok(made <= alerts.length * 7, `only frames near transitions: ${made}`);
  await page.page.locator('#alert-frames').screenshot({ path: join(ARTIFACTS, 'web-thumbnails.png') });
});

report('Export report: one HTML file, readable with JavaScript off, no scripts, every name escaped', async () => {
  const page = streamPage;
  assert.ok(page, 'the stream test ran');
  const [download] = await Promise.all([page.page.waitForEvent('download'), page.page.click('#export-report')]);
  const file = join(tmp, 'report.html');
  await download.saveAs(file);
  assert.match(download.suggestedFilename(), /^driftwatch-report-.*\.html$/);
  const html = await readFile(file, 'utf8');
  assert.not.match(html, /<script/i);
  assert.not.ok(html.includes('<img src=x'), 'no markup from names');
  assert.ok(html.includes('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;'), 'the camera name, escaped');
  assert.ok(html.includes('373 · frame-000373&lt;img src=x onerror=window.__pwned=1&gt;.jpg'), 'the file name, escaped');
  assert.not.match(html, /(src|href)="(?!data:image\/(png|jpeg);base64,)/, 'only data: images, nothing fetched');

  const context = await (await launchChromium()).newContext({ javaScriptEnabled: false, viewport: { width: 1240, height: 900 } });
  try {
    const view = await context.newPage();
    const requests: string[] = [];
    view.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url()); });
    await view.goto(`file://${file}`);
    assert.is(await view.textContent('#camera'), MARKUP);
    const rows = await view.$$eval('#alerts tbody tr', (trs) => trs.map((tr) => Array.from(tr.children).map((td) => td.textContent ?? '')));
    assert.is(rows.length, alerts.length);
    assert.ok(rows.some((r) => r[0] === '374' && r[2] === 'pending'), JSON.stringify(rows));
    assert.ok(rows.some((r) => r[0] === '424' && r[2] === 'firing'), JSON.stringify(rows));
    assert.ok(await view.locator('#ranking tbody tr').count() > 10, 'the features table');
    assert.is(await view.locator('.charts img').count(), 4, 'the four charts as images');
    const images = await view.$$eval('img', (imgs) => imgs.map((i) => i.naturalWidth));
    assert.ok(images.length >= 4 + alerts.length * 4 && images.every((w) => w > 0), `every image decodes: ${images.join(',')}`);
    assert.is(await view.locator('#alert-frames img').count(), await page.page.locator('#alert-frames img').count(), 'the thumbnails');
    assert.is(await view.locator('#alert-frames img[src^="data:image/jpeg;base64,"]').count(), await view.locator('#alert-frames img').count());
    assert.equal(requests, []);
    await view.screenshot({ path: join(ARTIFACTS, 'web-report.png'), fullPage: true });
  } finally {
    await context.close();
  }
});

report('recorded msgpack envelopes and JSON lines: alerts listed with the transitions, summaries per camera, a malformed file reported', async () => {
  const folder = join(tmp, 'recorded');
  await mkdir(folder, { recursive: true });
  const fixtures = (await readdir(PAYLOADS)).filter((n) => n.endsWith('.msgpack')).map((n) => join(PAYLOADS, n));
  const summary = await readFile(join(PAYLOADS, 'summary.msgpack'));
  await writeFile(join(folder, 'truncated.msgpack'), summary.subarray(0, 100));
  await writeFile(join(folder, 'replay.jsonl'), [
    JSON.stringify({ type: 'alert', state: 'pending', frame: 374, id: `${MARKUP}:374`, camera: MARKUP, timeMs: 37400, startFrame: 374, features: ['edge_density'], cause: 'occlusion', causeRevised: false }),
    JSON.stringify({ type: 'summary', frames: 450, processed: 450, rejected: 0, checks: 40, alerts: 1, transitions: 2, revisions: 0, fps: 80, seconds: 5, baseline: 'x' }),
  ].join('\n') + '\n');
  await writeFile(join(folder, 'broken.jsonl'), '{"type":"alert","frame":1}\nnot json\n');
  const page = await open();
  await page.page.setInputFiles('#frames', [...fixtures, join(folder, 'truncated.msgpack'), join(folder, 'replay.jsonl'), join(folder, 'broken.jsonl')]);
  await page.page.waitForSelector('#recorded-errors tr');
  const cells = (selector: string) => page.page.$$eval(selector, (trs) => trs.map((tr) => Array.from(tr.children).map((td) => td.textContent ?? '')));
  const recordedAlerts = await cells('#recorded-alerts tr');
  assert.equal(recordedAlerts.map((r) => [r[0], r[2], r[4]]), [['1274', 'firing', 'dock-door:1224'], ['374', 'pending', `${MARKUP}:374`]]);
  assert.match(recordedAlerts[0][1], /^alert\.msgpack \(recorded, device box-0042\)$/);
  assert.match(recordedAlerts[1][5], /camera <img src=x/);
  const messages = await cells('#recorded tbody tr');
  const summaryRow = messages.find((r) => r[1] === 'summary');
  assert.ok(summaryRow, JSON.stringify(messages));
  assert.equal(summaryRow.slice(0, 3), ['dock-door', 'summary', 'box-0042']);
  assert.match(summaryRow[5], /frames \d+–\d+ \(\d+\); window \d+; alert \w+/);
  assert.equal(messages.map((r) => r[1]).sort(), ['birth', 'replay summary', 'reply', 'state', 'summary']);
  const errors = await cells('#recorded-errors tr');
  assert.equal(errors.map((r) => r[1]), ['broken.jsonl', 'cmd-rebaseline.msgpack', 'cmd-rebirth.msgpack', 'cmd-reload.msgpack', 'cmd-summary-now.msgpack', 'truncated.msgpack']);
  assert.match(errors[0][2], /line 1: state is not a string/);
  assert.match(errors[1][2], /payload: v must be the format version 1/);
  assert.match(errors[5][2], /not valid msgpack/);
  assert.is(await page.page.locator('#alerts img, #recorded img').count(), 0);
  assert.is(await pwned(page), undefined);
  // The report carries them too.
  const [download] = await Promise.all([page.page.waitForEvent('download'), page.page.click('#export-report')]);
  const html = await readFile(await download.path(), 'utf8');
  assert.ok(html.includes('dock-door:1224') && html.includes('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;:374'));
  assert.not.match(html, /<script|<img src=x/i);
  await page.page.screenshot({ path: join(ARTIFACTS, 'web-recorded.png'), fullPage: true });
});

report('driftwatch review <folder> of recorded messages opens on the recorded session; only the listed files are served', async () => {
  const folder = join(tmp, 'session');
  await mkdir(folder, { recursive: true });
  for (const name of ['alert.msgpack', 'summary.msgpack', 'state.msgpack']) await writeFile(join(folder, name), await readFile(join(PAYLOADS, name)));
  await writeFile(join(folder, 'torn.msgpack'), (await readFile(join(PAYLOADS, 'summary.msgpack'))).subarray(0, 50));
  await writeFile(join(folder, 'notes.txt'), 'not served');
  const page = await openReviewPage({ folder });
  try {
    await page.page.waitForSelector('#recorded-errors tr');
    const cells = (selector: string) => page.page.$$eval(selector, (trs) => trs.map((tr) => Array.from(tr.children).map((td) => td.textContent ?? '')));
    assert.equal((await cells('#recorded-alerts tr')).map((r) => [r[0], r[2]]), [['1274', 'firing']]);
    assert.equal((await cells('#recorded tbody tr')).map((r) => r[1]).sort(), ['state', 'summary']);
    assert.equal((await cells('#recorded-errors tr')).map((r) => r[1]), ['torn.msgpack']);
    const status = await page.page.evaluate(async () => (await fetch('frames/file/notes.txt')).status);
    assert.is(status, 404);
  } finally {
    await page.close();
  }
});

report.run();
