// SIGKILL at seeded random points, 20 times, while the agent works through
// the demo camera's frames with a darkening from frame 1500: every restart
// resumes from its checkpoint, and over all runs the one drift fires exactly
// once, no transition is sent twice (a line printed again after a kill is
// marked recovered) and none of the firing alert's is missing. The frames
// arrive in the folder at 80 a second, as from a camera, and the last 100
// only once the 20th run has started, so that every machine gets all 20
// kills in (a fast one emptied a full folder in 4 runs). Checkpoints are
// saved every second; each alert is journaled before it is printed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoJpegFrames } from '../edge/demo/demo-stream.js';
import { killAgents, AgentProcess } from './helpers/agent-process.js';
import { repoPath } from './helpers/paths.js';

const FRAMES = 2400, DRIFT_AT = 1500, KILLS = 20, ARRIVALS_PER_SECOND = 80;
let work = '';

const kill = suite('driftwatch run under SIGKILL');
kill.before(async () => {
  work = await mkdtemp(join(tmpdir(), 'driftwatch-kill-'));
  await mkdir(join(work, 'frames'));
  await mkdir(join(work, 'staged'));
  for await (const { index, jpeg } of demoJpegFrames({ frames: FRAMES, seed: 31, drift: { kind: 'darken', startFrame: DRIFT_AT } })) {
    await writeFile(join(work, 'staged', `f${String(index).padStart(5, '0')}.jpg`), jpeg);
  }
});

/**
 * Moves the staged frames into the watched folder in name order at ARRIVALS_PER_SECOND (whole files, by
 * rename); the last `heldBack` wait until `release()` says so.
 */
async function arrive(heldBack: number, release: () => boolean): Promise<void> {
  const names = (await readdir(join(work, 'staged'))).sort();
  const started = Date.now();
  for (let i = 0; i < names.length; i++) {
    const due = started + (i * 1000) / ARRIVALS_PER_SECOND;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    // Unref'd: a test that failed before releasing them must not keep the process alive.
    while (i >= names.length - heldBack && !release()) await new Promise((r) => setTimeout(r, 50).unref());
    await rename(join(work, 'staged', names[i]), join(work, 'frames', names[i]));
  }
}
kill.after(async () => { killAgents(); await rm(work, { recursive: true, force: true }); });

kill('20 SIGKILLs at random points: each restart resumes; the drift is announced once, not lost, not repeated', async () => {
  const frames = join(work, 'frames');
  const args = ['--device', 'd', '--camera', 'k', '--source', `dir:${frames}?after=delete`, '--baseline', repoPath('samples/demo/coffee-cam.dwb'),
    '--state-dir', join(work, 'state'), '--listen', '127.0.0.1:0', '--checkpoint-interval-s', '1'];
  let seed = 2026;
  const uniform = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed / 4294967296; };
  const alerts: Array<Record<string, unknown>> = [];
  let restored = 0, runs = 0, withCheckpoint = 0;
  const hasCheckpoint = async () => (await readdir(join(work, 'state')).catch(() => [] as string[])).includes('camera-k.ckpt');
  let arrived = false;
  const arrivals = arrive(100, () => runs >= KILLS).then(() => { arrived = true; });
  arrivals.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  const allTaken = async () => arrived && (await readdir(frames)).length === 0;
  for (let k = 0; k < KILLS; k++) {
    if (await hasCheckpoint()) withCheckpoint++;
    const agent = new AgentProcess(args);
    runs++;
    await agent.until(() => agent.logs.some((l) => typeof l.listen === 'string'), 60_000, 'the listen line');
    if (agent.logs.some((l) => l.msg === 'monitor restored from its checkpoint')) restored++;
    assert.not.ok(agent.logs.some((l) => /checkpoint not used/.test(l.msg)), 'a checkpoint left by a SIGKILL is always usable');
    // Let it work 0.3–1.8 s, then kill it without warning.
    await new Promise((r) => setTimeout(r, 300 + 1500 * uniform()));
    agent.signal('SIGKILL');
    await agent.exited;
    alerts.push(...agent.alerts);
    if (await allTaken()) break;
  }
  // The last run finishes the folder and stops cleanly.
  const last = new AgentProcess(args);
  await last.until(() => last.logs.some((l) => typeof l.listen === 'string'), 60_000, 'the last start');
  await arrivals;
  for (let i = 0; i < 600 && !(await allTaken()); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(await allTaken(), 'the last run took every frame');
  last.signal('SIGTERM');
  assert.is(await last.exited, 0);
  alerts.push(...last.alerts);

  assert.is(runs, KILLS, `only ${runs} runs before the folder was empty`);
  assert.ok(withCheckpoint >= runs - 3, `only ${withCheckpoint} of ${runs} runs found a checkpoint`);
  assert.is(restored, withCheckpoint, 'every run that found a checkpoint resumed from it');
  // A transition journaled by a run killed before its line was marked delivered is printed again at
  // the next start, marked recovered (it may or may not have been printed before the kill).
  const lines = alerts.filter((a) => !a.causeRevised);
  const printed = new Set(lines.filter((a) => a.recovered !== true).map((a) => `${String(a.state)} ${String(a.id)}`));
  const recovered = lines.filter((a) => a.recovered === true && printed.has(`${String(a.state)} ${String(a.id)}`)).length;
  const transitions = lines.filter((a, i) => a.recovered !== true || !lines.slice(0, i).some((b) => b.state === a.state && b.id === a.id))
    .map((a) => `${String(a.state)} ${String(a.id)}`);
  if (recovered > 0) console.log(`    ${recovered} transition(s) printed again after a kill, marked recovered`);
  const firing = transitions.filter((t) => t.startsWith('firing'));
  assert.is(firing.length, 1, `exactly one firing: ${transitions.join(', ')}`);
  // A pending episode may end without firing (pending → ok), but no transition is ever sent twice.
  assert.is(new Set(transitions).size, transitions.length, `a transition repeated: ${transitions.join(', ')}`);
  const fired = firing[0].split(' ')[1];
  assert.ok(transitions.includes(`pending ${fired}`), `the firing alert's pending was sent: ${transitions.join(', ')}`);
  // Frame numbers count the frames the monitor kept: those measured after a run's last checkpoint died with it.
  assert.is(alerts.find((a) => a.state === 'firing')!.cause, 'low-light');
});

kill.run();
