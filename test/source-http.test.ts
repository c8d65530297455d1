// The http: ingest source over real loopback requests: raw image bodies with
// header predictions, multipart bodies, and each refusal (400/405/413/415/431/503).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ListenServer } from '../edge/http/listen-server.js';
import { HttpIngestSource } from '../edge/sources/http-source.js';
import { FrameQueue } from '../edge/queue/frame-queue.js';
import type { SourceError } from '../edge/sources/frame-source.js';
import { send, json, multipart } from './helpers/http-client.js';
import { RecordingSink, bytesEqual, sampleBytes } from './helpers/source-frames.js';

const ingest = suite('http ingest source');

async function setUp(sink: { offer: RecordingSink['offer'] } = new RecordingSink(), maxBodyBytes?: number, cameras?: string[]) {
  const server = new ListenServer({ host: '127.0.0.1', port: 0 }, { maxBodyBytes });
  const errors: SourceError[] = [];
  const source = new HttpIngestSource(server, { onError: (error) => errors.push(error), cameras });
  await source.start(sink);
  const { port } = await server.listen();
  return { server, source, errors, base: `http://127.0.0.1:${port}` };
}

ingest('a JPEG body with predictions in the header is queued with its camera and origin', async () => {
  const sink = new RecordingSink();
  const { server, base } = await setUp(sink);
  try {
    const rocket = await sampleBytes('rocket.jpg');
    const predictions = { label: 'rocket', score: 0.91 };
    const reply = await send(`${base}/frames/gate-1`, {
      method: 'POST',
      body: rocket,
      headers: { 'content-type': 'image/jpeg', 'x-driftwatch-predictions': JSON.stringify(predictions) },
    });
    assert.equal([reply.status, json(reply)], [202, { queued: true }]);
    const [frame] = sink.frames;
    assert.is(frame.camera, 'gate-1');
    assert.ok(bytesEqual(frame.bytes, rocket));
    assert.equal(frame.predictions, predictions);
    assert.match(frame.origin, /^http 127\.0\.0\.1:\d+$/);
    assert.ok(frame.receivedAtMs > 0);
  } finally {
    await server.close();
  }
});

ingest('with the watched cameras given, another camera id gets 404 and nothing is queued', async () => {
  const sink = new RecordingSink();
  const { server, base } = await setUp(sink, undefined, ['gate-1', 'yard']);
  try {
    const rocket = await sampleBytes('rocket.jpg');
    const other = await send(`${base}/frames/gate-2`, { method: 'POST', body: rocket, headers: { 'content-type': 'image/jpeg' } });
    assert.equal([other.status, (json(other) as { error: string }).error], [404, 'camera "gate-2" is not watched by this agent over HTTP (gate-1, yard)']);
    const watched = await send(`${base}/frames/yard`, { method: 'POST', body: rocket, headers: { 'content-type': 'image/jpeg' } });
    assert.is(watched.status, 202);
    assert.equal(sink.frames.map((f) => f.camera), ['yard']);
  } finally {
    await server.close();
  }
});

ingest('a PNG without predictions is queued without them', async () => {
  const sink = new RecordingSink();
  const { server, base } = await setUp(sink);
  try {
    const horse = await sampleBytes('horse.png');
    const reply = await send(`${base}/frames/yard.cam_2`, { method: 'POST', body: horse, headers: { 'content-type': 'image/png' } });
    assert.is(reply.status, 202);
    assert.is(sink.frames[0].predictions, undefined);
    assert.ok(bytesEqual(sink.frames[0].bytes, horse));
  } finally {
    await server.close();
  }
});

ingest('multipart bodies carry the image and predictions parts', async () => {
  const sink = new RecordingSink();
  const { server, base } = await setUp(sink);
  try {
    const chelsea = await sampleBytes('chelsea.png');
    const predictions = { scores: { cat: 0.97, dog: 0.03 } };
    const boundary = 'driftwatch-test-boundary-41';
    const body = multipart(boundary, [
      { name: 'predictions', body: JSON.stringify(predictions) },
      { name: 'image', filename: 'chelsea.png', type: 'image/png', body: chelsea },
    ]);
    const reply = await send(`${base}/frames/cats`, { method: 'POST', body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    assert.equal([reply.status, json(reply)], [202, { queued: true }]);
    assert.ok(bytesEqual(sink.frames[0].bytes, chelsea));
    assert.equal(sink.frames[0].predictions, predictions);
    // The same through fetch's own FormData encoder.
    const form = new FormData();
    form.append('image', new Blob([chelsea as Uint8Array<ArrayBuffer>], { type: 'image/png' }), 'c.png');
    const fetched = await fetch(`${base}/frames/cats`, { method: 'POST', body: form });
    assert.is(fetched.status, 202);
    assert.ok(bytesEqual(sink.frames[1].bytes, chelsea));
    assert.is(sink.frames[1].predictions, undefined);
  } finally {
    await server.close();
  }
});

ingest('bad requests are refused with a status and a message naming the problem', async () => {
  const sink = new RecordingSink();
  const { server, source, base, errors } = await setUp(sink, 200_000);
  try {
    const rocket = await sampleBytes('rocket.jpg');
    const post = (path: string, headers: Record<string, string>, body: Uint8Array | string = rocket) => () => send(`${base}${path}`, { method: 'POST', headers, body });
    const cases: Array<[() => ReturnType<typeof send>, number, RegExp]> = [
      [post('/frames/bad%20camera', { 'content-type': 'image/jpeg' }), 400, /camera id "bad camera" is not valid/],
      [post(`/frames/${'x'.repeat(65)}`, { 'content-type': 'image/jpeg' }), 400, /camera id "x{65}" is not valid/],
      [post('/frames/cam/extra', { 'content-type': 'image/jpeg' }), 400, /camera id "cam\/extra" is not valid/],
      [post('/frames/cam', { 'content-type': 'image/jpeg', 'x-driftwatch-predictions': '{"label":' }), 400, /X-Driftwatch-Predictions is not valid JSON/],
      [post('/frames/cam', { 'content-type': 'image/jpeg', 'x-driftwatch-predictions': JSON.stringify({ label: 'x'.repeat(9000) }) }), 431, /X-Driftwatch-Predictions is 9\d\d\d bytes; the limit is 8192/],
      [post('/frames/cam', { 'content-type': 'text/plain' }), 415, /Content-Type "text\/plain" is not accepted/],
      [post('/frames/cam', {}), 415, /Content-Type "" is not accepted/],
      [post('/frames/cam', { 'content-type': 'image/png' }, ''), 400, /the image is empty/],
      [post('/frames/cam', { 'content-type': 'image/jpeg' }, new Uint8Array(300_000)), 413, /the limit is 200000 bytes/],
      [post('/frames/cam', { 'content-type': 'multipart/form-data; boundary=dw-boundary-7f3a' }, multipart('dw-boundary-7f3a', [{ name: 'predictions', body: '{}' }])), 400, /multipart part "image" is missing/],
      [post('/frames/cam', { 'content-type': 'multipart/form-data; boundary=dw-boundary-7f3a' }, multipart('dw-boundary-7f3a', [{ name: 'image', filename: 'a.gif', type: 'image/gif', body: rocket }])), 415, /part "image" has type "image\/gif"/],
      [post('/frames/cam', { 'content-type': 'multipart/form-data; boundary=dw-boundary-7f3a' }, multipart('dw-boundary-7f3a', [{ name: 'image', filename: 'a.jpg', type: 'image/jpeg', body: rocket }, { name: 'predictions', body: 'nope' }])), 400, /multipart part "predictions" is not valid JSON/],
      [post('/frames/cam', { 'content-type': 'multipart/form-data; boundary=dw-boundary-7f3a' }, 'garbage without parts'), 400, /multipart\/form-data body could not be parsed/],
      [() => send(`${base}/frames/cam`), 405, /GET is not allowed on \/frames\/cam; use POST/],
    ];
    for (const [request, status, message] of cases) {
      const reply = await request();
      assert.is(reply.status, status, `${message}: ${reply.body.toString()}`);
      assert.match(String(json(reply).error), message);
    }
    assert.is(sink.frames.length, 0, 'nothing was queued');
    assert.is(errors.length, cases.length, 'each refusal is reported');
    assert.is(source.counters.errorCount('http-400'), 8);
    const good = await post('/frames/cam', { 'content-type': 'image/jpeg' })();
    assert.is(good.status, 202, 'the source keeps working after bad requests');
  } finally {
    await server.close();
  }
});

ingest('a full queue answers 503 queue-full, and a stopped source no longer takes the route', async () => {
  const queue = new FrameQueue({ maxFrames: 1 });
  const { server, source, base } = await setUp(queue);
  try {
    const horse = await sampleBytes('horse.png');
    const post = () => send(`${base}/frames/cam`, { method: 'POST', body: horse, headers: { 'content-type': 'image/png' } });
    assert.is((await post()).status, 202);
    const full = await post();
    assert.equal([full.status, json(full), full.headers['retry-after']], [503, { queued: false, reason: 'queue-full' }, '1']);
    assert.is(queue.stats().dropped['queue-full'], 1);
    assert.equal([source.counters.offered, source.counters.refused], [1, 1]);
    await source.stop();
    await source.stop();
    assert.not.ok(source.running);
    assert.is((await post()).status, 404);
  } finally {
    await server.close();
  }
});

ingest.run();
