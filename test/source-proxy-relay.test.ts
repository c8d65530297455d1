// The proxy's byte relay at the level of bytes on real sockets: chunked
// bodies both ways, pipelined requests, HEAD, 204 and 304, an upgrade
// tunnel, the agent's own routes mixed with forwarded calls on one
// kept-alive connection, malformed heads, an upstream that dies mid-answer,
// a client that leaves mid-request, a close-delimited answer, and the tap
// still measuring what went through.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTlsFiles } from './helpers/tls-certs.js';
import { ListenServer } from '../edge/http/listen-server.js';
import { sendJson } from '../edge/http/http-error.js';
import { ProxySource } from '../edge/sources/proxy-source.js';
import { RawClient, statusLines, withoutDate } from './helpers/raw-socket.js';
import { RecordingSink, bytesEqual, eventually, sampleBytes } from './helpers/source-frames.js';

const relay = suite('proxy byte relay');
const relayThread = suite('proxy byte relay, relay thread');

/** Each test runs with the relay in this thread and (unless it looks inside this thread's tap) in a relay thread of its own. */
function both(name: string, run: (thread: boolean) => Promise<void>, modes: boolean[] = [false, true]): void {
  if (modes.includes(false)) relay(name, () => run(false));
  if (modes.includes(true)) relayThread(name, () => run(true));
}

interface Upstream {
  server: Server;
  port: number;
  aborted: string[];
  /** Body bytes received so far, over all requests. */
  received: { bytes: number };
}

function upstreamHandler(aborted: string[], received = { bytes: 0 }) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received.bytes += chunk.length;
    });
    request.on('close', () => {
      if (!request.complete) aborted.push(request.url ?? '');
    });
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = new URL(request.url ?? '/', 'http://upstream').pathname;
      if (path === '/predict') {
        const answer = JSON.stringify({ label: 'horse', received: body.length, camera: request.headers['x-camera-id'] ?? null });
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) }).end(answer);
      } else if (path === '/chunked') {
        response.writeHead(200, 'Chunks Ahead', { 'content-type': 'text/plain', 'x-received': String(body.length), 'x-te': String(request.headers['transfer-encoding']) });
        response.write('first;');
        setImmediate(() => response.end(`second (${body.length} bytes in)`));
      } else if (path === '/head') {
        response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' }).end();
      } else if (path === '/empty') {
        response.writeHead(204, { 'x-empty': 'yes' }).end();
      } else if (path === '/cached') {
        response.writeHead(304, { etag: '"v1"' }).end();
      } else if (path === '/half') {
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '1000' });
        response.write(Buffer.alloc(100, 7));
        setTimeout(() => response.socket?.destroy(), 20);
      } else {
        sendJson(response, 200, { method: request.method, url: request.url, length: body.length, host: request.headers.host, expect: request.headers.expect ?? null });
      }
    });
  };
}

async function upstream(): Promise<Upstream> {
  const aborted: string[] = [];
  const received = { bytes: 0 };
  const server = createServer(upstreamHandler(aborted, received));
  // An upgrade: 101, then everything the client sends comes back upper-cased.
  server.on('upgrade', (request: IncomingMessage, socket, head: Buffer) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: shout\r\nConnection: Upgrade\r\n\r\n');
    if (head.length > 0) socket.write(head.toString().toUpperCase());
    socket.on('data', (chunk: Buffer) => socket.write(chunk.toString().toUpperCase()));
    socket.on('end', () => socket.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, aborted, received };
}

interface Rig {
  up: Upstream;
  server: ListenServer;
  source: ProxySource;
  port: number;
  sink: RecordingSink;
  close(): Promise<void>;
}

async function rig(thread: boolean, upstreamPort?: number): Promise<Rig> {
  const up = await upstream();
  const server = new ListenServer({ host: '127.0.0.1', port: 0 });
  // The agent's own routes: one exact, one prefix that reads a body.
  server.route('GET', '/healthz', (_request, response) => sendJson(response, 200, { ok: true }));
  server.prefixRoute('/frames/', async (_request, response, context) => sendJson(response, 202, { bytes: (await context.readBody()).length }));
  const sink = new RecordingSink();
  const source = new ProxySource(server, { upstream: new URL(`http://127.0.0.1:${upstreamPort ?? up.port}`), tapPath: '/predict', camera: 'cam', thread });
  await source.start(sink);
  const { port } = await server.listen();
  return {
    up, server, source, port, sink,
    async close() {
      await source.stop();
      await server.close();
      up.server.closeAllConnections();
      await new Promise((resolve) => up.server.close(resolve));
    },
  };
}

const CONNECTION_LINES = /\r\n(?:connection|keep-alive|transfer-encoding): [^\r\n]*/gi;

/** An answer without the headers a hop re-makes and without Date: what must be identical through the relay. */
function endToEnd(text: string): string {
  return withoutDate(text).replace(CONNECTION_LINES, '');
}

/** Sends `request` on a fresh connection to `port` and returns the text once `done` holds. */
async function exchange(port: number, request: string, done: (text: string) => boolean): Promise<string> {
  const client = new RawClient(port);
  try {
    await client.write(request);
    return await client.until('the answer', done);
  } finally {
    client.destroy();
  }
}

both('chunked both ways: a chunked request split mid-frame reaches the upstream, a chunked answer comes back frame for frame', async (thread) => {
  const r = await rig(thread);
  try {
    const request = 'POST /chunked HTTP/1.1\r\nHost: client.example\r\nTransfer-Encoding: chunked\r\n\r\n';
    const body = ['5\r\nhello\r\n', '1', '0;ext=1\r\n', '0123456789abcdef\r\n0\r\n', 'X-Trailer: t\r\n\r\n'];
    const ended = (text: string) => text.endsWith('0\r\n\r\n');
    const client = new RawClient(r.port);
    await client.write(request);
    for (const piece of body) await client.write(piece);
    const proxied = await client.until('the chunked answer', ended);
    client.destroy();
    const direct = await exchange(r.up.port, request + body.join(''), ended);
    assert.ok(proxied.includes('\r\nx-received: 21\r\n'), 'the upstream got the 21 content bytes');
    assert.ok(proxied.includes('\r\nx-te: chunked\r\n'), 'still chunked upstream');
    assert.ok(/\r\nTransfer-Encoding: chunked\r\n/i.test(proxied), 'still chunked to the client');
    assert.is(endToEnd(proxied), endToEnd(direct));
  } finally {
    await r.close();
  }
});

both('pipelined requests are answered in order, forwarded and local ones alike', async (thread) => {
  const r = await rig(thread);
  try {
    const client = new RawClient(r.port);
    await client.write(
      'GET /first HTTP/1.1\r\nHost: a\r\n\r\n' +
      'GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n' +
      'POST /third HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc' +
      'GET /fourth?q=1 HTTP/1.1\r\nHost: a\r\n\r\n',
    );
    const text = await client.until('four answers', (t) => statusLines(t).length === 4 && t.includes('/fourth?q=1"') && t.trimEnd().endsWith('}'));
    client.destroy();
    const order = ['"/first"', '{"ok":true}', '"/third"', '"/fourth?q=1"'].map((marker) => text.indexOf(marker));
    assert.ok(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1])), `answers out of order: ${order.join(', ')}`);
    assert.ok(text.includes('"method":"POST","url":"/third","length":3'));
  } finally {
    await r.close();
  }
});

both('HEAD, 204 and 304 answers have no body; the connection goes on with the next request', async (thread) => {
  const r = await rig(thread);
  try {
    const client = new RawClient(r.port);
    await client.write('HEAD /head HTTP/1.1\r\nHost: a\r\n\r\n');
    await client.until('the HEAD answer', (t) => t.includes('\r\n\r\n'));
    await client.write('GET /empty HTTP/1.1\r\nHost: a\r\n\r\n');
    await client.until('the 204', (t) => statusLines(t).length === 2 && t.endsWith('\r\n\r\n'));
    await client.write('GET /cached HTTP/1.1\r\nHost: a\r\nIf-None-Match: "v1"\r\n\r\n');
    await client.until('the 304', (t) => statusLines(t).length === 3 && t.endsWith('\r\n\r\n'));
    await client.write('GET /after HTTP/1.1\r\nHost: a\r\n\r\n');
    const text = await client.until('the last answer', (t) => t.includes('"url":"/after"'));
    client.destroy();
    assert.equal(statusLines(text), ['HTTP/1.1 200 OK', 'HTTP/1.1 204 No Content', 'HTTP/1.1 304 Not Modified', 'HTTP/1.1 200 OK']);
    assert.ok(/content-length: 1000\r\n/i.test(text), 'HEAD keeps its Content-Length, with no body after it');
    assert.ok(text.includes('x-empty: yes') && text.includes('etag: "v1"'));
  } finally {
    await r.close();
  }
});

both('an upgrade (101) becomes a tunnel both ways', async (thread) => {
  const r = await rig(thread);
  try {
    const client = new RawClient(r.port);
    await client.write('GET /socket HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: shout\r\n\r\n');
    await client.until('the 101', (t) => t.includes('\r\n\r\n'));
    assert.ok(client.text.startsWith('HTTP/1.1 101 Switching Protocols\r\nUpgrade: shout\r\nConnection: Upgrade\r\n\r\n'));
    await client.write('hello ');
    await client.write('tunnel');
    const text = await client.until('the echo', (t) => t.endsWith('HELLO TUNNEL'));
    assert.ok(text.endsWith('\r\n\r\nHELLO TUNNEL'));
    client.destroy();
  } finally {
    await r.close();
  }
});

both('the agent\'s own routes and forwarded calls mix on one kept-alive connection; Expect: 100-continue is answered', async (thread) => {
  const r = await rig(thread);
  try {
    const client = new RawClient(r.port);
    const steps: Array<[string, string]> = [
      ['GET /one HTTP/1.1\r\nHost: a\r\n\r\n', '"url":"/one"'],
      ['GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n', '{"ok":true}'],
      ['POST /frames/cam HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nabcd', '{"bytes":4}'],
      ['POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n', 'HTTP/1.1 100 Continue\r\n\r\n'],
      ['ok', '"url":"/two","length":2'],
      ['GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n', '{"ok":true}'],
    ];
    for (const [request, marker] of steps) {
      const before = client.received.length;
      await client.write(request);
      await client.until(marker, (t) => t.slice(before).includes(marker));
    }
    const text = client.text;
    client.destroy();
    assert.ok(text.includes(`"host":"127.0.0.1:${r.up.port}"`), 'Host rewritten to the upstream');
    assert.ok(text.includes('"expect":null'), 'Expect is not forwarded: the relay answered it');
    assert.is(statusLines(text).filter((line) => !line.includes('100')).length, 5);
  } finally {
    await r.close();
  }
});

both('malformed heads get node:http\'s own 400 (and 431 for an oversized head); the relay keeps serving', async (thread) => {
  const r = await rig(thread);
  try {
    for (const bad of [
      'NOT A REQUEST\r\n\r\n',
      'GET /x HTTP/1.1\r\nHost: a\r\nBad Header: 1\r\n\r\n',
      'POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2, 3\r\n\r\nab',
    ]) {
      const client = new RawClient(r.port);
      await client.write(bad);
      const text = await client.closedByServer();
      assert.ok(text.startsWith('HTTP/1.1 400 Bad Request\r\n'), `${JSON.stringify(bad)} got ${JSON.stringify(text)}`);
    }
    const huge = new RawClient(r.port);
    await huge.write(`GET /x HTTP/1.1\r\nHost: a\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    assert.ok((await huge.closedByServer()).startsWith('HTTP/1.1 431 '));
    const fine = await exchange(r.port, 'GET /fine HTTP/1.1\r\nHost: a\r\n\r\n', (t) => t.includes('"url":"/fine"'));
    assert.ok(fine.startsWith('HTTP/1.1 200 OK'));
  } finally {
    await r.close();
  }
});

both('an upstream that dies mid-answer cuts the client\'s connection after the bytes it sent; the next call works', async (thread) => {
  const r = await rig(thread);
  try {
    const client = new RawClient(r.port);
    await client.write('GET /half HTTP/1.1\r\nHost: a\r\n\r\n');
    const text = await client.closedByServer();
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    assert.ok(text.startsWith('HTTP/1.1 200 OK') && /content-length: 1000/i.test(text));
    assert.is(body.length, 100, 'the 100 bytes sent before the upstream died, then the cut');
    const next = await exchange(r.port, 'GET /next HTTP/1.1\r\nHost: a\r\n\r\n', (t) => t.includes('"url":"/next"'));
    assert.ok(next.startsWith('HTTP/1.1 200 OK'));
  } finally {
    await r.close();
  }
});

both('a client that leaves mid-request cancels the upstream request and frees the tap\'s copy', async (thread) => {
  const r = await rig(thread);
  try {
    const client = new RawClient(r.port);
    await client.write('POST /predict HTTP/1.1\r\nHost: a\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n');
    await client.write(Buffer.alloc(30_000, 1));
    // The relay thread's tap budget is not visible from here; its copy is checked in this thread only.
    if (!thread) await eventually('the tap to hold the partial body', () => r.source.tapBytesInFlight === 30_000);
    else await eventually('the upstream to receive the partial body', () => r.up.received.bytes === 30_000);
    client.destroy();
    await eventually('the upstream request to be aborted', () => r.up.aborted.includes('/predict'));
    await eventually('the copy to be released', () => r.source.tapBytesInFlight === 0);
    assert.is(r.sink.frames.length, 0);
  } finally {
    await r.close();
  }
});

both('a close-delimited answer (no length, no chunks) is relayed whole and then the connection closes', async (thread) => {
  const raw: NetServer = createNetServer((socket) => {
    socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end'));
  });
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  const r = await rig(thread, (raw.address() as AddressInfo).port);
  try {
    const client = new RawClient(r.port);
    await client.write('GET /any HTTP/1.1\r\nHost: a\r\n\r\n');
    const text = await client.closedByServer();
    assert.ok(text.startsWith('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nuntil the end'), JSON.stringify(text));
  } finally {
    await r.close();
    await new Promise((resolve) => raw.close(resolve));
  }
});

both('tapped frames are measured as before: pipelined, chunked and raw requests each give their image and answer', async (thread) => {
  const r = await rig(thread);
  try {
    const rocket = Buffer.from(await sampleBytes('rocket.jpg'));
    const horse = Buffer.from(await sampleBytes('horse.png'));
    const half = Math.floor(horse.length / 2);
    const chunked = `${half.toString(16)}\r\n`;
    const client = new RawClient(r.port);
    await client.write(Buffer.concat([
      Buffer.from(`POST /predict HTTP/1.1\r\nHost: a\r\nContent-Type: image/jpeg\r\nX-Camera-Id: gate\r\nContent-Length: ${rocket.length}\r\n\r\n`), rocket,
      Buffer.from(`POST /predict?v=2 HTTP/1.1\r\nHost: a\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n${chunked}`), horse.subarray(0, half),
      Buffer.from(`\r\n${(horse.length - half).toString(16)}\r\n`), horse.subarray(half), Buffer.from('\r\n0\r\n\r\n'),
    ]));
    await client.until('two answers', (t) => (t.match(/"label":"horse"/g) ?? []).length === 2);
    client.destroy();
    const [first, second] = await r.sink.waitFor(2);
    assert.is(first.camera, 'gate');
    assert.ok(bytesEqual(first.bytes, rocket));
    assert.equal(first.predictions, { label: 'horse', received: rocket.length, camera: 'gate' });
    assert.is(second.camera, 'cam');
    assert.ok(bytesEqual(second.bytes, horse), 'the chunked body dechunked for the tap');
    assert.equal(second.predictions, { label: 'horse', received: horse.length, camera: null });
    assert.is(r.source.tapBytesInFlight, 0);
  } finally {
    await r.close();
  }
});

both('an https: upstream: calls go over TLS with the certificate checked; an untrusted one gives 502', async (thread) => {
  const dir = await mkdtemp(join(tmpdir(), 'driftwatch-relay-tls-'));
  const files = makeTlsFiles(dir);
  const secure = createHttpsServer({ cert: await readFile(files.serverCert), key: await readFile(files.serverKey) }, upstreamHandler([]));
  await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
  const upstream = new URL(`https://127.0.0.1:${(secure.address() as AddressInfo).port}`);
  const servers: ListenServer[] = [];
  try {
    const ports: number[] = [];
    for (const ca of [await readFile(files.ca), undefined]) {
      const server = new ListenServer({ host: '127.0.0.1', port: 0 });
      servers.push(server);
      await new ProxySource(server, { upstream, tapPath: '/predict', camera: 'cam', upstreamCa: ca, thread }).start(new RecordingSink());
      ports.push((await server.listen()).port);
    }
    const trusted = await exchange(ports[0], 'POST /secure HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi', (t) => t.includes('"length":2'));
    assert.ok(trusted.startsWith('HTTP/1.1 200 OK') && trusted.includes(`"host":"127.0.0.1:${upstream.port}"`));
    const untrusted = await exchange(ports[1], 'GET /secure HTTP/1.1\r\nHost: a\r\n\r\n', (t) => t.includes('"}'));
    assert.ok(untrusted.startsWith('HTTP/1.1 502 Bad Gateway'), untrusted);
    assert.match(untrusted, /unavailable \((?:SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT)\)/);
  } finally {
    for (const server of servers) await server.close();
    secure.closeAllConnections();
    await new Promise((resolve) => secure.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
});

relay.run();
relayThread.run();
