// `driftwatch run` with each network or pipe source, as a child process fed
// with real requests and bytes: http: ingest, the sidecar proxy in front of
// a real inference server, and stdin:frames. Each carries the same seeded
// stream as the dir: test (test/agent-run.test.ts: an occlusion from frame
// 350) and must give the same alerts at the same frames; bad input is
// answered or counted and the agent keeps measuring.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { getPriority, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoJpegFrames } from '../edge/demo/demo-stream.js';
import { killAgents, AgentProcess, metric, metricsText } from './helpers/agent-process.js';
import { repoPath } from './helpers/paths.js';
import { threadNices } from './helpers/thread-nices.js';
import { makeTlsFiles } from './helpers/tls-certs.js';
import { BACKGROUND_NICE } from '../edge/agent/thread-priority.js';

const BASELINE = repoPath('samples/demo/coffee-cam.dwb');
let work = '';
const jpegs: Uint8Array<ArrayBuffer>[] = [];
/** The dir: test's stream: 450 frames, an occlusion from frame 350; alerts pending@374, firing@424. */
const drifted: Uint8Array<ArrayBuffer>[] = [];
const EXPECTED = ['pending@374 occlusion', 'firing@424 occlusion'];
const transitions = (p: AgentProcess) => p.alerts.map((a) => `${String(a.state)}@${String(a.frame)} ${String(a.cause)}`);

const sources = suite('driftwatch run sources');
sources.before(async () => {
  work = await mkdtemp(join(tmpdir(), 'driftwatch-agent-sources-'));
  for await (const { jpeg } of demoJpegFrames({ frames: 40, seed: 21 })) jpegs.push(Uint8Array.from(jpeg));
  for await (const { jpeg } of demoJpegFrames({ frames: 450, seed: 11, drift: { kind: 'occlusion', startFrame: 350 } })) drifted.push(Uint8Array.from(jpeg));
});
sources.after(async () => { killAgents(); await rm(work, { recursive: true, force: true }); });

const common = (state: string) => ['--device', 'box-9', '--baseline', BASELINE, '--state-dir', join(work, state), '--listen', '127.0.0.1:0'];

async function started(args: string[], options: { stdin?: boolean; env?: Record<string, string> } = {}): Promise<AgentProcess> {
  const agent = new AgentProcess(args, options);
  await agent.until(() => agent.logs.some((l) => typeof l.listen === 'string'), 60_000, 'the listen line');
  return agent;
}

async function processed(agent: AgentProcess, camera: string, count: number): Promise<string> {
  let text = '';
  for (let i = 0; i < 200; i++) {
    text = await metricsText(agent.port);
    const done = (metric(text, 'driftwatch_frames_processed_total', { camera }) ?? 0) + (metric(text, 'driftwatch_frames_rejected_total', { camera, reason: 'decode' }) ?? 0)
      + (metric(text, 'driftwatch_frames_rejected_total', { camera, reason: 'predictions' }) ?? 0);
    if (done >= count) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${camera}: fewer than ${count} frames handled; metrics:\n${text}`);
}

async function post(url: string, body: Uint8Array<ArrayBuffer> | string, headers: Record<string, string>): Promise<Response> {
  // A 503 means the camera's queue is full: the pipeline is told to retry.
  for (;;) {
    const response = await fetch(url, { method: 'POST', body, headers });
    if (response.status !== 503) return response;
    await new Promise((r) => setTimeout(r, 20));
  }
}

sources('http: frames POSTed with predictions are measured; unknown cameras, bad images and bad predictions are answered or counted', async () => {
  const config = join(work, 'two-cameras.yaml');
  await writeFile(config, `device: box-9\nlisten: 127.0.0.1:0\nstateDir: ${join(work, 'http-state')}\ncameras:\n  - { id: dock, source: "http:", baseline: ${BASELINE} }\n  - { id: yard, source: "http:", baseline: ${BASELINE} }\n`);
  const agent = await started(['--config', config]);
  try {
    const base = `http://127.0.0.1:${agent.port}/frames`;
    for (const jpeg of jpegs.slice(0, 30)) {
      const response = await post(`${base}/dock`, jpeg, { 'content-type': 'image/jpeg', 'x-driftwatch-predictions': '{"label":"cup","score":0.9}' });
      assert.is(response.status, 202);
    }
    const unknown = await fetch(`${base}/gate`, { method: 'POST', body: jpegs[0], headers: { 'content-type': 'image/jpeg' } });
    assert.is(unknown.status, 404);
    // Accepted by the source (it is a JPEG by its type), rejected by the decoder.
    assert.is((await post(`${base}/dock`, 'not really a jpeg', { 'content-type': 'image/jpeg' })).status, 202);
    // Valid JSON, but not a prediction record: the frame is rejected with reason predictions.
    assert.is((await post(`${base}/dock`, jpegs[31], { 'content-type': 'image/jpeg', 'x-driftwatch-predictions': '{"colour":"red"}' })).status, 202);
    const badJson = await fetch(`${base}/dock`, { method: 'POST', body: jpegs[32], headers: { 'content-type': 'image/jpeg', 'x-driftwatch-predictions': '{"label":' } });
    assert.is(badJson.status, 400);
    for (const jpeg of jpegs.slice(33, 38)) assert.is((await post(`${base}/dock`, jpeg, { 'content-type': 'image/jpeg' })).status, 202);
    const text = await processed(agent, 'dock', 37);
    assert.is(metric(text, 'driftwatch_frames_processed_total', { camera: 'dock' }), 35);
    // The drifting stream on a second camera: the same alerts as from a folder.
    for (const jpeg of drifted) assert.is((await post(`${base}/yard`, jpeg, { 'content-type': 'image/jpeg' })).status, 202);
    await agent.until(() => agent.alerts.filter((a) => a.camera === 'yard').length >= 2, 60_000, 'the yard alerts');
    assert.equal(transitions(agent), EXPECTED);
    assert.is(metric(text, 'driftwatch_frames_rejected_total', { camera: 'dock', reason: 'decode' }), 1);
    assert.is(metric(text, 'driftwatch_frames_rejected_total', { camera: 'dock', reason: 'predictions' }), 1);
    assert.ok(agent.logs.some((l) => l.level === 'warn' && l.reason === 'predictions'));
    assert.not.match(agent.stderrText, /colour|cup/, 'prediction payloads never reach the logs');
  } finally {
    agent.signal('SIGTERM');
    assert.is(await agent.exited, 0);
  }
});

sources('proxy: clients get the inference service\'s answers unchanged; the agent measures the tapped images', async () => {
  let calls = 0;
  const upstream: Server = createServer((request, response) => {
    if (request.url === '/large') {
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from(Uint8Array.from({ length: 6_000_000 }, (_, i) => (i * 7) % 251)));
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      calls++;
      const body = JSON.stringify({ label: 'cup', score: 0.5 + (Buffer.concat(chunks).length % 100) / 1000, call: calls });
      response.writeHead(200, { 'content-type': 'application/json', 'x-model': 'm-1' }).end(body);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const port = (upstream.address() as { port: number }).port;
  // A queue deep enough for the whole stream: a tap that finds the queue full is dropped (counted), which would shift the frame numbers.
  const agent = await started(['--camera', 'lobby', '--source', `proxy:http://127.0.0.1:${port}/predict`, '--queue-max-frames', '1000', ...common('proxy-state')]);
  try {
    // The drifting stream through the proxy: every answer relayed, the same alerts as from a folder.
    for (const jpeg of drifted) {
      const response = await fetch(`http://127.0.0.1:${agent.port}/predict`, { method: 'POST', body: jpeg, headers: { 'content-type': 'image/jpeg' } });
      assert.is(response.status, 200);
      await response.arrayBuffer();
    }
    await agent.until(() => agent.alerts.length >= 2, 60_000, 'the lobby alerts');
    assert.equal(transitions(agent), EXPECTED);
    const startedAt = getPriority(); // the agent inherited this thread's nice value
    if (platform() === 'linux' && startedAt !== BACKGROUND_NICE) {
      // The agent's own thread yields to the relay thread, which kept the priority the agent started with.
      const nices = await threadNices(agent.pid);
      assert.is(nices.get(agent.pid), BACKGROUND_NICE, 'the agent thread runs at nice 19');
      assert.ok([...nices.values()].some((nice) => nice === startedAt), 'other threads (the relay among them) keep the starting nice value');
    }
    for (const [i, jpeg] of jpegs.slice(0, 20).entries()) {
      const direct = JSON.stringify({ label: 'cup', score: 0.5 + (jpeg.length % 100) / 1000, call: drifted.length + i + 1 });
      const response = await fetch(`http://127.0.0.1:${agent.port}/predict`, { method: 'POST', body: jpeg, headers: { 'content-type': 'image/jpeg' } });
      assert.equal([response.status, response.headers.get('x-model'), await response.text()], [200, 'm-1', direct]);
    }
    const text = await processed(agent, 'lobby', drifted.length + 20);
    assert.is(metric(text, 'driftwatch_frames_processed_total', { camera: 'lobby' }), drifted.length + 20);
    // A 6 MB answer on an untapped path comes back byte for byte.
    const large = await fetch(`http://127.0.0.1:${agent.port}/large`);
    const body = new Uint8Array(await large.arrayBuffer());
    assert.equal([large.status, body.length, body[0], body[body.length - 1], body.every((b, i) => b === (i * 7) % 251)], [200, 6_000_000, 0, ((6_000_000 - 1) * 7) % 251, true]);
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    const down = await fetch(`http://127.0.0.1:${agent.port}/predict`, { method: 'POST', body: jpegs[0], headers: { 'content-type': 'image/jpeg' } });
    assert.is(down.status, 502);
    assert.is((await fetch(`http://127.0.0.1:${agent.port}/healthz`)).status, 200);
  } finally {
    upstream.close();
    agent.signal('SIGTERM');
    assert.is(await agent.exited, 0);
  }
});

sources('proxy: an https inference service with a private CA is trusted through NODE_EXTRA_CA_CERTS, and refused (502) without it', async () => {
  const dir = await mkdtemp(join(work, 'tls-'));
  const files = makeTlsFiles(dir);
  const secure = createHttpsServer({ cert: await readFile(files.serverCert), key: await readFile(files.serverKey) }, (request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"label":"cup","score":0.9}'));
  });
  await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
  const spec = `proxy:https://127.0.0.1:${(secure.address() as { port: number }).port}/predict`;
  const trusting = await started(['--camera', 'tls', '--source', spec, ...common('tls-trusting')], { env: { NODE_EXTRA_CA_CERTS: files.ca } });
  const other = await started(['--camera', 'tls', '--source', spec, ...common('tls-other')]);
  try {
    for (const jpeg of jpegs.slice(0, 3)) {
      const response = await fetch(`http://127.0.0.1:${trusting.port}/predict`, { method: 'POST', body: jpeg, headers: { 'content-type': 'image/jpeg' } });
      assert.equal([response.status, await response.text()], [200, '{"label":"cup","score":0.9}']);
    }
    assert.is(metric(await processed(trusting, 'tls', 3), 'driftwatch_frames_processed_total', { camera: 'tls' }), 3);
    const refused = await fetch(`http://127.0.0.1:${other.port}/predict`, { method: 'POST', body: jpegs[0], headers: { 'content-type': 'image/jpeg' } });
    assert.is(refused.status, 502);
    assert.match(await refused.text(), /unavailable \((?:SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)/);
  } finally {
    for (const agent of [trusting, other]) agent.signal('SIGTERM');
    assert.is(await trusting.exited, 0);
    assert.is(await other.exited, 0);
    secure.closeAllConnections();
    await new Promise((resolve) => secure.close(resolve));
  }
});

function record(image: Uint8Array, header: object | null): Buffer {
  const headerBytes = header ? Buffer.from(JSON.stringify(header)) : Buffer.alloc(0);
  const out = Buffer.alloc(8 + headerBytes.length + image.length);
  out.writeUInt32BE(headerBytes.length, 0);
  headerBytes.copy(out, 4);
  out.writeUInt32BE(image.length, 4 + headerBytes.length);
  Buffer.from(image).copy(out, 8 + headerBytes.length);
  return out;
}

sources('stdin:frames: piped length-prefixed frames are measured; a non-image is counted; the agent runs on after the pipe ends', async () => {
  const agent = await started(['--camera', 'line', '--source', 'stdin:frames', ...common('stdin-state')], { stdin: true });
  try {
    for (const jpeg of drifted.slice(0, 100)) agent.stdin.write(record(jpeg, null));
    agent.stdin.write(record(Buffer.from('garbage, not an image'), { predictions: { label: 'x', score: 1 } }));
    for (const jpeg of drifted.slice(100)) agent.stdin.write(record(jpeg, { camera: 'line' }));
    agent.stdin.end();
    const text = await processed(agent, 'line', 451);
    assert.equal([metric(text, 'driftwatch_frames_processed_total', { camera: 'line' }), metric(text, 'driftwatch_frames_rejected_total', { camera: 'line', reason: 'decode' })], [450, 1]);
    assert.equal(transitions(agent), EXPECTED);
  } finally {
    agent.signal('SIGTERM');
    assert.is(await agent.exited, 0);
  }
});

sources.run();
