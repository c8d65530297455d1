// The WASM JPEG decoder under Deno: both builds, loaded by the portable
// loader's default location, give the same pixels, bit for bit, as in Node.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadJpegDecoder } from '../edge/library.js';
import type { JpegScale } from '../src/jpeg/jpeg-decoder.js';
import { repoPath, repoRoot } from './helpers/paths.js';

const DENO = repoPath('node_modules', '.bin', 'deno');
const JPEG = repoPath('samples', 'rocket.jpg');

function fnv1a(data: Uint8Array): number {
  let hash = 2166136261;
  for (const byte of data) hash = Math.imul(hash ^ byte, 16777619) >>> 0;
  return hash;
}

const test = suite('WASM JPEG decoder under Deno');
let scratch = '';
test.after(async () => { if (scratch) await rm(scratch, { recursive: true, force: true }); });

test('both builds decode rocket.jpg at 1/1, 1/2 and 1/8 to the same pixels as Node', async () => {
  scratch = await mkdtemp(join(tmpdir(), 'driftwatch-jpeg-deno-'));
  const args = ['run', '--no-remote', '--node-modules-dir=manual', '--no-config', '--no-lock', '--no-prompt',
    `--allow-read=${repoRoot}`, repoPath('test', 'fixtures', 'jpeg-deno.mjs'), JPEG];
  const env = { ...process.env, DENO_DIR: join(scratch, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(DENO, args, { env, cwd: repoRoot, timeout: 120_000 }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)));
  });
  const fromDeno = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, [number, number, number]>;
  const bytes = new Uint8Array(await readFile(JPEG));
  const expected: Record<string, [number, number, number]> = {};
  for (const simd of [true, false]) {
    const decoder = await loadJpegDecoder({ simd });
    for (const scale of [1, 2, 8] as JpegScale[]) {
      const image = decoder.decode(bytes, { scale });
      expected[`${simd ? 'simd' : 'scalar'} 1/${scale}`] = [image.width, image.height, fnv1a(image.data)];
    }
  }
  assert.equal(fromDeno, expected);
});

test.run();
