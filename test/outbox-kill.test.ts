// SIGKILL durability of the file outbox: a child appends (and acks some)
// back to back and reports each id once its append resolved; it is killed at
// seeded moments, eight times over one directory. After each kill every
// reported id is there (unless its ack was started), nothing is duplicated,
// reordered or altered, everything seen before is still there, and ids are
// never reused.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileOutbox } from '../edge/outbox/file-outbox.js';
import type { OutboxEntry } from '../edge/outbox/outbox.js';
import { numberOf, outboxChildMessage } from './helpers/outbox-messages.js';

const CHILD = fileURLToPath(new URL('./helpers/outbox-child.js', import.meta.url));

/** Runs the child until it has reported `appends` appends, waits `delayMs`, SIGKILLs it; returns its lines. */
async function runAndKill(dir: string, firstSeq: number, appends: number, delayMs: number): Promise<string[]> {
  const child = spawn(process.execPath, [CHILD, dir, String(firstSeq)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let partial = '';
  let reported = 0;
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((enough) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop()!;
      lines.push(...parts);
      reported += parts.filter((l) => l.startsWith('appended ')).length;
      if (reported >= appends) enough();
    });
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGKILL');
  assert.is(await exited, 'SIGKILL');
  return lines;
}

const test = suite('FileOutbox under SIGKILL');
let dir: string;
test.before.each(async () => { dir = await mkdtemp(join(tmpdir(), 'driftwatch-outbox-kill-')); });
test.after.each(async () => { await rm(dir, { recursive: true, force: true }); });

test('eight seeded kills while appending and acking: every reported append survives, in order, once', async () => {
  let s = 4242;
  const random = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  let seen = new Map<number, OutboxEntry>();
  let highestId = 0;
  let total = 0;
  for (let round = 0; round < 8; round++) {
    const lines = await runAndKill(dir, round * 1_000_000, 5 + Math.floor(random() * 150), Math.floor(random() * 10));
    const appended = new Map(lines.filter((l) => l.startsWith('appended ')).map((l) => l.split(' ').slice(1).map(Number) as [number, number]));
    const acked = new Set(lines.filter((l) => l.startsWith('acked ')).map((l) => Number(l.split(' ')[1])));
    for (const id of appended.keys()) assert.ok(id > highestId, `round ${round}: id ${id} reused (highest before ${highestId})`);

    const outbox = await FileOutbox.open(dir);
    const entries = await outbox.next(Number.MAX_SAFE_INTEGER);
    await outbox.close();
    const byId = new Map(entries.map((e) => [e.id, e]));
    assert.is(byId.size, entries.length, `round ${round}: an id appears twice`);
    // No bound was hit; a kill inside a write(2) may at most tear the record being written, which nobody was told about.
    const dropped = outbox.stats().dropped;
    for (const lane of ['priority', 'bulk'] as const) {
      assert.equal({ ...dropped[lane], corrupt: 0 }, { bytes: 0, entries: 0, age: 0, corrupt: 0 }, `round ${round}: nothing dropped`);
      assert.ok(dropped[lane].corrupt <= 1, `round ${round}: ${dropped[lane].corrupt} corrupt ${lane} records`);
    }
    // Priority first, then bulk, each by id: the order of the appends.
    const lanes = entries.map((e) => e.lane);
    assert.ok(lanes.lastIndexOf('priority') < Math.max(lanes.indexOf('bulk'), 0) || !lanes.includes('bulk'), `round ${round}: lanes out of order`);
    for (const lane of ['priority', 'bulk']) {
      const laneIds = entries.filter((e) => e.lane === lane).map((e) => e.id);
      assert.equal(laneIds, [...laneIds].sort((a, b) => a - b), `round ${round}: ${lane} reordered`);
    }
    for (const entry of entries) {
      const n = numberOf(entry.topic);
      assert.equal({ ...entry }, { id: entry.id, createdMs: entry.createdMs, ...outboxChildMessage(n) }, `round ${round}: entry ${entry.id} altered`);
      if (appended.has(entry.id)) assert.is(appended.get(entry.id), n, `round ${round}: id ${entry.id} holds another message`);
      assert.not.ok(acked.has(entry.id), `round ${round}: acked id ${entry.id} came back`);
    }
    for (const [id, n] of appended) {
      // Every 7th is acked right after its append: it may be gone before "acked" was printed.
      if (n % 7 !== 0) assert.ok(byId.has(id), `round ${round}: reported id ${id} (message ${n}) lost`);
    }
    for (const id of seen.keys()) assert.ok(byId.has(id), `round ${round}: id ${id}, present after the last kill, is gone`);
    seen = byId;
    highestId = Math.max(highestId, ...appended.keys(), ...byId.keys());
    total += appended.size;
  }
  assert.ok(total >= 8 * 5);
});

test.run();
