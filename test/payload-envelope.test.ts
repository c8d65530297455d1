// Topics and the envelope: round trips, hist marking, and every malformed
// input giving a PayloadError that names the field (never another error).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decode, encode } from '@msgpack/msgpack';
import { TOPIC_ROOT, checkTopicLevel, parseTopic, topicFor } from '../src/envelope/topics.js';
import { PayloadError, decodeEnvelope, encodeEnvelope, markHistorical, type Envelope } from '../src/envelope/envelope.js';
import { summaryWire, type SummaryBody } from '../src/envelope/summary-body.js';
import { goldenEnvelopes } from './helpers/payload-inputs.js';
import { plainOf } from './helpers/msgpack-walk.js';
import { uniforms } from './helpers/sketch-data.js';

const topics = suite('topics');
topics('topicFor builds every kind under driftwatch/v1/<dev>', () => {
  assert.is(TOPIC_ROOT, 'driftwatch/v1');
  assert.is(topicFor('box-1', 'state'), 'driftwatch/v1/box-1/state');
  assert.is(topicFor('box-1', 'birth'), 'driftwatch/v1/box-1/birth');
  assert.is(topicFor('box-1', 'reply'), 'driftwatch/v1/box-1/reply');
  assert.is(topicFor('box-1', 'summary', 'cam-a'), 'driftwatch/v1/box-1/summary/cam-a');
  assert.is(topicFor('box-1', 'alert', 'cam-a'), 'driftwatch/v1/box-1/alert/cam-a');
  assert.is(topicFor('box-1', 'cmd', 'summary-now'), 'driftwatch/v1/box-1/cmd/summary-now');
});
topics('parseTopic inverts topicFor and gives null for other topics', () => {
  assert.equal(parseTopic('driftwatch/v1/box-1/state'), { device: 'box-1', kind: 'state' });
  assert.equal(parseTopic('driftwatch/v1/box-1/summary/cam-a'), { device: 'box-1', kind: 'summary', camera: 'cam-a' });
  assert.equal(parseTopic('driftwatch/v1/box-1/alert/cam-a'), { device: 'box-1', kind: 'alert', camera: 'cam-a' });
  assert.equal(parseTopic('driftwatch/v1/box-1/cmd/rebirth'), { device: 'box-1', kind: 'cmd', command: 'rebirth' });
  for (const other of ['driftwatch/v2/box-1/state', 'other/v1/box-1/state', 'driftwatch/v1/box-1', 'driftwatch/v1/box-1/summary',
    'driftwatch/v1/box-1/state/x', 'driftwatch/v1/box-1/summary/a/b', 'driftwatch/v1//state', 'driftwatch/v1/box-1/metrics',
    'driftwatch/v1/$SYS/state', 'driftwatch/v1/box-1/cmd/']) {
    assert.is(parseTopic(other), null, other);
  }
});
topics('checkTopicLevel refuses empty, long, wildcard, separator, NUL and $ ids, naming the input', () => {
  assert.is(checkTopicLevel('cam-a', 'camera'), 'cam-a');
  assert.is(checkTopicLevel('x'.repeat(64), 'camera').length, 64);
  for (const bad of ['', 'x'.repeat(65), 'a/b', 'a+b', 'a#', 'a\0b', '$sys']) {
    assert.throws(() => checkTopicLevel(bad, 'camera'), (e: Error) => e instanceof RangeError && e.message.startsWith('camera'), JSON.stringify(bad));
  }
  assert.throws(() => checkTopicLevel(5, 'device'), (e: Error) => e instanceof TypeError && e.message.startsWith('device'));
  assert.throws(() => topicFor('box/1', 'state'), /device/);
  assert.throws(() => topicFor('box-1', 'summary', '#'), /camera/);
});
topics.run();

const golden = () => Object.values(goldenEnvelopes());
const payloadError = (pattern: RegExp) => (e: Error) => e instanceof PayloadError && pattern.test(e.message);

const round = suite('envelope round trips');
round('decodeEnvelope(encodeEnvelope(e)) gives e back for every kind', () => {
  for (const e of golden()) assert.equal(plainOf(decodeEnvelope(encodeEnvelope(e))), plainOf(e), e.kind);
});
round('markHistorical sets hist and changes nothing else, unknown keys included', () => {
  for (const e of golden()) {
    assert.equal(markHistorical(encodeEnvelope(e)), encodeEnvelope({ ...e, hist: true }), e.kind);
    assert.is(decodeEnvelope(markHistorical(encodeEnvelope(e))).hist, true);
  }
  const state = goldenEnvelopes().state;
  const withExtra = encode({ ...state, hist: false, extra: 'later field', body: { ...(state.body as object), note: 1 } });
  const marked = decode(markHistorical(withExtra));
  assert.equal(marked, { ...state, hist: true, extra: 'later field', body: { ...(state.body as object), note: 1 } });
});
round('consumers ignore unknown keys (additive fields within v1)', () => {
  const e = goldenEnvelopes().alert;
  const decoded = decodeEnvelope(encode({ ...e, future: [1, 2], body: { ...(e.body as object), newField: 'x' } }));
  assert.equal(plainOf(decoded), plainOf(e));
});
round('large seq, bdSeq and ts round trip as integers', () => {
  const e = { ...goldenEnvelopes().state, bdSeq: 2 ** 40, seq: Number.MAX_SAFE_INTEGER, ts: 4102444800000 };
  const back = decodeEnvelope(encodeEnvelope(e));
  assert.equal([back.bdSeq, back.seq, back.ts], [2 ** 40, Number.MAX_SAFE_INTEGER, 4102444800000]);
});
round.run();

const bad = suite('malformed envelopes');
/** The golden summary envelope with its body in wire form, as any msgpack encoder would send it. */
const summary = (): Envelope => { const e = goldenEnvelopes().summary; return { ...e, body: summaryWire(e.body as SummaryBody) }; };
const raw = (e: Record<string, unknown>) => encode(e);
bad('a newer format version is refused by name', () => {
  assert.throws(() => decodeEnvelope(raw({ ...summary(), v: 2 })), payloadError(/^payload: format version 2 is not supported/));
  assert.throws(() => decodeEnvelope(raw({ ...summary(), v: '1' })), payloadError(/^payload: v must be the format version 1/));
});
bad('each missing envelope field is named', () => {
  for (const key of ['v', 'dev', 'cam', 'bdSeq', 'seq', 'ts', 'kind', 'hist', 'body']) {
    const e: Record<string, unknown> = { ...summary() };
    delete e[key];
    assert.throws(() => decodeEnvelope(raw(e)), (err: Error) => err instanceof PayloadError && err.message.includes(key), key);
  }
});
bad('mistyped envelope fields are named', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ seq: -1 }, /payload: seq must be a non-negative safe integer/],
    [{ seq: 1.5 }, /payload: seq must be/],
    [{ bdSeq: '7' }, /payload: bdSeq must be/],
    [{ ts: 1.5 }, /payload: ts must be a safe integer/],
    [{ ts: -5 }, /payload: ts must be an integer epoch time/],
    [{ kind: 'metrics' }, /payload: kind must be one of/],
    [{ hist: 1 }, /payload: hist must be a boolean/],
    [{ dev: 'a/b' }, /payload: dev .* must not contain/],
    [{ dev: 'x'.repeat(100_000) }, /payload: dev must be a string of at most 64/],
    [{ cam: null }, /payload: cam must be a camera id for a summary/],
    [{ cam: 'other' }, /payload: body.camera must be the envelope's cam/],
    [{ body: [] }, /payload: body must be a map/],
  ];
  for (const [patch, pattern] of cases) assert.throws(() => decodeEnvelope(raw({ ...summary(), ...patch })), payloadError(pattern), JSON.stringify(patch).slice(0, 60));
  assert.throws(() => decodeEnvelope(raw({ ...goldenEnvelopes().state, cam: 'x' })), payloadError(/cam must be null for a state/));
});
bad('mistyped body fields are named with their path', () => {
  const e = summary();
  const body = plainOf(e.body) as Record<string, any>;
  const withBody = (b: unknown) => raw({ ...e, body: b });
  const sketchless = structuredClone(e.body) as any;
  sketchless.features.luma_mean.sketch = [1, 2, 3];
  assert.throws(() => decodeEnvelope(withBody(sketchless)), payloadError(/^payload: body.features.luma_mean.sketch must be bin bytes$/));
  const corrupt = structuredClone(e.body) as any;
  corrupt.features.sharpness.sketch[10] ^= 0xff;
  assert.throws(() => decodeEnvelope(withBody(corrupt)), payloadError(/body.features.sharpness.sketch must be a QuantileSketch \(possible corruption/));
  const wrongN = structuredClone(e.body) as any;
  wrongN.features.luma_mean.moments[0] = 4;
  assert.throws(() => decodeEnvelope(withBody(wrongN)), payloadError(/body.features.luma_mean.sketch must be a sketch of n = 4 values/));
  const m2 = structuredClone(e.body) as any;
  m2.features.luma_mean.moments[2] = 'x';
  assert.throws(() => decodeEnvelope(withBody(m2)), payloadError(/^payload: body.features.luma_mean.moments\[2\] \(m2\) must be a finite number/));
  const hist = structuredClone(e.body) as any;
  hist.histograms.hue = hist.histograms.hue.subarray(0, 10);
  assert.throws(() => decodeEnvelope(withBody(hist)), payloadError(/body.histograms.hue must be 144 bytes/));
  const test = structuredClone(e.body) as any;
  test.features.luma_mean.test[4] = 'sideways';
  assert.throws(() => decodeEnvelope(withBody(test)), payloadError(/body.features.luma_mean.test\[4\] \(direction\) must be one of/));
  const oldTests = structuredClone(e.body) as any;
  oldTests.tests = [];
  assert.throws(() => decodeEnvelope(withBody(oldTests)), payloadError(/^payload: body.tests must be a map$/));
  assert.ok(body.camera === 'dock-door');
  const alert = goldenEnvelopes().alert;
  const a = structuredClone(alert.body) as any;
  a.findings[1].effect = 'big';
  assert.throws(() => decodeEnvelope(raw({ ...alert, body: a })), payloadError(/body.findings\[1\].effect must be a finite number/));
});
bad('encodeEnvelope validates before encoding', () => {
  assert.throws(() => encodeEnvelope({ ...goldenEnvelopes().summary, ts: 1.5 }), payloadError(/ts must be a safe integer/));
  assert.throws(() => encodeEnvelope({ ...goldenEnvelopes().state, body: { online: true, bdSeq: 1, ts: 0, x: undefined } }), payloadError(/body.x must be plain data/));
  assert.throws(() => encodeEnvelope({ ...goldenEnvelopes().reply, body: { command: 'x', requestId: null, ok: true, error: null, result: new Date(0) } }), payloadError(/body.result must be plain data/));
});
const onlyPayloadErrors = (bytes: Uint8Array, label: string) => {
  try { decodeEnvelope(bytes); } catch (e) { if (!(e instanceof PayloadError)) assert.unreachable(`${label}: ${String(e)}`); }
};
bad('every truncation of every envelope is a PayloadError', () => {
  for (const e of golden()) {
    const bytes = encodeEnvelope(e);
    for (let n = 0; n < bytes.length; n++) {
      assert.throws(() => decodeEnvelope(bytes.subarray(0, n)), (err: Error) => err instanceof PayloadError, `${e.kind} cut at ${n}`);
    }
  }
});
bad('every single-byte change of the summary decodes or gives a PayloadError', () => {
  const bytes = encodeEnvelope(goldenEnvelopes().summary);
  for (let i = 0; i < bytes.length; i++) for (const x of [0x00, 0xff, bytes[i] ^ 0x01]) {
    const copy = bytes.slice();
    copy[i] = x;
    onlyPayloadErrors(copy, `byte ${i} = ${x}`);
  }
});
bad('3,000 seeded random buffers (and random bytes after a valid map header) give only PayloadErrors', () => {
  const next = uniforms(2026);
  for (let t = 0; t < 3000; t++) {
    const length = 1 + Math.floor(next() * 200);
    const bytes = new Uint8Array(length).map(() => Math.floor(next() * 256));
    if (t % 2 === 1) bytes[0] = 0x89; // a 9-key map, like an envelope
    onlyPayloadErrors(bytes, `buffer ${t}`);
  }
});
bad('huge announced sizes in a short input are refused without allocating them', () => {
  for (const header of [[0xdd, 0xff, 0xff, 0xff, 0xff], [0xdf, 0xff, 0xff, 0xff, 0xff], [0xc6, 0xff, 0xff, 0xff, 0xff], [0xdb, 0xff, 0xff, 0xff, 0xff]]) {
    assert.throws(() => decodeEnvelope(new Uint8Array([...header, 1, 2, 3])), payloadError(/not valid msgpack/));
  }
  assert.throws(() => decodeEnvelope(new Uint8Array(0)), payloadError(/empty/));
  assert.throws(() => decodeEnvelope(new Uint8Array([0x80, 0x80])), payloadError(/not valid msgpack/));
});
bad.run();
