// Smoke test: `deno run dist/edge/cli.js run` (the Deno shipped by the `deno`
// npm package) watches a folder of the demo camera's frames, fires on a
// darkening at the same frames as Node does, serves /metrics, and on SIGTERM
// saves its checkpoint and exits 0.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoJpegFrames } from '../edge/demo/demo-stream.js';
import { killAgents, AgentProcess } from './helpers/agent-process.js';
import { repoPath, repoRoot } from './helpers/paths.js';

const DENO = repoPath('node_modules', '.bin', 'deno');
let work = '';

const deno = suite('driftwatch run under Deno');
deno.before(async () => {
  work = await mkdtemp(join(tmpdir(), 'driftwatch-deno-agent-'));
  for (const runtime of ['node', 'deno']) await mkdir(join(work, runtime, 'frames'), { recursive: true });
  for await (const { index, jpeg } of demoJpegFrames({ frames: 420, seed: 3, drift: { kind: 'darken', startFrame: 330 } })) {
    for (const runtime of ['node', 'deno']) await writeFile(join(work, runtime, 'frames', `f${String(index).padStart(5, '0')}.jpg`), jpeg);
  }
});
deno.after(async () => { killAgents(); await rm(work, { recursive: true, force: true }); });

const args = (runtime: string) => ['--device', 'd', '--camera', 'c', '--source', `dir:${join(work, runtime, 'frames')}?after=delete`,
  '--baseline', repoPath('samples/demo/coffee-cam.dwb'), '--state-dir', join(work, runtime, 'state'), '--listen', '127.0.0.1:0'];

deno('the agent under Deno alerts at the frames Node does, serves metrics, and checkpoints on SIGTERM', async () => {
  const node = new AgentProcess(args('node'));
  await node.until(() => node.alerts.length >= 2, 60_000, 'Node alerts');
  node.signal('SIGTERM');
  assert.is(await node.exited, 0);

  const child = spawn(DENO, [
    'run', '--no-remote', '--node-modules-dir=manual', '--no-config', '--no-lock', '--no-prompt',
    `--allow-read`, `--allow-write=${work}`, '--allow-net=127.0.0.1', '--allow-env', '--allow-sys', '--allow-ffi',
    repoPath('dist/edge/cli.js'), 'run', ...args('deno'),
  ], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', DENO_DIR: join(work, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
  let stdout = '', stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c; });
  child.stderr.on('data', (c: Buffer) => { stderr += c; });
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const lines = () => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  for (let i = 0; i < 600 && lines().length < 2; i++) await new Promise((r) => setTimeout(r, 100));
  const alerts = lines().map((a) => `${String(a.state)}@${String(a.frame)} ${String(a.cause)}`);
  assert.equal(alerts, node.alerts.map((a) => `${String(a.state)}@${String(a.frame)} ${String(a.cause)}`), stderr.slice(-2000));
  assert.equal(alerts.slice(0, 2), ['pending@349 unknown', 'firing@399 low-light']);
  const listen = stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { listen?: string }).find((l) => l.listen)!.listen!;
  const metrics = await (await fetch(`http://${listen}/metrics`)).text();
  assert.match(metrics, /driftwatch_alert_state\{camera="c",state="firing"\} 1/);
  child.kill('SIGTERM');
  assert.is(await exited, 0, stderr.slice(-2000));
  assert.ok((await readdir(join(work, 'deno', 'state'))).includes('camera-c.ckpt'));
});

deno.run();
