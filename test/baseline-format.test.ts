// The baseline file: round trip, the golden fixture, a second decoder, and
// every way a file can be unreadable.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { decode as secondDecoder } from '@msgpack/msgpack';
import { encodeBaseline, decodeBaseline } from '../src/baseline/baseline-codec.js';
import { BaselineFormatError, BaselineVersionError } from '../src/baseline/baseline.js';
import { SCALAR_FEATURE_NAMES } from '../src/catalogue.js';
import { goldenBaselineContent, GOLDEN_BASELINE_FILE } from './helpers/golden-baseline.js';
import { repoPath } from './helpers/paths.js';
import { rejection } from './helpers/rejection.js';

const format = suite('baseline file format');


format('round trip keeps every header field, moment, histogram, sketch and class count', async () => {
  const content = goldenBaselineContent();
  const { bytes, digest } = await encodeBaseline(content);
  const back = await decodeBaseline(bytes);
  assert.is(back.header.digest, digest);
  assert.match(digest, /^sha256:[0-9a-f]{64}$/);
  assert.equal({ ...back.header, digest: undefined, formatVersion: undefined }, { ...content.header, digest: undefined, formatVersion: undefined });
  assert.is(back.header.formatVersion, 1);
  for (const name of SCALAR_FEATURE_NAMES) {
    const a = content.features[name], b = back.features[name];
    assert.equal([b.count, b.mean, b.std, b.min, b.max], [a.count, a.mean, a.std, a.min, a.max], name);
    assert.equal(b.sketch.serialize(), a.sketch.serialize(), `${name} sketch`);
    assert.is(b.sketch.quantile(0.5), a.sketch.quantile(0.5));
  }
  assert.equal(back.histograms, content.histograms);
  assert.equal(back.categorical.predicted_class.entries(), [['cat', 3], ['bird', 1], ['dog', 1], ['fish', 1], ['__other__', 1]]);
});

format('the golden file is what the encoder writes today, and reads back', async () => {
  const golden = new Uint8Array(await readFile(repoPath(GOLDEN_BASELINE_FILE)));
  const { bytes } = await encodeBaseline(goldenBaselineContent());
  assert.ok(Buffer.from(bytes).equals(Buffer.from(golden)), 'encoder output differs from the golden fixture: a format change needs a new version');
  const baseline = await decodeBaseline(golden);
  assert.is(baseline.header.frameCount, 50);
  assert.equal(baseline.header.model, { id: 'resnet50', version: '1.2.0' });
  assert.is(baseline.features.luma_mean.count, 50);
});

format('a second msgpack decoder reads the body; the digest is the SHA-256 of the body', async () => {
  const golden = new Uint8Array(await readFile(repoPath(GOLDEN_BASELINE_FILE)));
  const view = new DataView(golden.buffer, golden.byteOffset, golden.byteLength);
  assert.is(new TextDecoder().decode(golden.subarray(0, 8)), 'DWBASELN');
  const length = view.getUint32(10, true);
  const body = secondDecoder(golden.subarray(14, 14 + length)) as Record<string, any>;
  assert.is(body.catalogueVersion, 1);
  assert.is(body.frameCount, 50);
  assert.is(body.source, 'golden fixture');
  assert.ok(body.features.luma_mean.sketch instanceof Uint8Array);
  assert.is(body.histograms.luma.length, 256);
  assert.equal(body.categorical.predicted_class.counts, { cat: 3, dog: 1, bird: 1, fish: 1 });
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', golden.subarray(14, 14 + length)));
  assert.equal(digest, golden.subarray(14 + length));
});

format('corrupt files say "possible corruption" and what is wrong', async () => {
  const { bytes } = await encodeBaseline(goldenBaselineContent());
  const flipped = bytes.slice();
  flipped[200] ^= 0x40;
  const digestError = await rejection(decodeBaseline(flipped));
  assert.instance(digestError, BaselineFormatError);
  assert.match(digestError.message, /^possible corruption: the SHA-256 digest does not match/);
  assert.match((await rejection(decodeBaseline(bytes.subarray(0, bytes.length - 5)))).message, /^possible corruption: .*truncated/);
  const newer = bytes.slice();
  newer[8] = 3;
  assert.match((await rejection(decodeBaseline(newer))).message, /^possible corruption: format version 3 is not supported/);
  assert.match((await rejection(decodeBaseline(new TextEncoder().encode('{"not": "a baseline"}')))).message, /not a driftwatch baseline file/);
  assert.match((await rejection(decodeBaseline(new Uint8Array(0)))).message, /not a driftwatch baseline file/);
});

format('a baseline of another feature catalogue is refused with a clear message', async () => {
  const { bytes } = await encodeBaseline(goldenBaselineContent(2));
  const error = await rejection(decodeBaseline(bytes));
  assert.instance(error, BaselineVersionError);
  assert.match(error.message, /built with feature catalogue v2, but this driftwatch computes v1: rebuild it/);
});

format.run();
