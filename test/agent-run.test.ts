// `driftwatch run` end to end, as a child process: the demo camera's frames
// (seeded) in a watched folder with the bundled --stream baseline; an
// occlusion from frame 350 fires at pinned frames; a corrupt file and a
// non-image are rejected and counted while the agent goes on; SIGTERM saves
// a checkpoint and exits 0; a restart restores the open alert without firing
// it again; a corrupt checkpoint is set aside; bad configuration exits 2.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoJpegFrames } from '../edge/demo/demo-stream.js';
import { killAgents, AgentProcess, metric, metricsText } from './helpers/agent-process.js';
import { runCli } from './helpers/cli.js';
import { repoPath } from './helpers/paths.js';

const BASELINE = repoPath('samples/demo/coffee-cam.dwb');
const FRAMES = 450, DRIFT_AT = 350;
let work = '';
let jpegs: Buffer[] = [];

const agent = suite('driftwatch run');
agent.before(async () => {
  work = await mkdtemp(join(tmpdir(), 'driftwatch-agent-'));
  for await (const { jpeg } of demoJpegFrames({ frames: FRAMES + 150, seed: 11, drift: { kind: 'occlusion', startFrame: DRIFT_AT } })) jpegs.push(jpeg);
});
agent.after(async () => { killAgents(); await rm(work, { recursive: true, force: true }); });

const name = (i: number) => `f${String(i).padStart(5, '0')}.jpg`;
const transitions = (p: AgentProcess) => p.alerts.map((a) => `${String(a.state)}@${String(a.frame)} ${String(a.cause)}${a.causeRevised ? '*' : ''}`);
const args = (frames: string, state: string) => ['--device', 'box-7', '--camera', 'yard', '--source', `dir:${frames}?after=delete`, '--baseline', BASELINE, '--state-dir', state, '--listen', '127.0.0.1:0', '--log-level', 'info'];

agent('a watched folder: the occlusion fires at pinned frames; bad files are rejected and counted; SIGTERM checkpoints and exits 0; a restart neither forgets nor re-fires the alert', async () => {
  const frames = join(work, 'frames'), state = join(work, 'state');
  await mkdir(frames);
  // Frames present at start are read in file-name order; two bad files among them take no frame number.
  for (let i = 0; i < FRAMES; i++) await writeFile(join(frames, name(i)), jpegs[i]);
  await copyFile(repoPath('test/fixtures/truncated.jpg'), join(frames, 'f00100b.jpg'));
  await writeFile(join(frames, 'f00200b.jpg'), '{"not": "an image"}');

  const first = new AgentProcess(args(frames, state));
  await first.until(() => first.logs.some((l) => typeof l.listen === 'string'), 60_000, 'the listen line');
  await first.until(() => first.alerts.length >= 2, 60_000, 'pending and firing');
  assert.equal(transitions(first), ['pending@374 occlusion', 'firing@424 occlusion']);
  const firing = first.alerts[1];
  assert.equal([firing.device, firing.camera, firing.id, firing.baseline], ['box-7', 'yard', 'yard:374', 'sha256:f4c13647c6c70cc937a99ac60b5368e645a8cb2bee510c8a02ed8cee762942f1']);
  // Every file was taken and deleted, the bad ones too; the metrics say what happened to each.
  const waitEmpty = async () => { for (let i = 0; i < 100 && (await readdir(frames)).length > 0; i++) await new Promise((r) => setTimeout(r, 100)); };
  await waitEmpty();
  assert.equal(await readdir(frames), []);
  const text = await metricsText(first.port);
  assert.is(metric(text, 'driftwatch_frames_processed_total', { camera: 'yard' }), FRAMES);
  assert.is(metric(text, 'driftwatch_frames_rejected_total', { camera: 'yard', reason: 'decode' }), 2);
  assert.is(metric(text, 'driftwatch_alert_state', { camera: 'yard', state: 'firing' }), 1);
  assert.ok(first.logs.some((l) => l.level === 'warn' && /f00100b\.jpg: corrupt or truncated JPEG/.test(l.msg)), 'the corrupt file is named in a warning');
  const health = await fetch(`http://127.0.0.1:${first.port}/healthz`);
  assert.is(health.status, 200);

  first.signal('SIGTERM');
  assert.is(await first.exited, 0);
  assert.ok((await readdir(state)).includes('camera-yard.ckpt'));
  assert.ok(first.logs.some((l) => l.msg === 'stopped' && l.saved === true));

  // Restart: 150 more drifted frames. The alert stays open (no new pending or firing), numbering goes on.
  for (let i = FRAMES; i < FRAMES + 150; i++) await writeFile(join(frames, name(i)), jpegs[i]);
  const second = new AgentProcess(args(frames, state));
  await second.until(() => second.logs.some((l) => l.msg === 'monitor restored from its checkpoint'), 60_000, 'the restore');
  assert.is(second.logs.find((l) => l.msg === 'monitor restored from its checkpoint')!.alert, 'firing');
  await second.until(() => second.logs.some((l) => typeof l.listen === 'string'));
  for (let i = 0; i < 100 && (await readdir(frames)).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
  const after = await metricsText(second.port);
  assert.is(metric(after, 'driftwatch_frames_processed_total', { camera: 'yard' }), 150);
  assert.is(metric(after, 'driftwatch_alert_state', { camera: 'yard', state: 'firing' }), 1);
  second.signal('SIGTERM');
  assert.is(await second.exited, 0);
  assert.equal(second.alerts.filter((a) => !a.causeRevised), [], 'no transition re-fired after the restart');

  // A damaged checkpoint is set aside with a warning; the agent starts fresh.
  const checkpoint = join(state, 'camera-yard.ckpt');
  const bytes = await (await import('node:fs/promises')).readFile(checkpoint);
  bytes[bytes.length >> 1] ^= 0xff;
  await writeFile(checkpoint, bytes);
  const third = new AgentProcess(args(frames, state));
  await third.until(() => third.logs.some((l) => typeof l.listen === 'string'), 60_000, 'the third start');
  const warning = third.logs.find((l) => l.level === 'warn' && /checkpoint not used, starting fresh/.test(l.msg));
  assert.ok(warning, 'a warning about the checkpoint');
  assert.is(warning!.reason, 'checksum');
  assert.ok((await readdir(state)).some((f) => f.startsWith('camera-yard.ckpt.corrupt-')));
  third.signal('SIGTERM');
  assert.is(await third.exited, 0);
});

agent('bad configuration exits 2 before starting, naming each bad key', async () => {
  const missing = await runCli(['run', '--device', 'box-7', '--source', 'dir:/nonexistent-frames', '--baseline', join(work, 'missing.dwb'), '--check-every', '0']);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /--check-every: must be an integer >= 1, got '0'/);
  assert.match(missing.stderr, /--baseline: .*missing\.dwb/);
  const notBaseline = join(work, 'not-a-baseline.dwb');
  await writeFile(notBaseline, 'hello');
  const corrupt = await runCli(['run', '--device', 'box-7', '--source', 'http:', '--baseline', notBaseline]);
  assert.is(corrupt.code, 2);
  assert.match(corrupt.stderr, /--baseline: cannot use .*not-a-baseline\.dwb: possible corruption: not a driftwatch baseline file/);
  const help = await runCli(['run', '--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /--source <spec>/);
});

agent.run();
