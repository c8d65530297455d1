// Decoding under Deno: the README says sharp works there; this checks that the
// edge decoder gives Deno the same pixels as Node.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFile } from '../edge/decode.js';
import { repoPath, repoRoot } from './helpers/paths.js';

const deno = suite('decoding under Deno');

function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum = (Math.imul(sum, 31) + bytes[i]) >>> 0;
  return sum;
}

deno('sharp decodes a JPEG to the same pixels as under Node', async () => {
  const file = repoPath('samples/rocket.jpg');
  const node = await decodeFile(file);
  const denoDir = await mkdtemp(join(tmpdir(), 'driftwatch-deno-decode-'));
  try {
    const args = ['run', '--no-remote', '--no-prompt', '--no-config', '--no-lock', '--node-modules-dir=manual',
      `--allow-read=${repoRoot}`, '--allow-env', '--allow-ffi', '--allow-sys',
      repoPath('test/fixtures/deno-decode.mjs'), file];
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(repoPath('node_modules/.bin/deno'), args,
        { cwd: repoRoot, timeout: 120_000, env: { ...process.env, DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } },
        (error, out, err) => (error ? reject(new Error(`deno failed: ${error.message}\n${err}`)) : resolve(out)));
    });
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    assert.equal(result, { width: node.width, height: node.height, format: node.format, bytes: node.data.length, checksum: checksum(node.data) });
  } finally {
    await rm(denoDir, { recursive: true, force: true });
  }
});

deno.run();
