// Smoke test: under Deno, the portable loader (dist/src, default location, read
// through Deno's fetch of file: URLs) computes the same features, bit for bit,
// as Node does on the same pixels.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath, repoRoot } from './helpers/paths.js';
import { decodeSmokeFrame, type SmokeFrame } from './helpers/smoke-frame.js';
import { assertBitIdenticalToNode, type RemoteResults } from './helpers/bit-identical.js';

// The runtime shipped by the `deno` npm package (a devDependency).
const DENO = repoPath('node_modules', '.bin', 'deno');

interface DenoRun {
  frame: SmokeFrame;
  results: RemoteResults;
}

let scratch: string | undefined;
let pending: Promise<DenoRun> | undefined;

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, cwd: repoRoot, maxBuffer: 16 << 20, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

async function runUnderDeno(): Promise<DenoRun> {
  const frame = await decodeSmokeFrame();
  scratch = await mkdtemp(join(tmpdir(), 'driftwatch-deno-'));
  const raw = join(scratch, 'frame.raw');
  await writeFile(raw, frame.pixels);
  const args = [
    'run',
    // Nothing from the network, no config or lock file discovery, no prompts.
    // The core's npm import (msgpackr) resolves from the installed node_modules, never the network.
    '--no-remote', '--node-modules-dir=manual', '--no-config', '--no-lock', '--no-prompt',
    `--allow-read=${repoRoot},${scratch}`,
    repoPath('test', 'fixtures', 'deno-smoke.mjs'),
    raw, String(frame.width), String(frame.height), frame.format,
  ];
  // A private DENO_DIR keeps Deno's cache out of the home folder.
  const env = { ...process.env, DENO_DIR: join(scratch, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
  const stdout = await run(DENO, args, env);
  const lines = stdout.trim().split('\n');
  try {
    return { frame, results: JSON.parse(lines[lines.length - 1]) as RemoteResults };
  } catch {
    throw new Error(`the Deno script printed no JSON result:\n${stdout}`);
  }
}

function denoRun(): Promise<DenoRun> {
  pending ??= runUnderDeno();
  return pending;
}

const denoSuite = suite('deno');

denoSuite.after(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

denoSuite('the default loader picks the SIMD build under Deno', async () => {
  const { results } = await denoRun();
  assert.is(results.default.simd, true, 'loadKernels() under Deno should pick the SIMD build');
  assert.is(results.scalar.simd, false);
});

denoSuite('both builds give bit-identical features and histograms to Node', async () => {
  const { frame, results } = await denoRun();
  await assertBitIdenticalToNode('Deno', frame, results);
});

denoSuite.run();
