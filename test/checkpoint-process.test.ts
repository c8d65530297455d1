// Real processes: an agent SIGTERMed after saving leaves a valid checkpoint
// of its last state, and one SIGKILLed at seeded moments while saving back to
// back always leaves a whole checkpoint, the last one or the next, never a
// broken file.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CheckpointStore } from '../edge/checkpoint/checkpoint-store.js';
import { loopPayload } from './helpers/checkpoint-payload.js';

const CHILD = fileURLToPath(new URL('./helpers/checkpoint-child.js', import.meta.url));

/** The child, its stdout lines as they come, and its exit. */
function run(mode: string, dir: string) {
  const child: ChildProcess = spawn(process.execPath, [CHILD, mode, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let partial = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    waiters.splice(0).forEach((wake) => wake());
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const line = async (test: (l: string) => boolean): Promise<string> => {
    for (;;) {
      const found = lines.find(test);
      if (found) return found;
      await new Promise<void>((wake) => waiters.push(wake));
    }
  };
  return { child, lines, exited, line };
}

let dir: string;
const processes = suite('checkpoints across real process ends');
processes.before.each(async () => { dir = await mkdtemp(join(tmpdir(), 'driftwatch-process-')); });
processes.after.each(async () => { await rm(dir, { recursive: true, force: true }); });

processes('SIGTERM after saving: one last save of the final state, exit 0, and the checkpoint loads', async () => {
  const p = run('term', dir);
  await p.line((l) => l.startsWith('saved '));
  p.child.kill('SIGTERM');
  const { code } = await p.exited;
  const exit = p.lines.find((l) => l.startsWith('exit '))!;
  assert.is(code, 0, p.lines.join('\n'));
  const counter = Number(exit.split(' ')[2]);
  const loaded = await new CheckpointStore(dir).load('term');
  assert.ok(loaded && loaded.ok);
  if (!loaded || !loaded.ok) return;
  assert.equal(loaded.value, { counter, payload: loopPayload(counter).slice(0, 1000) });
  assert.equal(await readdir(dir), ['term.ckpt']);
});

/** Resolves once a temporary file of a save shows up in `dir`: a write is between open and rename. */
async function temporaryAppears(dir: string): Promise<void> {
  while (!(await readdir(dir)).some((f) => f.endsWith('.tmp'))) await new Promise((resolve) => setImmediate(resolve));
}

processes('SIGKILL at seeded moments, or as a temporary file appears, while saving back to back: the file is always the last save or the next', async () => {
  let s = 2026;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const store = new CheckpointStore(dir);
  let previous = 0;
  for (let round = 0; round < 8; round++) {
    const p = run('loop', dir);
    const start = Number((await p.line((l) => l.startsWith('start '))).slice(6));
    assert.is(start, previous, `round ${round}: the child carried on from the checkpoint`);
    const after = start + 1 + Math.floor(next() * 3);
    await p.line((l) => l === `saved ${after}`);
    // Even rounds: a seeded delay. Odd rounds: in the middle of a write, between temporary file and rename.
    if (round % 2 === 0) await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 25)));
    else await temporaryAppears(dir);
    p.child.kill('SIGKILL');
    assert.is((await p.exited).signal, 'SIGKILL');
    const printed = Math.max(start, ...p.lines.filter((l) => l.startsWith('saved ')).map((l) => Number(l.slice(6))));
    const loaded = await store.load('loop');
    assert.ok(loaded && loaded.ok, `round ${round}: ${JSON.stringify(loaded && !loaded.ok && loaded.message)}`);
    if (!loaded || !loaded.ok) return;
    const { seq, payload } = loaded.value as { seq: number; payload: number[] };
    assert.ok(seq === printed || seq === printed + 1, `round ${round}: saved ${seq}, the child had reported ${printed}`);
    assert.ok(seq >= after, `round ${round}: save ${seq} is not older than the one awaited`);
    assert.equal(payload, loopPayload(seq), `round ${round}: payload of save ${seq}`);
    assert.equal(await readdir(dir), ['loop.ckpt'], `round ${round}: load removed any temporary file of the killed save`);
    previous = seq;
  }
});

processes.run();
