import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AlertLifecycle, ALERT_LIFECYCLE_DEFAULTS, type AlertEvent, type Finding, type Verdict } from '../edge/library.js';
import { pattern } from './helpers/findings.js';
import { probableCause } from '../src/policy/probable-cause.js';

// A gain of 0.7: the mean, the highlights and the spread all 30% down (a dark block would not scale them alike).
const darker: Finding[] = pattern(
  { luma_mean: -4, luma_p50: -4, luma_p95: -4, luma_std: -4, dark_fraction: 3, sharpness: -6 },
  { luma_mean: { relativeChange: -0.3 }, luma_p95: { relativeChange: -0.3 }, luma_std: { relativeChange: -0.3 }, dark_fraction: { shift: 0.05 } },
);
const blurred: Finding[] = pattern({ sharpness: -6, edge_density: -4, gradient_mean: -5 });
const lone: Finding[] = pattern({ saturation_mean: 0.8 });
const FINDINGS: Record<string, Finding[]> = { D: darker, B: blurred, U: lone, '.': [] };

/** Checks every 10 frames (1 s apart): 'D' drifting with the darker findings, 'B' with blurred ones, 'U' with a lone change (cause unknown), '.' clean. */
function verdicts(script: string, firstCheck = 0): Verdict[] {
  return [...script].map((c, i) => {
    const check = firstCheck + i;
    return { drift: c !== '.', findings: FINDINGS[c], frame: check * 10, timeMs: 1_700_000_000_000 + check * 1000 };
  });
}

/** Transitions as "frame previous>state". */
function run(lifecycle: AlertLifecycle, list: Verdict[]): string[] {
  return list.flatMap((v) => lifecycle.update(v).map((e) => `${e.frame} ${e.previousState}>${e.state}`));
}

const make = (extra: object = {}) => new AlertLifecycle({ camera: 'gate-3', baselineDigest: 'sha256:ab12', modelVersion: 'yolo-v8.2', ...extra });

const options = suite('AlertLifecycle options');
options('defaults: confirm 3, resolve 5, cooldown 10; stored under the option names', () => {
  const l = new AlertLifecycle({ camera: 'c' });
  assert.equal([l.confirmChecks, l.resolveChecks, l.cooldownChecks, l.reviseChecks, l.baselineDigest, l.modelVersion], [3, 5, 10, 3, null, null]);
  assert.equal(ALERT_LIFECYCLE_DEFAULTS, { confirmChecks: 3, resolveChecks: 5, cooldownChecks: 10, reviseChecks: 3 });
  assert.equal([l.state, l.alertId, l.lastFrame], ['ok', null, null]);
});
options('bad options name the option', () => {
  assert.throws(() => new AlertLifecycle({} as never), /options.camera/);
  assert.throws(() => new AlertLifecycle({ camera: 'c', confirmChecks: 0 }), (e: Error) => e instanceof RangeError && /options.confirmChecks/.test(e.message));
  assert.throws(() => new AlertLifecycle({ camera: 'c', resolveChecks: 1.5 }), /options.resolveChecks/);
  assert.throws(() => new AlertLifecycle({ camera: 'c', cooldownChecks: -1 }), /options.cooldownChecks/);
  assert.throws(() => new AlertLifecycle({ camera: 'c', reviseChecks: -1 }), /options.reviseChecks/);
  assert.throws(() => new AlertLifecycle({ camera: 'c', baselineDigest: 5 as never }), /options.baselineDigest/);
});
options.run();

const transitions = suite('AlertLifecycle transitions');
transitions('clean checks stay ok with no events', () => {
  assert.equal(run(make(), verdicts('.....')), []);
});
transitions('ok → pending on the first drifting check, → firing on the third in a row', () => {
  const l = make();
  assert.equal(run(l, verdicts('..DDD')), ['20 ok>pending', '40 pending>firing']);
  assert.is(l.state, 'firing');
  assert.is(l.alertId, 'gate-3:20');
});
transitions('an event carries id, camera, start, findings, cause, digest and model version', () => {
  const l = make();
  const [pending] = l.update(verdicts('D')[0]);
  const expected: AlertEvent = {
    id: 'gate-3:0', camera: 'gate-3', state: 'pending', previousState: 'ok', frame: 0, timeMs: 1_700_000_000_000,
    startFrame: 0, startTimeMs: 1_700_000_000_000, findings: darker, cause: 'low-light', causeRevised: false, baselineDigest: 'sha256:ab12', modelVersion: 'yolo-v8.2',
  };
  assert.equal(pending, expected);
  assert.is.not(pending.findings, darker); // a copy: the caller's array is not kept
});
transitions('pending → ok on a clean check (nothing fired); the next drift opens a new episode', () => {
  const l = make();
  const events = verdicts('DD.DDD').flatMap((v) => l.update(v));
  assert.equal(events.map((e) => `${e.id} ${e.previousState}>${e.state}`),
    ['gate-3:0 ok>pending', 'gate-3:0 pending>ok', 'gate-3:30 ok>pending', 'gate-3:30 pending>firing']);
});
transitions('no duplicate firing: 50 more drifting checks cause no event', () => {
  const l = make();
  assert.equal(run(l, verdicts('DDD' + 'D'.repeat(50))), ['0 ok>pending', '20 pending>firing']);
});
transitions('firing → resolved after 5 clean checks in a row; a drifting check restarts the count', () => {
  assert.equal(run(make(), verdicts('DDD.....')), ['0 ok>pending', '20 pending>firing', '70 firing>resolved']);
  assert.equal(run(make(), verdicts('DDD....D.....')), ['0 ok>pending', '20 pending>firing', '120 firing>resolved']);
});
transitions('resolved carries the findings and cause the alert fired with', () => {
  const l = make();
  const events = verdicts('DDD.....').flatMap((v) => l.update(v));
  const resolved = events[events.length - 1];
  assert.equal([resolved.state, resolved.cause, resolved.findings, resolved.startFrame], ['resolved', 'low-light', darker, 0]);
});
transitions('cooldown: for 10 checks after resolving drift is ignored; the 11th returns to ok and may open pending', () => {
  const l = make();
  // checks 0-2 fire, 3-7 resolve (at check 7), 8-17 cool down, check 18 drifts
  const script = 'DDD.....' + 'D'.repeat(10) + 'DDD';
  assert.equal(run(l, verdicts(script)),
    ['0 ok>pending', '20 pending>firing', '70 firing>resolved', '180 resolved>ok', '180 ok>pending', '200 pending>firing']);
  assert.is(l.alertId, 'gate-3:180');
});
transitions('a clean check after the cooldown returns to ok only', () => {
  assert.equal(run(make({ cooldownChecks: 2 }), verdicts('DDD.....' + '...')), ['0 ok>pending', '20 pending>firing', '70 firing>resolved', '100 resolved>ok']);
});
transitions('confirmChecks 1 and cooldownChecks 0: pending and firing in one check; ok on the next after resolving', () => {
  const l = make({ confirmChecks: 1, resolveChecks: 1, cooldownChecks: 0 });
  assert.equal(run(l, verdicts('D.D')), ['0 ok>pending', '0 pending>firing', '10 firing>resolved', '20 resolved>ok', '20 ok>pending', '20 pending>firing']);
});
transitions.run();

const revision = suite('AlertLifecycle cause revision');
/** Events as "frame previous>state cause", revisions marked with '*'. */
function causes(lifecycle: AlertLifecycle, list: Verdict[]): string[] {
  return list.flatMap((v) => lifecycle.update(v).map((e) => `${e.frame} ${e.previousState}>${e.state}${e.causeRevised ? '*' : ''} ${e.cause}`));
}
revision('the test patterns have the causes the script letters stand for', () => {
  assert.equal([darker, blurred, lone].map((f) => probableCause(f)), ['low-light', 'blur', 'unknown']);
});
revision('while firing, 3 drifting checks in a row that agree on another cause revise it once, in place', () => {
  const l = make();
  assert.equal(causes(l, verdicts('DDD' + 'BB' + 'B' + 'BBBB')),
    ['0 ok>pending low-light', '20 pending>firing low-light', '50 firing>firing* blur']);
  assert.equal([l.state, l.alertId], ['firing', 'gate-3:0']);
});
revision('a revision carries the findings of the check that decided it, and so does the resolution', () => {
  const l = make();
  const events = verdicts('DDDBBB.....').flatMap((v) => l.update(v));
  const revised = events.find((e) => e.causeRevised)!;
  assert.equal([revised.state, revised.previousState, revised.cause, revised.findings, revised.startFrame], ['firing', 'firing', 'blur', blurred, 0]);
  assert.equal(events.filter((e) => e.state === 'firing' && !e.causeRevised).length, 1, 'one firing transition per episode');
  const resolved = events[events.length - 1];
  assert.equal([resolved.state, resolved.cause, resolved.findings, resolved.causeRevised], ['resolved', 'blur', blurred, false]);
});
revision('no revision: an interrupted run of agreeing checks, unknown causes, the same cause, reviseChecks 0', () => {
  assert.equal(causes(make(), verdicts('DDDBBDBBDBB')), ['0 ok>pending low-light', '20 pending>firing low-light']);
  assert.equal(causes(make(), verdicts('DDDUUUUU')), ['0 ok>pending low-light', '20 pending>firing low-light']);
  assert.equal(causes(make(), verdicts('DDD' + 'D'.repeat(10))), ['0 ok>pending low-light', '20 pending>firing low-light']);
  assert.equal(causes(make({ reviseChecks: 0 }), verdicts('DDDBBBBBB')), ['0 ok>pending low-light', '20 pending>firing low-light']);
});
revision('clean checks in between do not break the agreement; a second revision needs twice the agreement (6 checks), a third 12', () => {
  assert.equal(causes(make(), verdicts('DDDB.B.B' + 'DDDDD')),
    ['0 ok>pending low-light', '20 pending>firing low-light', '70 firing>firing* blur']);
  assert.equal(causes(make(), verdicts('DDDB.B.B' + 'DDDDDD' + 'BBBBBBBBBBB' + 'B')),
    ['0 ok>pending low-light', '20 pending>firing low-light', '70 firing>firing* blur', '130 firing>firing* low-light', '250 firing>firing* blur']);
});
revision.run();

const input = suite('AlertLifecycle bad verdicts');
input('a bad verdict throws and leaves the state unchanged', () => {
  const l = make();
  run(l, verdicts('DD'));
  const before = JSON.stringify(l);
  const good = verdicts('DDD')[2];
  const cases: [unknown, RegExp][] = [
    [null, /verdict must be an object/],
    [{ ...good, drift: 'yes' }, /verdict.drift/],
    [{ ...good, findings: undefined }, /verdict.findings must be an array/],
    [{ ...good, findings: [{ feature: 'luma_mean', effect: NaN, direction: 'down' }] }, /verdict.findings\[0\]/],
    [{ ...good, frame: 10 }, /frame must increase: 10 after 10/],
    [{ ...good, frame: 25.5 }, /verdict.frame/],
    [{ ...good, timeMs: Infinity }, /verdict.timeMs/],
  ];
  for (const [v, message] of cases) {
    assert.throws(() => l.update(v as Verdict), message);
    assert.is(JSON.stringify(l), before);
  }
  assert.equal(run(l, [good]), ['20 pending>firing']);
});
input.run();

const checkpoint = suite('AlertLifecycle checkpoints');
// Fires at check 6, is revised to blur mid-agreement (checks 9-12), resolves, cools down, fires again.
const script = '.DD.DDDD' + 'DBB.B' + 'D' + '..D.....' + '.'.repeat(12) + 'DDDD';
checkpoint('restored at every check, through JSON text, it continues with exactly the same events', () => {
  const list = verdicts(script);
  const full = make();
  const expected = list.map((v) => full.update(v));
  assert.equal(expected.flat().filter((e) => e.causeRevised).map((e) => `${e.frame} ${e.cause}`), ['120 blur']);
  for (let cut = 0; cut <= list.length; cut++) {
    const original = make();
    list.slice(0, cut).forEach((v) => original.update(v));
    const restored = AlertLifecycle.fromJSON(JSON.parse(JSON.stringify(original)));
    assert.is(JSON.stringify(restored), JSON.stringify(original), `cut ${cut}`);
    assert.equal(list.slice(cut).map((v) => restored.update(v)), expected.slice(cut), `cut ${cut}`);
  }
});
checkpoint('an alert open at the checkpoint is neither forgotten nor fired again', () => {
  const original = make();
  run(original, verdicts('DDDD'));
  const restored = AlertLifecycle.fromJSON(JSON.parse(JSON.stringify(original)));
  assert.equal([restored.state, restored.alertId], ['firing', 'gate-3:0']);
  assert.equal(run(restored, verdicts('DD.....', 4)), ['100 firing>resolved']);
});
checkpoint('fromJSON rejects other types, versions and inconsistent states', () => {
  const json = JSON.parse(JSON.stringify(make()));
  assert.throws(() => AlertLifecycle.fromJSON({ ...json, type: 'cusum' }), TypeError);
  assert.throws(() => AlertLifecycle.fromJSON({ ...json, version: 2 }), /version 2/);
  assert.throws(() => AlertLifecycle.fromJSON({ ...json, state: { ...json.state, state: 'burning' } }), /burning/);
  assert.throws(() => AlertLifecycle.fromJSON({ ...json, state: { ...json.state, state: 'firing' } }), /needs an episode/);
  assert.throws(() => AlertLifecycle.fromJSON({ ...json, state: { ...json.state, streak: -2 } }), /streak/);
  assert.throws(() => AlertLifecycle.fromJSON({ ...json, options: { ...json.options, confirmChecks: 0 } }), /options.confirmChecks/);
});
checkpoint.run();
