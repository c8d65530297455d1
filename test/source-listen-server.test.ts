// The listen server: exact, prefix and fallback routes, JSON errors, the
// body cap, a failing handler, and a graceful close.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ListenServer, parseListenAddress } from '../edge/http/listen-server.js';
import { HttpError, sendJson } from '../edge/http/http-error.js';
import { send, json } from './helpers/http-client.js';
import { sampleBytes } from './helpers/source-frames.js';

const listen = suite('listen server');

async function started(options: ConstructorParameters<typeof ListenServer>[1] = {}): Promise<{ server: ListenServer; base: string }> {
  const server = new ListenServer({ host: '127.0.0.1', port: 0 }, options);
  const { port } = await server.listen();
  return { server, base: `http://127.0.0.1:${port}` };
}

listen('exact routes answer; other methods get 405 and unknown paths 404, both as JSON', async () => {
  const { server, base } = await started();
  try {
    server.route('GET', '/healthz', (_request, response) => sendJson(response, 200, { ok: true }));
    assert.equal(json(await send(`${base}/healthz`)), { ok: true });
    const wrongMethod = await send(`${base}/healthz`, { method: 'DELETE' });
    assert.is(wrongMethod.status, 405);
    assert.is(wrongMethod.headers.allow, 'GET');
    assert.match(String(json(wrongMethod).error), /DELETE is not allowed on \/healthz; use GET/);
    const missing = await send(`${base}/nothing?x=1`);
    assert.is(missing.status, 404);
    assert.match(String(missing.headers['content-type']), /application\/json/);
    assert.equal(json(missing), { error: 'no route for GET /nothing' });
  } finally {
    await server.close();
  }
});

listen('the longest prefix wins, exact routes win over prefixes, the fallback takes the rest', async () => {
  const { server, base } = await started();
  try {
    const reply = (name: string) => (_request: unknown, response: Parameters<typeof sendJson>[0]) => sendJson(response, 200, { name });
    server.route('GET', '/a/b', reply('exact'));
    server.prefixRoute('/a/', reply('short'));
    server.prefixRoute('/a/c/', reply('long'));
    const removeFallback = server.fallback(reply('fallback'));
    assert.is(json(await send(`${base}/a/b`)).name, 'exact');
    assert.is(json(await send(`${base}/a/x`)).name, 'short');
    assert.is(json(await send(`${base}/a/c/d`, { method: 'POST', body: 'x' })).name, 'long');
    assert.is(json(await send(`${base}/elsewhere`)).name, 'fallback');
    assert.throws(() => server.fallback(reply('second')), /already registered/);
    removeFallback();
    assert.is((await send(`${base}/elsewhere`)).status, 404);
  } finally {
    await server.close();
  }
});

listen('bodies over the cap get 413 naming the limit, and the server keeps serving', async () => {
  const { server, base } = await started({ maxBodyBytes: 100_000 });
  try {
    server.route('POST', '/echo', async (_request, response, context) => {
      const body = await context.readBody();
      sendJson(response, 200, { length: body.byteLength });
    });
    const horse = await sampleBytes('horse.png'); // 16,633 bytes
    assert.equal(json(await send(`${base}/echo`, { method: 'POST', body: horse })), { length: horse.byteLength });
    const rocket = await sampleBytes('rocket.jpg'); // 112,525 bytes
    const declared = await send(`${base}/echo`, { method: 'POST', body: rocket });
    assert.is(declared.status, 413);
    assert.match(String(json(declared).error), /declared 112525 bytes; the limit is 100000 bytes/);
    const chunked = await send(`${base}/echo`, { method: 'POST', body: rocket, headers: { 'transfer-encoding': 'chunked' } });
    assert.is(chunked.status, 413);
    assert.match(String(json(chunked).error), /more than 100000 bytes/);
    assert.equal(json(await send(`${base}/echo`, { method: 'POST', body: horse })), { length: horse.byteLength });
  } finally {
    await server.close();
  }
});

listen('a throwing handler gives 500 with a JSON body and is reported; HttpError gives its status', async () => {
  const failures: string[] = [];
  const { server, base } = await started({ onError: (error, where) => failures.push(`${where.method} ${where.path}: ${error.message}`) });
  try {
    server.route('GET', '/boom', () => {
      throw new Error('kaboom');
    });
    server.route('GET', '/teapot', async () => {
      throw new HttpError(418, 'short and stout');
    });
    const boom = await send(`${base}/boom`);
    assert.equal([boom.status, json(boom)], [500, { error: 'internal error' }]);
    assert.equal(failures, ['GET /boom: kaboom']);
    const teapot = await send(`${base}/teapot`);
    assert.equal([teapot.status, json(teapot)], [418, { error: 'short and stout' }]);
    assert.is(failures.length, 1, 'an HttpError is an answer, not a failure');
  } finally {
    await server.close();
  }
});

listen('close lets a request in flight finish, then refuses connections', async () => {
  const { server, base } = await started();
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const inHandler = new Promise<void>((resolve) => (entered = resolve));
  server.route('GET', '/slow', async (_request, response) => {
    entered();
    await released;
    sendJson(response, 200, { done: true });
  });
  const pending = send(`${base}/slow`);
  await inHandler;
  const closing = server.close();
  release();
  assert.equal(json(await pending), { done: true });
  await closing;
  assert.not.ok(server.listening);
  const refused = await send(`${base}/slow`).then(() => 'answered', (error: NodeJS.ErrnoException) => error.code);
  assert.is(refused, 'ECONNREFUSED');
  await server.close(); // idempotent
});

listen('parseListenAddress reads host:port forms and names a bad one', () => {
  assert.equal(parseListenAddress('127.0.0.1:9464'), { host: '127.0.0.1', port: 9464 });
  assert.equal(parseListenAddress('[::1]:80'), { host: '::1', port: 80 });
  assert.equal(parseListenAddress(':8080'), { host: '0.0.0.0', port: 8080 });
  assert.throws(() => parseListenAddress('localhost'), /--listen "localhost" is not host:port/);
  assert.throws(() => parseListenAddress('h:70000'), /--listen "h:70000"/);
});

listen.run();
