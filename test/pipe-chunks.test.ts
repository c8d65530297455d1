// PipeChunks reads a pipe into one reused buffer: a child process reads its
// stdin through it with a 7-byte buffer and prints what it got; every byte
// must arrive once, in order, however the writer cuts and paces its writes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { PipeChunks } from '../edge/sources/pipe-chunks.js';
import { repoPath } from './helpers/paths.js';

const pipe = suite('pipe chunks');

const reader = `
const { PipeChunks } = await import(${JSON.stringify(pathToFileURL(repoPath('dist/edge/sources/pipe-chunks.js')).href)});
const { createHash } = await import('node:crypto');
const chunks = new PipeChunks(0, 7);
const hash = createHash('sha256');
let bytes = 0, reads = 0;
for (let chunk; (chunk = await chunks.read()) !== null; reads++) { hash.update(chunk); bytes += chunk.length; }
console.log(JSON.stringify({ bytes, reads, sha256: hash.digest('hex'), canRead: PipeChunks.canRead(0) }));
`;

function seededBytes(n: number): Buffer {
  const out = Buffer.alloc(n);
  let x = 12345;
  for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) >>> 0; out[i] = x >>> 24; }
  return out;
}

pipe('every byte arrives once and in order through a 7-byte buffer', async () => {
  const data = seededBytes(100_003);
  const child = spawn(process.execPath, ['--input-type=module', '-e', reader], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  for (let at = 0, size = 1; at < data.length; at += size, size = (size * 7) % 4099 + 1) {
    child.stdin.write(data.subarray(at, at + size));
    if (size % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  child.stdin.end();
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.is(code, 0);
  const got = JSON.parse(output) as { bytes: number; reads: number; sha256: string; canRead: boolean };
  assert.is(got.bytes, data.length);
  assert.ok(got.reads >= data.length / 7, `reads of at most 7 bytes: ${got.reads}`);
  assert.is(got.sha256, createHash('sha256').update(data).digest('hex'));
  assert.ok(got.canRead);
});

pipe('canRead is false for a regular file (stdin redirected from a file goes through process.stdin)', () => {
  const fd = openSync(repoPath('package.json'), 'r');
  try {
    assert.not.ok(PipeChunks.canRead(fd));
  } finally {
    closeSync(fd);
  }
});

pipe.run();
