// Serialized QuantileSketch: exact round trips, the pinned golden bytes (also
// read by an independent Python reader), and corruption always detected.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { QuantileSketch } from '../edge/library.js';
import { crc32 } from '../src/sketch/crc32.js';
import { repoPath, repoRoot } from './helpers/paths.js';
import { GOLDEN_POINTS, GOLDEN_QUANTILES, goldenSketch } from './helpers/sketch-golden.js';
import { sketchOf, stream } from './helpers/sketch-data.js';

const corrupt = (pattern: RegExp) => (e: Error) => /^possible corruption: /.test(e.message) && pattern.test(e.message);

function sameAnswers(a: QuantileSketch, b: QuantileSketch): void {
  assert.is(a.n, b.n);
  assert.is(a.k, b.k);
  assert.ok(Object.is(a.min, b.min) && Object.is(a.max, b.max));
  assert.is(a.retained, b.retained);
  if (a.isEmpty) return;
  assert.equal(a.weightedItems(), b.weightedItems());
  for (const q of [0, 0.001, 0.1, 0.5, 0.9, 0.999, 1]) assert.is(a.quantile(q), b.quantile(q));
}

const round = suite('round trips');
round('empty, tiny, compacted and merged sketches answer identically and re-serialize to the same bytes', () => {
  const merged = sketchOf(() => new QuantileSketch({ k: 50 }), stream('normal', 3e4, 1))
    .merge(sketchOf(() => new QuantileSketch({ k: 50 }), stream('lognormal', 2e4, 2)));
  const cases = [new QuantileSketch(), sketchOf(() => new QuantileSketch(), [-0, 0, 1.5]),
    sketchOf(() => new QuantileSketch(), stream('discrete', 1e5, 3)), merged];
  for (const original of cases) {
    const bytes = original.serialize();
    const copy = QuantileSketch.deserialize(bytes);
    sameAnswers(copy, original);
    assert.equal(copy.serialize(), bytes);
  }
});
round('a deserialized sketch continues exactly as the original (the PRNG state travels)', () => {
  const values = stream('uniform', 50000, 4);
  const original = sketchOf(() => new QuantileSketch(), values.subarray(0, 20000));
  const copy = QuantileSketch.deserialize(original.serialize());
  for (const x of values.subarray(20000)) { original.update(x); copy.update(x); }
  assert.equal(copy.serialize(), original.serialize());
});
round('size: 32-byte header + 4 per level + 4 per item + 4-byte CRC', () => {
  const s = sketchOf(() => new QuantileSketch(), stream('uniform', 1e5, 5));
  const levels = s.serialize()[6] + 256 * s.serialize()[7];
  assert.is(s.serialize().length, 36 + 4 * levels + 4 * s.retained);
  assert.is(new QuantileSketch().serialize().length, 40);
});
round.run();

const golden = suite('golden sketch (test/fixtures/sketch-golden.bin)');
const fixture = new Uint8Array(readFileSync(repoPath('test/fixtures/sketch-golden.bin')));
const answers = JSON.parse(readFileSync(repoPath('test/fixtures/sketch-golden.json'), 'utf8')) as {
  n: number; min: number; max: number; quantiles: [number, number][]; ranks: [number, number][];
};
golden('today\'s code writes exactly the pinned bytes', () => {
  assert.equal(goldenSketch().serialize(), fixture);
});
golden('the fixture reads back with the pinned answers', () => {
  const s = QuantileSketch.deserialize(fixture);
  assert.is(s.n, answers.n);
  assert.is(s.min, answers.min);
  assert.is(s.max, answers.max);
  assert.equal(GOLDEN_QUANTILES.map((q) => [q, s.quantile(q)]), answers.quantiles);
  assert.equal(GOLDEN_POINTS.map((x) => [x, s.rank(x)]), answers.ranks);
});
golden('an independent Python reader (scripts/read-sketch.py) gets the same answers', () => {
  const out = execFileSync('python3', [repoPath('scripts/read-sketch.py'), repoPath('test/fixtures/sketch-golden.bin'),
    repoPath('test/fixtures/sketch-golden.json')], { cwd: repoRoot, encoding: 'utf8' });
  assert.is(out.trim(), 'ok');
});
golden.run();

const bad = suite('corrupt bytes');
const good = sketchOf(() => new QuantileSketch({ k: 20 }), stream('normal', 5000, 6)).serialize();
bad('CRC-32 is the IEEE one (check value of "123456789")', () => {
  assert.is(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
});
bad('every single flipped byte is detected', () => {
  for (let i = 0; i < good.length; i++) {
    const bytes = good.slice();
    bytes[i] ^= 0x5a;
    assert.throws(() => QuantileSketch.deserialize(bytes), corrupt(/./), `byte ${i}`);
  }
});
bad('every truncation and trailing garbage is detected', () => {
  for (let length = 0; length < good.length; length++) {
    assert.throws(() => QuantileSketch.deserialize(good.slice(0, length)), corrupt(/shorter|truncated|bytes/), `length ${length}`);
  }
  const longer = new Uint8Array(good.length + 1);
  longer.set(good);
  assert.throws(() => QuantileSketch.deserialize(longer), corrupt(/trailing bytes/));
});
bad('wrong magic, wrong version, checksum: the message says which', () => {
  const magic = good.slice(); magic[0] = 0x58;
  assert.throws(() => QuantileSketch.deserialize(magic), corrupt(/wrong magic/));
  const version = good.slice(); version[4] = 3;
  assert.throws(() => QuantileSketch.deserialize(version), corrupt(/format version 3 is not supported/));
  const item = good.slice(); item[good.length - 8] ^= 1;
  assert.throws(() => QuantileSketch.deserialize(item), corrupt(/checksum mismatch/));
});
bad('a valid checksum over impossible contents is still rejected', () => {
  const resealed = (edit: (view: DataView) => void) => {
    const bytes = good.slice();
    const view = new DataView(bytes.buffer);
    edit(view);
    view.setUint32(bytes.length - 4, crc32(bytes, 0, bytes.length - 4), true);
    return bytes;
  };
  assert.throws(() => QuantileSketch.deserialize(resealed((v) => v.setFloat64(16, 4999, true))), corrupt(/does not match/));
  assert.throws(() => QuantileSketch.deserialize(resealed((v) => v.setUint32(8, 4, true))), corrupt(/k = 4/));
  assert.throws(() => QuantileSketch.deserialize(resealed((v) => v.setFloat32(28, -1e9, true))), corrupt(/min|max/));
  assert.throws(() => QuantileSketch.deserialize(resealed((v) => v.setUint32(12, 0, true))), corrupt(/PRNG/));
});
bad('not bytes at all: TypeError', () => {
  assert.throws(() => QuantileSketch.deserialize([1, 2] as unknown as Uint8Array), TypeError);
});
bad.run();
