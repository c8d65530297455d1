// `driftwatch run` with each network or pipe source, as a child process fed
// with real requests and bytes: http: ingest, the sidecar proxy in front of
// a real inference server, and stdin:frames. Bad input is answered or
// counted and the agent keeps measuring.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoJpegFrames } from '../edge/demo/demo-stream.js';
import { AgentProcess, metric, metricsText } from './helpers/agent-process.js';
import { repoPath } from './helpers/paths.js';

const BASELINE = repoPath('samples/demo/coffee-cam.dwb');
let work = '';
const jpegs: Uint8Array<ArrayBuffer>[] = [];

const sources = suite('driftwatch run sources');
sources.before(async () => {
  work = await mkdtemp(join(tmpdir(), 'driftwatch-agent-sources-'));
  for await (const { jpeg } of demoJpegFrames({ frames: 40, seed: 21 })) jpegs.push(Uint8Array.from(jpeg));
});
sources.after(async () => { await rm(work, { recursive: true, force: true }); });

const common = (state: string) => ['--device', 'box-9', '--baseline', BASELINE, '--state-dir', join(work, state), '--listen', '127.0.0.1:0'];

async function started(args: string[], options: { stdin?: boolean } = {}): Promise<AgentProcess> {
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
  const agent = await started(['--camera', 'dock', '--source', 'http:', ...common('http-state')]);
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
  const agent = await started(['--camera', 'lobby', '--source', `proxy:http://127.0.0.1:${port}/predict`, ...common('proxy-state')]);
  try {
    for (const [i, jpeg] of jpegs.slice(0, 20).entries()) {
      const direct = JSON.stringify({ label: 'cup', score: 0.5 + (jpeg.length % 100) / 1000, call: i + 1 });
      const response = await fetch(`http://127.0.0.1:${agent.port}/predict`, { method: 'POST', body: jpeg, headers: { 'content-type': 'image/jpeg' } });
      assert.equal([response.status, response.headers.get('x-model'), await response.text()], [200, 'm-1', direct]);
    }
    const text = await processed(agent, 'lobby', 20);
    assert.is(metric(text, 'driftwatch_frames_processed_total', { camera: 'lobby' }), 20);
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
    for (const jpeg of jpegs.slice(0, 25)) agent.stdin.write(record(jpeg, null));
    agent.stdin.write(record(Buffer.from('garbage, not an image'), { predictions: { label: 'x', score: 1 } }));
    for (const jpeg of jpegs.slice(25, 30)) agent.stdin.write(record(jpeg, { camera: 'line' }));
    agent.stdin.end();
    const text = await processed(agent, 'line', 31);
    assert.equal([metric(text, 'driftwatch_frames_processed_total', { camera: 'line' }), metric(text, 'driftwatch_frames_rejected_total', { camera: 'line', reason: 'decode' })], [30, 1]);
  } finally {
    agent.signal('SIGTERM');
    assert.is(await agent.exited, 0);
  }
});

sources.run();
