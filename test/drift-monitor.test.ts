// The drift monitor on seeded AR(1) feature streams: quiet when stable, the
// exact frames of pending and firing for a step and for a slow ramp, and bad
// options rejected.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BaselineBuilder } from '../src/baseline/baseline-builder.js';
import { encodeBaseline, decodeBaseline } from '../src/baseline/baseline-codec.js';
import type { Baseline } from '../src/baseline/baseline.js';
import { SCALAR_FEATURE_NAMES, type ScalarFeatureName } from '../src/catalogue.js';
import { autocorrelationTimes } from '../src/policy/autocorrelation-time.js';
import { DriftMonitor } from '../src/policy/drift-monitor.js';
import { calibrateSequential } from '../src/policy/calibration.js';
import type { AlertEvent } from '../src/policy/alert-types.js';

// Features wander as AR(1) processes (phi 0.9, unit sd) around distinct levels.
function featureStream(seed: number) {
  let s = seed >>> 0 || 1;
  const uniform = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const state = SCALAR_FEATURE_NAMES.map(() => gaussian());
  return (shift: Partial<Record<ScalarFeatureName, number>> = {}) => {
    const record = {} as Record<ScalarFeatureName, number>;
    SCALAR_FEATURE_NAMES.forEach((name, i) => {
      state[i] = 0.9 * state[i] + Math.sqrt(1 - 0.81) * gaussian();
      const constant = name === 'width' || name === 'height' || name === 'aspect_ratio';
      record[name] = constant ? 320 : 100 + 10 * i + state[i] + (shift[name] ?? 0);
    });
    return record;
  };
}

const EMPTY = { luma: new Array<number>(256).fill(0), hue: new Array<number>(36).fill(0) };
let baseline: Baseline;
let taus: Record<string, number>;

const monitor = suite('DriftMonitor');
monitor.before(async () => {
  const next = featureStream(7);
  const builder = new BaselineBuilder();
  const series: Record<string, number[]> = Object.fromEntries(SCALAR_FEATURE_NAMES.map((n) => [n, []]));
  for (let i = 0; i < 6000; i++) {
    const f = next();
    builder.addFrame({ features: f, histograms: EMPTY });
    for (const n of SCALAR_FEATURE_NAMES) series[n].push(f[n]);
  }
  baseline = await decodeBaseline((await encodeBaseline(builder.build({ source: 'test', createdAt: 0, model: null }))).bytes);
  taus = autocorrelationTimes(series);
});

function run(seed: number, frames: number, shiftAt: (i: number) => Partial<Record<ScalarFeatureName, number>>, m = new DriftMonitor({ camera: 'cam', baseline, autocorrelationTime: taus })): AlertEvent[] {
  const next = featureStream(seed);
  const events: AlertEvent[] = [];
  for (let i = 0; i < frames; i++) events.push(...m.update({ index: i, timeMs: i * 100, features: next(shiftAt(i)) }));
  return events;
}

const summary = (events: AlertEvent[]) => events.map((e) => `${e.state}@${e.frame}`);

monitor('τ measured on the stable stretch is near (1 + φ) / (1 − φ) = 19', () => {
  assert.ok(taus.luma_mean > 12 && taus.luma_mean < 26, `τ ${taus.luma_mean}`);
});

monitor('stable streams: no alert in 5 × 6,000 frames', () => {
  for (let seed = 20; seed < 25; seed++) assert.equal(summary(run(seed, 6000, () => ({}))), [], `seed ${seed}`);
});

monitor('a 6 sd step of luma_mean at frame 1000: pending and firing at pinned frames, cause unknown (−4.6% is under the 5% of a light-level change)', () => {
  const events = run(30, 1500, (i) => (i >= 1000 ? { luma_mean: -6 } : {}));
  assert.equal(summary(events), ['pending@1049', 'firing@1099']);
  const firing = events[1];
  assert.is(firing.id, 'cam:1049');
  assert.ok(firing.findings.some((f) => f.feature === 'luma_mean' && f.direction === 'down'));
  assert.is(firing.cause, 'unknown');
  // The finding measures the latest 50 frames, all shifted: −6 over an IQR of 1.35, not the window's partial shift.
  const luma = firing.findings.find((f) => f.feature === 'luma_mean')!;
  assert.ok(luma.effect < -3.5 && luma.effect > -5.5, `effect ${luma.effect}`);
  assert.ok(Math.abs(luma.shift! - -6) < 1, `shift ${luma.shift}`);
});

monitor('a slow ramp: the sequential detector alone catches it (the check gated off), and nothing without it', () => {
  // 0 → 8 sd over 2,000 frames from frame 1000; the check's effect gate is set out of reach.
  const ramp = (i: number) => (i >= 1000 ? { sharpness: 8 * Math.min(1, (i - 1000) / 2000) } : {});
  const check = { minEffect: 1e9 };
  const sequentialOnly = run(31, 3500, ramp, new DriftMonitor({ camera: 'cam', baseline, autocorrelationTime: taus, check }));
  assert.equal(summary(sequentialOnly).slice(0, 2), ['pending@1999', 'firing@2049']);
  assert.equal(sequentialOnly[1].findings.map((f) => f.feature), ['sharpness']);
  const neither = run(31, 3500, ramp, new DriftMonitor({ camera: 'cam', baseline, autocorrelationTime: taus, check, sequential: false }));
  assert.equal(summary(neither), []);
  // With the check on, it implicates sharpness once the window median moved 1% of its level of 270
  // (minRelativeChange; at 0 the check's own gates alone fire 75 frames earlier).
  const both = run(31, 3500, ramp);
  assert.equal(summary(both).slice(0, 2), ['pending@1774', 'firing@1824']);
  const noFloor = run(31, 3500, ramp, new DriftMonitor({ camera: 'cam', baseline, autocorrelationTime: taus, minRelativeChange: 0 }));
  assert.equal(summary(noFloor).slice(0, 2), ['pending@1699', 'firing@1749']);
});

monitor('a change must also be a share of the feature\'s level (minRelativeChange, default 1%)', () => {
  // The 6 sd step of luma_mean above is −4.6% of its level (−5.2% at most in a check): under a 10% floor nothing is implicated.
  const step = (i: number) => (i >= 1000 ? { luma_mean: -6 } : {});
  assert.equal(summary(run(30, 1500, step)), ['pending@1049', 'firing@1099']);
  assert.equal(summary(run(30, 1500, step, new DriftMonitor({ camera: 'cam', baseline, autocorrelationTime: taus, minRelativeChange: 0.1 }))), []);
  assert.is(new DriftMonitor({ camera: 'cam', baseline }).minRelativeChange, 0.01);
  assert.throws(() => new DriftMonitor({ camera: 'cam', baseline, minRelativeChange: -0.01 }), /options\.minRelativeChange must be a finite number >= 0/);
});

monitor('a CUSUM detection is confirmed by the latest frames, even while the window median still sits on the other side', () => {
  // luma_mean +1.5 for the 300 frames before a −6 step: the window starts above the baseline. The check is gated off.
  const m = new DriftMonitor({ camera: 'cam', baseline, autocorrelationTime: taus, check: { minEffect: 1e9 } });
  const next = featureStream(33);
  let windowEffect: number | undefined;
  const events: AlertEvent[] = [];
  for (let i = 0; i < 1200; i++) {
    const e = m.update({ index: i, timeMs: i * 100, features: next(i >= 1000 ? { luma_mean: -6 } : i >= 700 ? { luma_mean: 1.5 } : {}) });
    if (e.some((x) => x.state === 'pending')) windowEffect = m.lastCheck!.tests.find((t) => t.feature === 'luma_mean')!.effect;
    events.push(...e);
  }
  assert.equal(summary(events), ['pending@1049', 'firing@1099']);
  assert.ok(windowEffect! > 0, `the window median was still above the baseline: effect ${windowEffect}`);
  assert.equal(events[1].findings.filter((f) => f.implicated).map((f) => f.feature), ['luma_mean']);
});

monitor('without τ, the first full window stands in for a stable stretch', () => {
  const m = new DriftMonitor({ camera: 'cam', baseline });
  assert.is(m.autocorrelationTimes, null);
  const events = run(32, 1500, (i) => (i >= 1000 ? { luma_mean: -6 } : {}), m);
  assert.ok(m.autocorrelationTimes!.luma_mean > 1);
  // The CUSUM detects at once; the latest frames confirm it (the window's median would take 75 frames longer).
  assert.equal(summary(events).slice(0, 2), ['pending@1024', 'firing@1074']);
});

monitor('a calibration is kept with the monitor and sets the CUSUM threshold unless one is given', () => {
  const calibration = calibrateSequential({ series: { luma_mean: Float64Array.from({ length: 3000 }, (_, i) => Math.sin(i * 0.7) + Math.cos(i * 1.3)) }, taus: { luma_mean: 1 }, fps: 10 });
  const m = new DriftMonitor({ camera: 'cam', baseline, calibration });
  assert.is(m.calibration, calibration);
  assert.equal(m.sequentialOptions, { threshold: calibration.threshold! });
  assert.equal(new DriftMonitor({ camera: 'cam', baseline, calibration, sequential: { threshold: 9 } }).sequentialOptions, { threshold: 9 });
});

monitor('bad options and frames are rejected by name', () => {
  assert.throws(() => new DriftMonitor({ camera: 'cam', baseline, checkEvery: 0 }), /options\.checkEvery must be an integer >= 1/);
  assert.throws(() => new DriftMonitor({ camera: 'cam', baseline, tauSafety: 0.5 }), /options\.tauSafety/);
  assert.throws(() => new DriftMonitor({ camera: 'cam', baseline, recentFrames: 0 }), /options\.recentFrames/);
  assert.throws(() => new DriftMonitor({ camera: 'cam', baseline, alsoMovedEffect: -1 }), /options\.alsoMovedEffect/);
  assert.throws(() => new DriftMonitor({ camera: 'cam', baseline, autocorrelationTime: { luma_mean: 0 } }), /options\.autocorrelationTime\.luma_mean/);
  assert.throws(() => new DriftMonitor({ camera: 'cam', baseline, sequential: { holdChecks: 0 } }), /sequential\.holdChecks/);
  assert.throws(() => new DriftMonitor({ camera: '', baseline }), /options\.camera/);
  assert.throws(() => new DriftMonitor({ camera: 'cam', baseline: null as never }), /options\.baseline/);
  const m = new DriftMonitor({ camera: 'cam', baseline });
  assert.throws(() => m.update({ index: -1, timeMs: 0, features: {} }), /frame\.index/);
  assert.throws(() => m.update({ index: 0, timeMs: 0, features: { luma_mean: 1 } }), /record\.\w+ must be a number/);
});

monitor.run();
