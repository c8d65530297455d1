// The proxy: source against a real upstream on loopback: answers come back
// byte-identical to what the upstream sends directly (plain, streamed,
// 500), the tap gets image and predictions, a full queue or an oversized
// body never changes the answer, and a dead upstream gives 502.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ListenServer } from '../edge/http/listen-server.js';
import { sendJson } from '../edge/http/http-error.js';
import { ProxySource } from '../edge/sources/proxy-source.js';
import { FrameQueue } from '../edge/queue/frame-queue.js';
import type { FrameSink, SourceError } from '../edge/sources/frame-source.js';
import { send, json, multipart, type RawReply, type RawRequest } from './helpers/http-client.js';
import { RecordingSink, bytesEqual, eventually, sampleBytes } from './helpers/source-frames.js';

const proxy = suite('proxy source');
const proxyThread = suite('proxy source, relay thread');

/** Each test runs with the relay in this thread and in a relay thread of its own (what the agent uses). */
function both(name: string, run: (thread: boolean) => Promise<void>): void {
  proxy(name, () => run(false));
  proxyThread(name, () => run(true));
}

const FIXED_DATE = 'Sat, 21 Nov 2026 12:00:00 GMT';

// The inference service: answers /predict with JSON, and a few other shapes.
function upstreamHandler(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    const url = new URL(request.url ?? '/', 'http://upstream');
    if (url.pathname === '/predict' && request.headers['x-test-fail']) {
      response.writeHead(500, 'Model Exploded', { 'content-type': 'text/plain', date: FIXED_DATE, 'x-trace': 'abc' });
      response.end('inference failed: out of memory\n');
      return;
    }
    if (url.pathname === '/predict') {
      const answer = Buffer.from(JSON.stringify({ label: 'rocket', score: 0.875, received: body.length }));
      const gzip = request.headers['x-test-gzip'] !== undefined;
      const payload = gzip ? gzipSync(answer) : answer;
      response.writeHead(200, 'Predicted', [
        'Content-Type', 'application/json', 'Date', FIXED_DATE, 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2',
        'X-Model-Version', 'v7', 'Content-Length', String(payload.length), ...(gzip ? ['Content-Encoding', 'gzip'] : []),
      ]);
      response.end(payload);
      return;
    }
    if (url.pathname === '/stream') {
      response.writeHead(200, 'Streaming Fine', { 'content-type': 'text/event-stream', date: FIXED_DATE });
      let part = 0;
      const next = () => {
        if (part === 3) return response.end('done\n');
        response.write(`data: part ${part++}\n\n`);
        setImmediate(next);
      };
      next();
      return;
    }
    // Anything else: echo what arrived, so forwarding can be checked.
    response.setHeader('date', FIXED_DATE);
    sendJson(response, 200, { method: request.method, url: request.url, headers: request.headers, length: body.length });
  });
}

interface Rig {
  upstream: Server;
  upstreamBase: string;
  server: ListenServer;
  source: ProxySource;
  proxyBase: string;
  errors: SourceError[];
  close(): Promise<void>;
}

async function rig(thread: boolean, sink: FrameSink, options: { maxBodyBytes?: number; maxTapsAhead?: number } = {}): Promise<Rig> {
  const upstream = createServer(upstreamHandler);
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamPort = (upstream.address() as AddressInfo).port;
  const server = new ListenServer({ host: '127.0.0.1', port: 0 }, { maxBodyBytes: options.maxBodyBytes });
  const errors: SourceError[] = [];
  const source = new ProxySource(server, {
    upstream: new URL(`http://127.0.0.1:${upstreamPort}`), tapPath: '/predict', camera: 'default-cam', thread, maxTapsAhead: options.maxTapsAhead,
    onError: (error) => errors.push(error),
  });
  await source.start(sink);
  const { port } = await server.listen();
  return {
    upstream, upstreamBase: `http://127.0.0.1:${upstreamPort}`, server, source, proxyBase: `http://127.0.0.1:${port}`, errors,
    async close() {
      await server.close();
      upstream.closeAllConnections();
      await new Promise((resolve) => upstream.close(resolve));
    },
  };
}

const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding']);

function endToEnd(reply: RawReply): string[] {
  const kept: string[] = [];
  for (let i = 0; i < reply.rawHeaders.length; i += 2) {
    if (!CONNECTION_HEADERS.has(reply.rawHeaders[i].toLowerCase())) kept.push(reply.rawHeaders[i], reply.rawHeaders[i + 1]);
  }
  return kept;
}

async function sameAnswer(r: Rig, path: string, request: RawRequest = {}): Promise<RawReply> {
  const direct = await send(`${r.upstreamBase}${path}`, request);
  const proxied = await send(`${r.proxyBase}${path}`, request);
  assert.is(proxied.status, direct.status, `${path} status`);
  assert.is(proxied.statusMessage, direct.statusMessage, `${path} status message`);
  assert.equal(endToEnd(proxied), endToEnd(direct), `${path} headers`);
  assert.ok(bytesEqual(proxied.body, direct.body), `${path} body`);
  return proxied;
}

both('answers are byte-identical to the upstream: JSON, a streamed chunked answer, and a 500', async (thread) => {
  const r = await rig(thread, new RecordingSink());
  try {
    const rocket = await sampleBytes('rocket.jpg');
    await sameAnswer(r, '/predict', { method: 'POST', body: rocket, headers: { 'content-type': 'image/jpeg' } });
    const streamed = await sameAnswer(r, '/stream');
    assert.is(streamed.body.toString(), 'data: part 0\n\ndata: part 1\n\ndata: part 2\n\ndone\n');
    assert.is(streamed.headers['transfer-encoding'], 'chunked', 'still streamed, not buffered into a Content-Length');
    const failed = await sameAnswer(r, '/predict', { method: 'POST', body: rocket, headers: { 'content-type': 'image/jpeg', 'x-test-fail': '1' } });
    assert.equal([failed.status, failed.statusMessage, failed.body.toString()], [500, 'Model Exploded', 'inference failed: out of memory\n']);
    assert.is(r.source.counters.skipCount('tap-upstream-status'), 1, 'a failed inference is not tapped');
  } finally {
    await r.close();
  }
});

both('requests are forwarded with method, path, query and end-to-end headers; Host is rewritten', async (thread) => {
  const r = await rig(thread, new RecordingSink());
  try {
    const reply = await send(`${r.proxyBase}/v1/models/m:info?verbose=1&x=%2F`, {
      method: 'PUT', body: 'hello',
      headers: { 'content-type': 'text/plain', 'x-request-id': 'r-42', connection: 'keep-alive, x-drop-me', 'x-drop-me': 'secret', 'keep-alive': 'timeout=5' },
    });
    const echoed = json(reply) as { method: string; url: string; headers: Record<string, string>; length: number };
    assert.is(echoed.method, 'PUT');
    assert.is(echoed.url, '/v1/models/m:info?verbose=1&x=%2F');
    assert.is(echoed.length, 5);
    assert.is(echoed.headers.host, new URL(r.upstreamBase).host);
    assert.is(echoed.headers['x-request-id'], 'r-42');
    assert.is(echoed.headers['x-drop-me'], undefined, 'a header named by Connection is hop-by-hop');
    assert.is(echoed.headers['keep-alive'], undefined);
  } finally {
    await r.close();
  }
});

both('the tap offers the image and the JSON answer, for raw, multipart and base64 JSON requests', async (thread) => {
  const sink = new RecordingSink();
  const r = await rig(thread, sink);
  try {
    const rocket = await sampleBytes('rocket.jpg');
    const horse = await sampleBytes('horse.png');
    const chelsea = await sampleBytes('chelsea.png');
    await send(`${r.proxyBase}/predict`, { method: 'POST', body: rocket, headers: { 'content-type': 'image/jpeg', 'x-camera-id': 'front-door' } });
    const [raw] = await sink.waitFor(1);
    assert.is(raw.camera, 'front-door');
    assert.ok(bytesEqual(raw.bytes, rocket));
    assert.equal(raw.predictions, { label: 'rocket', score: 0.875, received: rocket.length });
    assert.match(raw.origin, /^proxy 127\.0\.0\.1:\d+ \/predict$/);

    const boundary = 'proxy-test-boundary-9';
    const form = multipart(boundary, [{ name: 'meta', body: '{"k":1}' }, { name: 'file', filename: 'h.png', type: 'image/png', body: horse }]);
    await send(`${r.proxyBase}/predict`, { method: 'POST', body: form, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    const [, fromForm] = await sink.waitFor(2);
    assert.ok(bytesEqual(fromForm.bytes, horse), 'the first file part when there is no part named image');
    assert.is(fromForm.camera, 'default-cam');

    const body = JSON.stringify({ image: `data:image/png;base64,${Buffer.from(chelsea).toString('base64')}`, threshold: 0.5 });
    await send(`${r.proxyBase}/predict`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-test-gzip': '1' } });
    const [, , fromJson] = await sink.waitFor(3);
    assert.ok(bytesEqual(fromJson.bytes, chelsea));
    assert.equal(fromJson.predictions, { label: 'rocket', score: 0.875, received: Buffer.byteLength(body) }, 'gzip answer decoded for the tap');
    assert.is(r.errors.length, 0);
  } finally {
    await r.close();
  }
});

both('other paths are forwarded but not tapped; unrecognised bodies and bad camera headers are counted, never answered', async (thread) => {
  const sink = new RecordingSink();
  const r = await rig(thread, sink);
  try {
    const rocket = await sampleBytes('rocket.jpg');
    const classified = await send(`${r.proxyBase}/classify`, { method: 'POST', body: rocket, headers: { 'content-type': 'image/jpeg' } });
    assert.equal([classified.status, json(classified).length], [200, rocket.length]);
    const text = await sameAnswer(r, '/predict', { method: 'POST', body: 'not an image', headers: { 'content-type': 'text/plain', 'x-camera-id': 'bad camera!' } });
    assert.is(text.status, 200);
    await eventually('the unrecognised request to be counted', () => r.source.counters.errorCount('tap-unrecognised-request') === 1);
    assert.is(r.source.counters.errorCount('tap-bad-camera-header'), 1);
    assert.match(r.errors.map((e) => e.message).join('\n'), /X-Camera-Id "bad camera!" is not a valid camera id; using default-cam/);
    assert.match(r.errors.map((e) => e.message).join('\n'), /request Content-Type "text\/plain" carries no image/);
    assert.is(sink.frames.length, 0);
  } finally {
    await r.close();
  }
});

both('a full queue never changes or slows the answer; drops are counted', async (thread) => {
  const queue = new FrameQueue({ maxFrames: 1 });
  const r = await rig(thread, queue);
  try {
    const rocket = await sampleBytes('rocket.jpg');
    for (let i = 0; i < 4; i += 1) {
      await sameAnswer(r, '/predict', { method: 'POST', body: rocket, headers: { 'content-type': 'image/jpeg' } });
    }
    // Each sameAnswer sends one request through the proxy: 4 taps, 1 queued, 3 refused (asked before copying their bodies).
    await eventually('the taps to be offered', () => r.source.counters.offered + r.source.counters.refused === 4);
    assert.equal([r.source.counters.offered, r.source.counters.refused, queue.stats().dropped['queue-full'], queue.stats().offered], [1, 3, 3, 4]);
    assert.is(r.source.tapBytesInFlight, 0);
  } finally {
    await r.close();
  }
});

/** A recording sink that also hears of frames the source chose not to make (FrameSink.countRefused). */
class CountingSink extends RecordingSink {
  readonly refusedCameras: string[] = [];
  countRefused(camera: string): void {
    this.refusedCameras.push(camera);
  }
}

proxyThread('the relay thread hands over at most maxTapsAhead unsettled frames; calls are still answered, and tapping resumes as frames settle', async () => {
  const sink = new CountingSink();
  const r = await rig(true, sink, { maxTapsAhead: 2 });
  try {
    const rocket = await sampleBytes('rocket.jpg');
    const predict = { method: 'POST', body: rocket, headers: { 'content-type': 'image/jpeg' } };
    for (let i = 0; i < 4; i += 1) await sameAnswer(r, '/predict', predict);
    await eventually('the taps to be counted', () => r.source.counters.offered + r.source.counters.refused === 4);
    assert.equal([r.source.counters.offered, r.source.counters.refused, sink.refusedCameras], [2, 2, ['default-cam', 'default-cam']]);
    const held = await sink.waitFor(2);
    assert.ok(held.every((frame) => bytesEqual(frame.bytes, rocket)), 'held frames keep their bytes');
    // Settled: their buffers go back to the relay thread (moved, so empty here) and it taps again.
    for (const frame of held) await frame.settle!('processed');
    await eventually('the buffers to move back', () => held.every((frame) => frame.bytes.byteLength === 0));
    // A call may still be refused until the relay thread hears of the settled frames; a tap is counted a moment
    // after its call is answered, so a second call may be tapped too before the first tap is counted.
    await eventually('tapping to resume', async () => {
      await sameAnswer(r, '/predict', predict);
      return r.source.counters.offered >= 3;
    });
    assert.ok(bytesEqual(sink.frames[2].bytes, rocket), 'a frame tapped into a reused buffer carries its own bytes');
  } finally {
    await r.close();
  }
});

proxy('tap buffers are used again once frames settle, never while a frame holds one', async () => {
  const sink = new RecordingSink();
  const r = await rig(false, sink);
  try {
    const rocket = await sampleBytes('rocket.jpg');
    const hubble = await sampleBytes('hubble_deep_field.jpg');
    const post = (body: Uint8Array) => sameAnswer(r, '/predict', { method: 'POST', body, headers: { 'content-type': 'image/jpeg' } });
    /** Sends one frame and settles it once offered. */
    const settled = async (body: Uint8Array): Promise<void> => {
      const count = sink.frames.length + 1;
      await post(body);
      const frames = await sink.waitFor(count);
      await frames[count - 1].settle!('processed');
    };
    await post(rocket);
    const [held] = await sink.waitFor(1);
    for (let i = 0; i < 10; i += 1) await settled(i % 2 === 0 ? hubble : rocket);
    assert.ok(bytesEqual(held.bytes, rocket), 'the unsettled frame kept its bytes through 10 later taps');
    await held.settle!('processed');
    const made = r.source.tapBuffersMade;
    for (let i = 0; i < 10; i += 1) await settled(hubble);
    assert.is(r.source.tapBuffersMade, made, 'a steady stream of settled frames makes no new buffers');
    assert.is(r.source.counters.offered, 21);
  } finally {
    await r.close();
  }
});

both('a body larger than the body cap is forwarded whole but not tapped', async (thread) => {
  const sink = new RecordingSink();
  const r = await rig(thread, sink, { maxBodyBytes: 100_000 });
  try {
    const astronaut = await sampleBytes('astronaut.png');
    const reply = await sameAnswer(r, '/predict', { method: 'POST', body: astronaut, headers: { 'content-type': 'image/png' } });
    assert.is((json(reply) as { received: number }).received, astronaut.length);
    await eventually('the skipped tap to be counted', () => r.source.counters.skipCount('tap-too-large') === 1);
    assert.is(sink.frames.length, 0);
    assert.is(r.source.tapBytesInFlight, 0, 'the partial copy was released');
  } finally {
    await r.close();
  }
});

both('a chunked request body without Content-Length is forwarded and tapped', async (thread) => {
  const sink = new RecordingSink();
  const r = await rig(thread, sink);
  try {
    const horse = await sampleBytes('horse.png');
    const reply = await send(`${r.proxyBase}/predict`, { method: 'POST', body: horse, headers: { 'content-type': 'image/png', 'transfer-encoding': 'chunked' } });
    assert.is((json(reply) as { received: number }).received, horse.length);
    const [frame] = await sink.waitFor(1);
    assert.ok(bytesEqual(frame.bytes, horse));
  } finally {
    await r.close();
  }
});

both('an upstream that does not answer in time gives 504 with a JSON body', async (thread) => {
  const silent = createServer(() => {
    // Never answers.
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const server = new ListenServer({ host: '127.0.0.1', port: 0 });
  const source = new ProxySource(server, { upstream: new URL(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`), tapPath: '/predict', camera: 'cam', upstreamTimeoutMs: 200, thread });
  await source.start(new RecordingSink());
  const { port } = await server.listen();
  try {
    const reply = await send(`http://127.0.0.1:${port}/predict`, { method: 'POST', body: 'x', headers: { 'content-type': 'image/jpeg' } });
    assert.is(reply.status, 504);
    assert.match(String(json(reply).error), /did not answer within 200 ms/);
  } finally {
    await server.close();
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  }
});

both('a dead upstream gives 502 with a JSON body; the proxy recovers when it returns', async (thread) => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const deadPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const server = new ListenServer({ host: '127.0.0.1', port: 0 });
  const source = new ProxySource(server, { upstream: new URL(`http://127.0.0.1:${deadPort}`), tapPath: '/predict', camera: 'cam', thread });
  await source.start(new RecordingSink());
  const { port } = await server.listen();
  try {
    const reply = await send(`http://127.0.0.1:${port}/predict`, { method: 'POST', body: 'x', headers: { 'content-type': 'image/jpeg' } });
    assert.is(reply.status, 502);
    assert.match(String(json(reply).error), new RegExp(`upstream http://127\\.0\\.0\\.1:${deadPort} unavailable \\(ECONNREFUSED\\)`));
    const upstream = createServer(upstreamHandler);
    await new Promise<void>((resolve) => upstream.listen(deadPort, '127.0.0.1', resolve));
    try {
      assert.is((await send(`http://127.0.0.1:${port}/other`)).status, 200);
    } finally {
      await new Promise((resolve) => upstream.close(resolve));
    }
  } finally {
    await server.close();
  }
});

proxyThread('a relay thread that dies is started again on the same port and the death is reported', async () => {
  const r = await rig(true, new RecordingSink());
  try {
    assert.is((await send(`${r.proxyBase}/other`)).status, 200);
    // Reaching into the source for its worker: nothing outside can kill one thread of a process.
    const relayThread = (r.source as unknown as { relayThread: { running: { worker: { terminate(): Promise<number> } } } }).relayThread;
    await relayThread.running.worker.terminate();
    await eventually('the death to be reported', () => r.source.counters.errorCount('relay-thread-exited') === 1);
    await eventually('the proxy to answer again', async () => (await send(`${r.proxyBase}/other`).catch(() => undefined))?.status === 200);
    assert.is((await send(`${r.proxyBase}/metrics-not-a-route`)).status, 200, 'unrouted paths are forwarded again');
    assert.equal(r.errors.map((e) => e.reason), ['relay-thread-exited']);
  } finally {
    await r.close();
  }
});

proxy.run();
proxyThread.run();
