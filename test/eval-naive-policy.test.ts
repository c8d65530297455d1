import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NaivePolicy } from '../eval/naive-policy.js';
import type { AlertTransition, EvalReference } from '../eval/policy.js';
import { Prng } from '../eval/prng.js';
import { framesFiring, scoreDrift, scoreStable, type DriftScore } from '../eval/score.js';

const NAMES = ['a', 'b', 'c'];

function reference(seed: number, frames: number): EvalReference {
  const random = new Prng(seed);
  const series = Object.fromEntries(NAMES.map((n) => [n, Float64Array.from({ length: frames }, () => random.normal())]));
  return { camera: 'test', fps: 10, frames, featureNames: NAMES, series };
}

/** Feeds independent N(0, 1) frames, with feature `b` shifted by `shift` from frame `from` on. */
function run(policy: NaivePolicy, seed: number, frames: number, from: number, shift: number): AlertTransition[] {
  const random = new Prng(seed);
  const out: AlertTransition[] = [];
  for (let index = 0; index < frames; index++) {
    const features = Object.fromEntries(NAMES.map((n) => [n, random.normal() + (n === 'b' && index >= from ? shift : 0)]));
    out.push(...policy.update({ index, timeMs: index * 100, features }));
  }
  return out;
}

const naive = suite('naive policy');
naive('pinned transitions on a seeded stream: a false alarm, then the shift caught at the first check that sees it and resolved at the first clean window', () => {
  const policy = new NaivePolicy(reference(1, 5000));
  const random = new Prng(7);
  const out: AlertTransition[] = [];
  for (let index = 0; index < 2000; index++) {
    const shifted = index >= 1000 && index < 1400; // b moves by 3 sd over [1000, 1400)
    const features = Object.fromEntries(NAMES.map((n) => [n, random.normal() + (n === 'b' && shifted ? 3 : 0)]));
    out.push(...policy.update({ index, timeMs: index * 100, features }));
  }
  // 699: uncorrected tests of 3 features on i.i.d. frames (the naive policy's false alarms);
  // 1099: the window [800, 1100) holds 100 shifted frames; 1699: the window [1400, 1700) is clean.
  assert.equal(out, [
    { state: 'firing', frame: 699 }, { state: 'resolved', frame: 799 },
    { state: 'firing', frame: 1099 }, { state: 'resolved', frame: 1699 },
  ]);
});
naive('never decides before the window is full, and only at multiples of the check interval', () => {
  const policy = new NaivePolicy(reference(1, 2000), { checkInterval: 50, window: 200 });
  const transitions = run(policy, 4, 1000, 0, 5);
  assert.equal(transitions, [{ state: 'firing', frame: 199 }]);
});
naive('bad options are RangeErrors', () => {
  assert.throws(() => new NaivePolicy(reference(1, 100), { window: 0 }), RangeError);
  assert.throws(() => new NaivePolicy(reference(1, 100), { alpha: 1 }), RangeError);
});
naive.run();

const scoring = suite('scoring');
const events: AlertTransition[] = [
  { state: 'firing', frame: 299 }, { state: 'resolved', frame: 499 }, { state: 'firing', frame: 1099 },
];
scoring('stable: every firing is false; time firing counted to the next transition or the end', () => {
  assert.is(framesFiring(events, 2000), 200 + 901);
  assert.equal(scoreStable(events, 2000), { frames: 2000, falseFirings: 2, falseFiringsPer100k: 100, firingShare: 1101 / 2000 });
});
// The fields pinned here; scores may carry more (a policy's cause label).
function pick(score: DriftScore) {
  const { startFrame, fullSizeFrame, firingsBeforeStart, firingAtStart, firstFiring, delay, firedBeforeFullSize } = score;
  return { startFrame, fullSizeFrame, firingsBeforeStart, firingAtStart, firstFiring, delay, firedBeforeFullSize };
}
scoring('drift: delay to the first firing at or after the start; early firing of a gradual drift', () => {
  const gradual = pick(scoreDrift(events, { kind: 'darken', onset: 'gradual', startFrame: 1000, rampFrames: 1000 }));
  assert.equal(gradual, { startFrame: 1000, fullSizeFrame: 2000, firingsBeforeStart: 1, firingAtStart: false, firstFiring: 1099, delay: 99, firedBeforeFullSize: true });
  const abrupt = pick(scoreDrift(events.slice(0, 1), { kind: 'blur', onset: 'abrupt', startFrame: 1000, rampFrames: 0 }));
  assert.equal(abrupt, { startFrame: 1000, fullSizeFrame: 1000, firingsBeforeStart: 1, firingAtStart: true, firstFiring: null, delay: null, firedBeforeFullSize: null });
});
scoring('cause revisions: not counted as firings; cause when fired, at full size and last', () => {
  const revised: AlertTransition[] = [
    { state: 'pending', frame: 900, cause: 'unknown' }, { state: 'firing', frame: 950, cause: 'unknown' },
    { state: 'firing', frame: 990, cause: 'noise', causeRevised: true }, { state: 'resolved', frame: 999, cause: 'noise' },
    { state: 'pending', frame: 1200, cause: 'low-light' }, { state: 'firing', frame: 1250, cause: 'low-light' },
    { state: 'firing', frame: 1800, cause: 'occlusion', causeRevised: true },
    { state: 'firing', frame: 2100, cause: 'scene-change', causeRevised: true },
  ];
  assert.equal(scoreStable(revised, 3000).falseFirings, 2);
  assert.is(framesFiring(revised, 3000), (999 - 950) + (3000 - 1250));
  const score = scoreDrift(revised, { kind: 'occlusion', onset: 'gradual', startFrame: 1000, rampFrames: 1000 });
  assert.equal([score.firingsBeforeStart, score.firingAtStart, score.firstFiring, score.cause, score.causeAtFullSize, score.lastCause],
    [1, false, 1250, 'low-light', 'occlusion', 'scene-change']);
});
scoring.run();
