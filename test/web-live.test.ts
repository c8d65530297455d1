// The review page's live view (web/live-*.ts) in headless Chromium against a
// real Mosquitto: a websockets listener on a free loopback port, a password
// file and an ACL giving the browser's account read-only access to
// driftwatch/v1/#. A device publishes (MQTT.js from Node) the golden alert, a
// summary, a garbage payload and an alert whose camera name is markup; the
// page shows them as text, one error line for the garbage, goes on watching,
// reconnects after a broker restart, and stops on Disconnect.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { alertEnvelope, summaryEnvelope, stateEnvelope } from './helpers/envelopes.js';
import { disposeMosquitto, startMosquitto, type Mosquitto } from './helpers/mosquitto.js';
import { repoPath } from './helpers/paths.js';
import { closeChromium, openReviewPage, type OpenPage } from './helpers/web-page.js';

const DEVICE = 'box-0042'; // the golden alert's device (test/fixtures/payloads/alert.msgpack), camera dock-door
const DEVICE_PASSWORD = 'device-secret-1';
const VIEWER = 'viewer';
const VIEWER_PASSWORD = 'viewer-Secret-42';
const MARKUP = '<img src=x onerror="window.__pwned=1">';
const ARTIFACTS = repoPath('test/artifacts');

interface Snapshot {
  status: string; received: number;
  deviceState: { online: boolean; bdSeq: number } | null;
  alerts: Array<{ camera: string; state: string; cause: string; id: string; features: string[] }>;
  summaries: Array<{ camera: string; frames: number; means: Array<[string, number]>; alertState: string }>;
  errors: Array<{ topic: string; message: string }>;
}

let broker: Mosquitto | undefined;
let open: OpenPage | undefined;
let device: MqttClient | undefined;
const consoleLines: string[] = [];

async function snapshot(): Promise<Snapshot> {
  return open!.page.evaluate(() => (window as unknown as { __driftwatchLive: { snapshot(): unknown } }).__driftwatchLive.snapshot()) as Promise<Snapshot>;
}

async function until(what: string, check: (s: Snapshot) => boolean, timeoutMs = 15_000): Promise<Snapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await snapshot();
    if (check(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(s)}\nbroker log:\n${broker?.log()}\npage errors: ${open?.pageErrors.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function publish(topic: string, payload: Uint8Array, retain = false): Promise<void> {
  await device!.publishAsync(topic, Buffer.from(payload), { qos: 1, retain });
}

const live = suite('review page live view (Chromium + Mosquitto websockets)');

live.before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  broker = await startMosquitto({
    websockets: true, users: { [DEVICE]: DEVICE_PASSWORD, [VIEWER]: VIEWER_PASSWORD }, acl: true,
    aclLines: [`user ${VIEWER}`, 'topic read driftwatch/v1/#'],
  });
  device = await mqtt.connectAsync(broker.url, { clientId: DEVICE, username: DEVICE, password: DEVICE_PASSWORD, reconnectPeriod: 200 });
  open = await openReviewPage();
  open.page.on('console', (message) => consoleLines.push(message.text()));
});

live.after(async () => {
  await device?.endAsync(true).catch(() => undefined);
  await open?.close().catch(() => undefined);
  await closeChromium();
  await disposeMosquitto(broker);
});

live('connects with read-only credentials; shows the alert, the summary and markup as text; a garbage payload is one error line', async () => {
  const started = Date.now();
  const page = open!.page;
  await page.fill('#live-url', `ws://127.0.0.1:${broker!.wsPort}`);
  await page.fill('#live-user', VIEWER);
  await page.fill('#live-password', VIEWER_PASSWORD);
  await page.fill('#live-device', DEVICE);
  await page.click('#live-connect');
  await until('the subscription', (s) => s.status.includes('watching'));
  assert.is(await page.inputValue('#live-password'), '', 'the password field is cleared once used');

  await publish(`driftwatch/v1/${DEVICE}/state`, stateEnvelope({ dev: DEVICE, seq: 0, online: true }), true);
  await publish(`driftwatch/v1/${DEVICE}/alert/dock-door`, new Uint8Array(await readFile(repoPath('test/fixtures/payloads/alert.msgpack'))));
  await publish(`driftwatch/v1/${DEVICE}/summary/dock-door`, summaryEnvelope({ dev: DEVICE, seq: 2, camera: 'dock-door', frames: 10, base: 100, alert: 'firing' }));
  await publish(`driftwatch/v1/${DEVICE}/alert/dock-door`, new TextEncoder().encode('<b>not msgpack</b>\u0000\u00ff'));
  await publish(`driftwatch/v1/${DEVICE}/alert/${MARKUP}`, alertEnvelope({ dev: DEVICE, seq: 3, camera: MARKUP, body: { state: 'pending', previousState: 'ok', cause: 'occlusion' } }));
  // The viewer account cannot publish: the broker drops its message (read-only ACL).
  const viewer = await mqtt.connectAsync(broker!.url, { username: VIEWER, password: VIEWER_PASSWORD, reconnectPeriod: 0 });
  await viewer.publishAsync(`driftwatch/v1/${DEVICE}/alert/dock-door`, Buffer.from('from the viewer'), { qos: 1 });
  await viewer.endAsync();

  const s = await until('two alerts, a summary and the error line', (x) => x.alerts.length >= 2 && x.summaries.length >= 1 && x.errors.length >= 1);
  const seconds = (Date.now() - started) / 1000;
  assert.equal(s.alerts.map((a) => [a.camera, a.state, a.cause]), [['dock-door', 'firing', 'low-light'], [MARKUP, 'pending', 'occlusion']]);
  assert.ok(s.alerts[1].features.some((f) => f.includes('luma_mean')), JSON.stringify(s.alerts[1]));
  assert.is(s.summaries.length, 1);
  assert.equal({ camera: s.summaries[0].camera, frames: s.summaries[0].frames, alert: s.summaries[0].alertState }, { camera: 'dock-door', frames: 10, alert: 'firing' });
  assert.equal(s.summaries[0].means, [['luma_mean', 104.5]]);
  assert.is(s.errors.length, 1, JSON.stringify(s.errors));
  assert.is(s.errors[0].topic, `driftwatch/v1/${DEVICE}/alert/dock-door`);
  assert.match(s.errors[0].message, /msgpack|payload/);
  assert.equal(s.deviceState && { online: s.deviceState.online, bdSeq: s.deviceState.bdSeq }, { online: true, bdSeq: 3 });

  // What the page shows: rows as text, the markup not parsed, one error line.
  const rows = await page.$$eval('#live-alerts tbody tr', (trs) => trs.map((tr) => Array.from((tr as HTMLTableRowElement).cells).map((td) => td.textContent)));
  assert.is(rows.length, 2);
  assert.equal(rows[0].slice(1, 4), [MARKUP, 'pending', 'occlusion'], 'newest first');
  assert.equal(rows[1].slice(1, 4), ['dock-door', 'firing', 'low-light']);
  assert.is(await page.locator('#live img').count(), 0, 'no element made from the camera name');
  assert.is(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  assert.is(await page.locator('#live-errors li').count(), 1);
  assert.match((await page.textContent('#live-summaries tbody'))!, /dock-door.*luma_mean 104\.5/);
  assert.match((await page.textContent('#live-device-state'))!, /online/);
  await page.locator('#live').screenshot({ path: join(ARTIFACTS, 'web-live.png') });
  console.log(`  live view: connect + 5 publishes shown in ${seconds.toFixed(1)} s`);
});

live('reconnects on its own after the broker restarts, and goes on watching', async () => {
  await broker!.restart();
  await until('the reconnect', (s) => s.status.includes('watching') && s.status.startsWith('connected'), 20_000);
  await device!.publishAsync(`driftwatch/v1/${DEVICE}/alert/cam-2`, Buffer.from(alertEnvelope({ dev: DEVICE, seq: 4, camera: 'cam-2', body: { cause: 'blur' } })), { qos: 1 });
  const s = await until('the alert after the reconnect', (x) => x.alerts.length >= 3);
  assert.equal(s.alerts[2].camera, 'cam-2');
  assert.equal(s.alerts[2].cause, 'blur');
});

live('Disconnect stops watching; the password was never stored or logged', async () => {
  const page = open!.page;
  await page.click('#live-disconnect');
  const before = await until('the disconnect', (s) => s.status === 'disconnected');
  await device!.publishAsync(`driftwatch/v1/${DEVICE}/alert/cam-2`, Buffer.from(alertEnvelope({ dev: DEVICE, seq: 5, camera: 'cam-2' })), { qos: 1 });
  await new Promise((r) => setTimeout(r, 500));
  assert.is((await snapshot()).received, before.received);
  const storage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie, url: location.href }));
  assert.not.match(storage, VIEWER_PASSWORD);
  assert.ok(consoleLines.every((line) => !line.includes(VIEWER_PASSWORD)));
  assert.not.match(await page.content(), VIEWER_PASSWORD);
  // Chromium reports the refused WebSocket connections while the broker restarted, and the page's probe for a
  // served folder (frames/index.json, 404 without one), as console errors; nothing else (no CSP refusal).
  assert.equal(open!.pageErrors.filter((line) => !/WebSocket connection to|status of 404/.test(line)), []);
});

live('a wrong password is reported as refused, and not retried', async () => {
  const page = open!.page;
  await page.fill('#live-password', 'not-the-password');
  await page.click('#live-connect');
  const s = await until('the refusal', (x) => x.status.startsWith('the broker refused'));
  assert.match(s.status, /bad user name or password|not authorized/);
  assert.is(await page.isDisabled('#live-connect'), false);
  await new Promise((r) => setTimeout(r, 2500)); // longer than the reconnect period
  assert.is((await snapshot()).status, s.status);
});

live.run();
