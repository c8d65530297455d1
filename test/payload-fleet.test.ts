// FleetView: deduplication on (dev, bdSeq, seq) in bounded memory, and groups
// by camera, model and site.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FleetView, UNKNOWN_KEY } from '../src/envelope/fleet.js';
import { MAX_CONNECTIONS, MAX_PENDING, SeenMessages } from '../src/envelope/seen-messages.js';
import { decodeEnvelope, encodeEnvelope, isKind } from '../src/envelope/envelope.js';
import { summariesOf, type CameraStream } from './helpers/payload-summaries.js';

const camera = (dev: string, cam: string, model: string | null, site: string | null): CameraStream => ({
  dev, cam, model, site, features: { luma_mean: { center: 100, spread: 10 }, noise_sigma: { center: 2, spread: 0.5 } },
});

const dedup = suite('deduplication');
dedup('a repeated (dev, bdSeq, seq) is refused and changes nothing; the same seq in another bdSeq or device is new', () => {
  const { envelopes } = summariesOf(camera('box-a', 'gate', 'm1', 's1'), 3, 25, 1);
  const fleet = new FleetView();
  assert.equal(envelopes.map((e) => fleet.add(e)), [true, true, true]);
  const before = JSON.stringify(fleet.toJSON());
  assert.is(fleet.add(envelopes[1]), false);
  const replayed = decodeEnvelope(encodeEnvelope({ ...envelopes[2], hist: true }));
  assert.ok(isKind(replayed, 'summary') && !isKind(replayed, 'alert'));
  if (isKind(replayed, 'summary')) assert.is(fleet.add(replayed), false, 'a replayed copy (hist) is the same message');
  assert.is(JSON.stringify(fleet.toJSON()), before);
  assert.is(fleet.add({ ...envelopes[1], bdSeq: 2 }), true);
  assert.is(fleet.add({ ...envelopes[1], dev: 'box-z' }), true);
  assert.is(fleet.groups('camera')['box-a/gate'].summaries, 4);
});
dedup('out-of-order seqs are tracked above the high-water mark', () => {
  const seen = new SeenMessages();
  assert.equal([5, 3, 0, 1, 2, 4, 3, 5, 6].map((s) => seen.take('d', 1, s)), [true, true, true, true, true, true, false, false, true]);
  assert.ok(seen.has('d', 1, 6) && !seen.has('d', 1, 7));
});
dedup('memory stays bounded: past MAX_PENDING out-of-order seqs the gap is given up; past MAX_CONNECTIONS the oldest bdSeq is forgotten', () => {
  const seen = new SeenMessages();
  // A collector that starts mid-stream: seqs from 10,000 on, never 0..9,999.
  for (let s = 10_000; s < 10_000 + MAX_PENDING + 1; s++) assert.ok(seen.take('d', 1, s));
  assert.ok(seen.has('d', 1, 5000), 'the gap below is now treated as seen');
  assert.is(seen.take('d', 1, 10_000 + MAX_PENDING + 1), true);
  for (let b = 2; b <= MAX_CONNECTIONS; b++) seen.take('d', b, 0);
  assert.is(seen.take('d', MAX_CONNECTIONS + 1, 0), true, 'a newer connection evicts bdSeq 1');
  assert.is(seen.take('d', 1, 99_999), false, 'a message of a forgotten, older connection is refused');
  assert.is(seen.take('d', MAX_CONNECTIONS + 1, 0), false);
});
dedup.run();

const groups = suite('groups');
groups('summaries are merged per camera (dev/cam), per model and per site; null model/site group as (unknown)', () => {
  const fleet = new FleetView();
  const parts = [
    summariesOf(camera('box-a', 'gate', 'm1', 's1'), 4, 25, 1),
    summariesOf(camera('box-a', 'dock', 'm2', 's1'), 2, 25, 2, 4), // seq counts per device, across its cameras
    summariesOf(camera('box-b', 'gate', 'm1', 's2'), 3, 25, 3),
    summariesOf(camera('box-c', 'yard', null, null), 1, 25, 4),
  ];
  for (const p of parts) for (const e of p.envelopes) assert.ok(fleet.add(e));
  const count = (level: 'camera' | 'model' | 'site') => Object.fromEntries(Object.entries(fleet.groups(level)).map(([k, g]) => [k, g.summaries]));
  assert.equal(count('camera'), { 'box-a/gate': 4, 'box-a/dock': 2, 'box-b/gate': 3, 'box-c/yard': 1 });
  assert.equal(count('model'), { m1: 7, m2: 2, [UNKNOWN_KEY]: 1 });
  assert.equal(count('site'), { s1: 6, s2: 3, [UNKNOWN_KEY]: 1 });
  assert.equal(fleet.keys('model'), ['m1', 'm2', UNKNOWN_KEY]);
  const m1 = fleet.toJSON().model.m1.features.luma_mean;
  const values = [...parts[0].raw.luma_mean, ...parts[2].raw.luma_mean].sort((x, y) => x - y);
  assert.is(m1.n, 175);
  assert.equal([m1.min, m1.max], [values[0], values[values.length - 1]]);
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  assert.ok(Math.abs(m1.mean! - mean) < 1e-9 * mean);
  assert.ok(Math.abs(m1.std! - Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length)) < 1e-9);
  // 25-value summaries are exact, so every quantile is within the fleet sketch's eps in rank.
  const eps = fleet.errorBound('model', 'm1', 'luma_mean');
  for (const [name, q] of [['p05', 0.05], ['p25', 0.25], ['p50', 0.5], ['p75', 0.75], ['p95', 0.95]] as const) {
    const v = m1.quantiles![name];
    const below = values.filter((x) => x < v).length / values.length, atOrBelow = values.filter((x) => x <= v).length / values.length;
    assert.ok(below - eps <= q && q <= atOrBelow + eps, `${name}`);
  }
  assert.is(fleet.sketch('site', 's1', 'noise_sigma').n, 150);
});
groups('bad requests: unknown group, feature or level; a non-summary envelope', () => {
  const fleet = new FleetView();
  fleet.add(summariesOf(camera('box-a', 'gate', 'm1', 's1'), 1, 5, 1).envelopes[0]);
  assert.throws(() => fleet.sketch('camera', 'box-z/gate', 'luma_mean'), /no camera group "box-z\/gate"/);
  assert.throws(() => fleet.moments('model', 'm1', 'nope'), /feature "nope"/);
  assert.throws(() => fleet.groups('planet' as never), /level "planet"/);
  assert.throws(() => fleet.add({ kind: 'alert' } as never), TypeError);
});
groups.run();
