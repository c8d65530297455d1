// A drift monitor stopped and restored from its checkpoint (through standard
// msgpack) at any frame gives, from then on, exactly the events and state of
// one that never stopped; checkpoints made for another baseline, camera or
// configuration are refused, and a bad field is named.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Baseline } from '../src/baseline/baseline.js';
import { CheckpointFormatError, CheckpointMismatchError } from '../src/codec/checkpoint-fields.js';
import { packStandard, unpackStandard } from '../src/codec/standard-msgpack.js';
import type { AlertEvent } from '../src/policy/alert-types.js';
import { DriftMonitor, type DriftMonitorConfig, type MonitorFrame } from '../src/policy/drift-monitor.js';
import { monitorFrames, stableBaseline } from './helpers/monitor-stream.js';

let baseline: Baseline;
let taus: Record<string, number>;
// luma_mean steps down 6 sd for frames [1000, 1400), then comes back: pending, firing, resolved, cooldown, ok.
const frames: MonitorFrame[] = monitorFrames(41, 2300, (i) => (i >= 1000 && i < 1400 ? { luma_mean: -6 } : {}));

const CONFIGS: Record<string, () => DriftMonitorConfig> = {
  'count window, τ measured on the first full window, histograms': () => ({ checkEvery: 25 }),
  'time window, 8 fps sampler, τ given, calibrated options': () => ({
    window: { kind: 'sliding-time', durationMs: 30_000, capacity: 400 }, maxFps: 8, autocorrelationTime: taus,
    checkEvery: 20, sequential: { threshold: 12 }, lifecycle: { confirmChecks: 2, resolveChecks: 4, cooldownChecks: 6, modelVersion: 'm-1' },
  }),
};

const make = (config: DriftMonitorConfig) => new DriftMonitor({ ...config, camera: 'gate-3', baseline });
const feed = (m: DriftMonitor, from: number, to: number) => frames.slice(from, to).flatMap((f) => m.update(f));
/** The monitor's checkpoint after encoding and decoding it as the store does. */
const throughMsgpack = (m: DriftMonitor) => unpackStandard(packStandard(m.toJSON()));
const summary = (events: AlertEvent[]) => events.map((e) => `${e.state}@${e.frame}`);

const restore = suite('DriftMonitor checkpoint: restore continues exactly');
restore.before(async () => { ({ baseline, taus } = await stableBaseline()); });

for (const [label, config] of Object.entries(CONFIGS)) {
  restore(`${label}: events after every cut equal the uninterrupted run`, () => {
    const whole = make(config());
    const all = feed(whole, 0, frames.length);
    const at = (state: string) => all.find((e) => e.state === state)!.frame;
    // The run has every transition, so the cuts below land where the brief asks.
    assert.equal(all.map((e) => e.state), ['pending', 'firing', 'resolved', 'ok']);
    const cuts = {
      'before the window is full': 120,
      'just after the window filled': 301,
      'mid pending': at('pending') + 1,
      'while firing': at('firing') + 37,
      'during the cooldown': at('resolved') + 11,
      'after the episode': at('ok') + 3,
    };
    for (const [where, cut] of Object.entries(cuts)) {
      const before = make(config());
      const head = feed(before, 0, cut);
      const after = DriftMonitor.fromJSON(throughMsgpack(before), { baseline, camera: 'gate-3', options: config() });
      const tail = feed(after, cut, frames.length);
      assert.equal([...head, ...tail], all, `${where} (frame ${cut})`);
      assert.equal(after.toJSON(), whole.toJSON(), `${where}: final state`);
      assert.is(after.checks, whole.checks);
    }
  });
}

restore('a restore while firing keeps the alert open and does not fire it again', () => {
  const config = CONFIGS['count window, τ measured on the first full window, histograms']();
  const m = make(config);
  const head = feed(m, 0, 1200);
  assert.equal(summary(head), ['pending@1024', 'firing@1074']);
  const restored = DriftMonitor.fromJSON(throughMsgpack(m), { baseline });
  assert.is(restored.lifecycle.state, 'firing');
  assert.is(restored.lifecycle.alertId, 'gate-3:1024');
  const tail = feed(restored, 1200, frames.length);
  assert.equal(tail.map((e) => e.state), ['resolved', 'ok']);
  assert.ok(tail.every((e) => e.id === 'gate-3:1024'));
  assert.equal(tail[0].findings, head[1].findings, 'the resolved event carries the findings the alert fired with');
});

restore('restoring again and again at seeded cuts, also through JSON text, changes nothing', () => {
  const config = CONFIGS['time window, 8 fps sampler, τ given, calibrated options'];
  const all = feed(make(config()), 0, frames.length);
  let s = 99;
  const cuts = Array.from({ length: 8 }, () => (s = (s * 1103515245 + 12345) % 2147483648) % frames.length).sort((a, b) => a - b);
  let m = make(config());
  const events: AlertEvent[] = [];
  let from = 0;
  cuts.forEach((cut, k) => {
    events.push(...feed(m, from, cut));
    const json = k % 2 === 0 ? throughMsgpack(m) : JSON.parse(JSON.stringify(m.toJSON()));
    m = DriftMonitor.fromJSON(json, { baseline });
    from = cut;
  });
  events.push(...feed(m, from, frames.length));
  assert.equal(events, all, `cuts ${cuts.join(', ')}`);
});

restore('the checkpoint is plain data: no typed arrays, NaN, Infinity or undefined', () => {
  const m = make(CONFIGS['time window, 8 fps sampler, τ given, calibrated options']());
  feed(m, 0, 50);
  const text = JSON.stringify(m.toJSON());
  assert.equal(JSON.parse(text), unpackStandard(packStandard(m.toJSON())));
  assert.not.match(text, /NaN|Infinity/);
});

restore.run();

const refuse = suite('DriftMonitor checkpoint: refused or rejected by name');
refuse.before(async () => { ({ baseline, taus } = await stableBaseline()); });

function checkpointAt(frame: number): Record<string, any> {
  const m = make({});
  feed(m, 0, frame);
  return throughMsgpack(m) as Record<string, any>;
}

refuse('another baseline digest, another camera, other options: CheckpointMismatchError naming the field', () => {
  const json = checkpointAt(1100);
  const other = { ...baseline, header: { ...baseline.header, digest: 'sha256:' + '0'.repeat(64) } };
  assert.throws(() => DriftMonitor.fromJSON(json, { baseline: other }), (e: Error) => e instanceof CheckpointMismatchError && /baselineDigest/.test(e.message) && e.message.includes(baseline.header.digest));
  assert.throws(() => DriftMonitor.fromJSON(json, { baseline, camera: 'gate-4' }), (e: Error) => e instanceof CheckpointMismatchError && /camera = "gate-3".*"gate-4"/.test(e.message));
  assert.throws(() => DriftMonitor.fromJSON(json, { baseline, options: { checkEvery: 50 } }), (e: Error) => e instanceof CheckpointMismatchError && /options\.checkEvery = \(not set\), but this monitor has 50/.test(e.message));
  assert.is(DriftMonitor.fromJSON(json, { baseline, camera: 'gate-3', options: {} }).lifecycle.state, 'firing', 'a matching checkpoint restores');
});

refuse('a wrong type or version, or a bad field: CheckpointFormatError naming the field', () => {
  const cases: Array<[string, (j: Record<string, any>) => void, RegExp]> = [
    ['type', (j) => { j.type = 'drift-moniter'; }, /monitor\.type must be 'drift-monitor'/],
    ['version', (j) => { j.version = 2; }, /monitor\.version 2 is not supported/],
    ['window value', (j) => { j.state.windows.state.windows.luma_mean.state.values[3] = 'x'; }, /state\.windows\.state\.windows\.luma_mean\.state\.values\[3\] must be a finite number/],
    ['window timestamps', (j) => { j.state.windows.state.windows.saturation_mean.state.timestamps.pop(); }, /saturation_mean\.state\.timestamps must hold 300 numbers/],
    ['window size', (j) => { j.state.windows.state.windows.sharpness.spec.size = 400; }, /sharpness\.spec\.size is 400, but options\.window says 300/],
    ['frame counts', (j) => { j.state.windows.state.counts.seen += 1; }, /state\.windows\.state\.counts must have admitted/],
    ['sinceCheck', (j) => { j.state.sinceCheck = -1; }, /state\.sinceCheck must be an integer >= 0/],
    ['τ', (j) => { j.state.taus.luma_mean = 0.5; }, /state\.taus\.luma_mean must be >= 1/],
    ['a CUSUM sum', (j) => { j.state.sequential.state.detectors.luma_mean.state.upper = -1; }, /state\.sequential\.state\.detectors\.luma_mean is invalid: checkpoint state\.upper/],
    ['a CUSUM made with another τ', (j) => { j.state.sequential.state.detectors.luma_mean.options.std *= 2; }, /detectors\.luma_mean\.options\.std is .* but the baseline and τ give/],
    ['a detection', (j) => { j.state.sequential.state.lastDetection.luma_mean = { check: 3, direction: 'sideways' }; }, /lastDetection\.luma_mean\.direction must be one of up, down/],
    ['the alert state', (j) => { j.state.lifecycle.state.state = 'burning'; }, /state\.lifecycle is invalid: checkpoint state burning/],
    ['the alert options', (j) => { j.state.lifecycle.options.confirmChecks = 9; }, /state\.lifecycle\.options\.confirmChecks is 9/],
    ['histogram sums', (j) => { j.state.histogramSums.hue = [1, 2]; }, /state\.histogramSums\.hue must hold 36 numbers/],
    ['options', (j) => { j.options.checkEvery = 0; }, /monitor\.options is invalid: options\.checkEvery must be an integer >= 1/],
  ];
  for (const [what, spoil, message] of cases) {
    const json = checkpointAt(1110);
    spoil(json);
    assert.throws(() => DriftMonitor.fromJSON(json, { baseline }), (e: Error) => e instanceof CheckpointFormatError && message.test(e.message), what);
  }
  assert.throws(() => DriftMonitor.fromJSON(null, { baseline }), /monitor must be an object; got null/);
  assert.throws(() => DriftMonitor.fromJSON(checkpointAt(10), { baseline: null as never }), /context must be/);
});

refuse('after a refused restore the caller starts fresh and the fresh monitor works', () => {
  const json = checkpointAt(1100);
  json.version = 7;
  let m: DriftMonitor;
  try { m = DriftMonitor.fromJSON(json, { baseline }); } catch { m = make({}); }
  assert.is(m.checks, 0);
  assert.equal(summary(feed(m, 0, 1200)), ['pending@1024', 'firing@1074']);
});

refuse.run();
