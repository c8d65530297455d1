// The health model and GET /healthz over loopback: ready only when every
// baseline is loaded and every source runs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentHealth, type HealthReport } from '../edge/observability/health.js';

async function get(health: AgentHealth, method = 'GET'): Promise<{ status: number; type: string | null; body: string }> {
  const server = createServer(health.handler);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`, { method });
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
  } finally {
    server.close();
  }
}

const DIGEST = `sha256:${'c'.repeat(64)}`;
const Health = suite('AgentHealth');

Health('starts not ready, naming every part that is missing', async () => {
  const health = new AgentHealth(['cam0', 'yard'], 'box-1');
  const { status, type, body } = await get(health);
  assert.is(status, 503);
  assert.is(type, 'application/json; charset=utf-8');
  const report = JSON.parse(body) as HealthReport;
  assert.is(report.status, 'not_ready');
  assert.is(report.device, 'box-1');
  assert.equal(report.notReady, ['cam0 baseline: not loaded yet', 'cam0 source: starting', 'yard baseline: not loaded yet', 'yard source: starting']);
});

Health('ready (200) only once every baseline is loaded and every source runs', async () => {
  const health = new AgentHealth(['cam0', 'yard']);
  health.baselineLoaded('cam0', DIGEST);
  health.baselineLoaded('yard', DIGEST);
  health.sourceRunning('cam0');
  assert.not.ok(health.ready);
  assert.equal(health.report().notReady, ['yard source: starting']);
  health.sourceRunning('yard');
  assert.ok(health.ready);
  const { status, body } = await get(health);
  assert.is(status, 200);
  const report = JSON.parse(body) as HealthReport;
  assert.is(report.status, 'ok');
  assert.equal(report.notReady, []);
  assert.equal(report.cameras.yard, { baseline: { state: 'loaded', digest: DIGEST }, source: { state: 'running' } });
});

Health('a stopped source or a failed baseline makes it unready again, with the reason (passwords masked)', async () => {
  const health = new AgentHealth(['cam0']);
  health.baselineLoaded('cam0', DIGEST);
  health.sourceRunning('cam0');
  health.sourceStopped('cam0', new Error('upstream http://svc:hunter2@10.0.0.5:3000 refused the connection'));
  let response = await get(health);
  assert.is(response.status, 503);
  assert.not.match(response.body, 'hunter2');
  assert.equal((JSON.parse(response.body) as HealthReport).notReady, ['cam0 source: stopped (upstream http://svc:***@10.0.0.5:3000 refused the connection)']);
  health.sourceRunning('cam0');
  health.baselineFailed('cam0', 'cam0.dwb: possible corruption: checksum mismatch');
  response = await get(health);
  assert.equal((JSON.parse(response.body) as HealthReport).notReady, ['cam0 baseline: failed (cam0.dwb: possible corruption: checksum mismatch)']);
});

Health('shutting down is not ready, whatever the cameras say', async () => {
  const health = new AgentHealth(['cam0']);
  health.baselineLoaded('cam0', DIGEST);
  health.sourceRunning('cam0');
  health.shuttingDown();
  const response = await get(health);
  assert.is(response.status, 503);
  assert.is((JSON.parse(response.body) as HealthReport).status, 'stopping');
});

Health('unknown cameras are refused; HEAD has no body; POST is 405', async () => {
  const health = new AgentHealth(['cam0']);
  assert.throws(() => health.sourceRunning('cam1'), /unknown camera 'cam1': health tracks only the configured cameras \(cam0\)/);
  assert.throws(() => new AgentHealth([]), /cameras must list the configured camera ids/);
  const head = await get(health, 'HEAD');
  assert.is(head.status, 503);
  assert.is(head.body, '');
  assert.is((await get(health, 'POST')).status, 405);
});

Health.run();

const Routes = suite('observabilityRoutes');

Routes('/metrics and /healthz are answered; other paths are left to the caller', async () => {
  const { AgentMetrics } = await import('../edge/observability/metrics.js');
  const { observabilityRoutes } = await import('../edge/observability/routes.js');
  const health = new AgentHealth(['cam0']);
  const route = observabilityRoutes({ metrics: new AgentMetrics({ cameras: ['cam0'], defaultMetrics: false }), health });
  const server = createServer((req, res) => {
    if (!route(req, res)) res.writeHead(404).end('not mine\n');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const metrics = await fetch(`${base}/metrics?x=1`);
    assert.is(metrics.status, 200);
    assert.match(await metrics.text(), 'driftwatch_frames_processed_total{camera="cam0"} 0');
    assert.is((await fetch(`${base}/healthz`)).status, 503);
    const other = await fetch(`${base}/frames/cam0`);
    assert.equal([other.status, await other.text()], [404, 'not mine\n']);
  } finally {
    server.close();
  }
});

Routes.run();
