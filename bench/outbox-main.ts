// Measures the file outbox's appends per second with fdatasync on this
// machine's disk: one append at a time (each waits for its own fsync) and
// 1, 8 and 64 appends in flight (sharing fsyncs), then the ack rate.
//   node dist/bench/outbox-main.js [directory on the disk to measure; default the OS temp dir]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileOutbox } from '../edge/outbox/file-outbox.js';
import { MemoryOutbox } from '../edge/outbox/memory-outbox.js';
import type { Outbox, OutboxEntry } from '../edge/outbox/outbox.js';

const COUNT = 2000;
const PAYLOAD_BYTES = 200;
const TOPIC = 'driftwatch/v1/gate-3/summary/cam-1';

async function measure(outbox: Outbox, inFlight: number): Promise<{ appendsPerS: number; acksPerS: number }> {
  const payload = new Uint8Array(PAYLOAD_BYTES).fill(7);
  const entries: OutboxEntry[] = [];
  let started = performance.now();
  let next = 0;
  const appender = async () => {
    while (next < COUNT) {
      next++;
      entries.push(await outbox.append({ topic: TOPIC, payload, lane: 'bulk' }));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, appender));
  const appendsPerS = COUNT / ((performance.now() - started) / 1000);
  started = performance.now();
  let acked = 0;
  const acker = async () => {
    while (acked < entries.length) await outbox.ack(entries[acked++].id);
  };
  await Promise.all(Array.from({ length: inFlight }, acker));
  return { appendsPerS, acksPerS: COUNT / ((performance.now() - started) / 1000) };
}

const base = process.argv[2] ?? tmpdir();
const lines = [`### Outbox: ${COUNT} appends of ${PAYLOAD_BYTES}-byte payloads, then their acks (${base})`, '', '| backend | in flight | appends/s | acks/s |', '|---|---|---|---|'];
for (const inFlight of [1, 8, 64]) {
  const dir = await mkdtemp(join(base, 'driftwatch-outbox-bench-'));
  const outbox = await FileOutbox.open(dir);
  const { appendsPerS, acksPerS } = await measure(outbox, inFlight);
  await outbox.close();
  await rm(dir, { recursive: true, force: true });
  lines.push(`| FileOutbox (fdatasync) | ${inFlight} | ${appendsPerS.toFixed(0)} | ${acksPerS.toFixed(0)} |`);
  process.stderr.write(`${lines.at(-1)}\n`);
}
const memory = await measure(new MemoryOutbox(), 1);
lines.push(`| MemoryOutbox | 1 | ${memory.appendsPerS.toFixed(0)} | ${memory.acksPerS.toFixed(0)} |`);
process.stdout.write(lines.join('\n') + '\n');
