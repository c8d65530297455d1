// Opening a file outbox's directory after a clean stop or a crash: scan every
// segment, keep the sound records, rewrite a damaged segment without its
// damage (so it is counted once), apply the removal logs, delete what a crash
// left half-deleted, and find the next id. Never throws for a torn tail.
import { mkdir, readdir, readFile, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import type { OutboxEntry, OutboxLane } from './outbox.js';
import { decodeRemovals, encodeSegmentHeader, REMOVAL_BYTES } from './record-format.js';
import { scanSegment } from './segment-scan.js';

export interface RecoveredSegment {
  lane: OutboxLane;
  number: number;
  /** Bytes in the file, header included. */
  size: number;
  /** Entries not yet acked or dropped, in id order. */
  live: OutboxEntry[];
}

export interface RecoveredOutbox {
  /** Per lane, in segment-number order; the last of each lane is where appends go on. */
  segments: Record<OutboxLane, RecoveredSegment[]>;
  nextId: number;
  corrupt: Record<OutboxLane, number>;
}

const SEGMENT_NAME = /^(priority|bulk)-(\d+)\.seg$/;
const REMOVALS_NAME = /^(priority|bulk)-(\d+)\.del$/;
const TEMPORARY_NAME = /^\.(priority|bulk)-\d+\.seg\..*\.tmp$/;

export const segmentPath = (dir: string, lane: OutboxLane, number: number) => join(dir, `${lane}-${number}.seg`);
export const removalsPath = (dir: string, lane: OutboxLane, number: number) => join(dir, `${lane}-${number}.del`);

export async function recoverOutbox(dir: string): Promise<RecoveredOutbox> {
  await mkdir(dir, { recursive: true });
  const names = await readdir(dir);
  const segments: Record<OutboxLane, RecoveredSegment[]> = { priority: [], bulk: [] };
  const corrupt = { priority: 0, bulk: 0 };
  const present = new Set<string>();
  let nextId = 1;
  const found = names.flatMap((name) => {
    const match = SEGMENT_NAME.exec(name);
    return match ? [{ lane: match[1] as OutboxLane, number: Number(match[2]) }] : [];
  }).sort((a, b) => a.number - b.number);
  for (const { lane, number } of found) {
    present.add(`${lane}-${number}`);
    const segment = await recoverSegment(dir, lane, number);
    corrupt[lane] += segment.corrupt;
    nextId = Math.max(nextId, segment.nextId);
    segments[lane].push(segment);
  }
  // Leftovers of a crash: a rewrite's temporary file, or the .del of a segment whose .seg was deleted first.
  for (const name of names) {
    const removals = REMOVALS_NAME.exec(name);
    if (TEMPORARY_NAME.test(name) || (removals && !present.has(`${removals[1]}-${removals[2]}`))) await rm(join(dir, name), { force: true });
  }
  return { segments, nextId, corrupt };
}

async function recoverSegment(dir: string, lane: OutboxLane, number: number): Promise<RecoveredSegment & { corrupt: number; nextId: number }> {
  const path = segmentPath(dir, lane, number);
  let bytes: Uint8Array = await readFile(path);
  const scan = scanSegment(bytes, lane);
  const baseId = scan.baseId ?? scan.records[0]?.entry.id ?? 0;
  if (!scan.sound) {
    // Keep the sound records only, so the damage is counted once and appends follow a sound record.
    bytes = Buffer.concat([encodeSegmentHeader(lane, baseId), ...scan.records.map((r) => bytes.subarray(r.offset, r.offset + r.length))]);
    await writeFileAtomic(path, bytes, { syncDirectory: true });
  }
  const removed = await readRemovals(removalsPath(dir, lane, number));
  const live = scan.records.map((r) => r.entry).filter((entry) => !removed.has(entry.id));
  const lastId = scan.records.reduce((max, r) => Math.max(max, r.entry.id), 0);
  return { lane, number, size: bytes.length, live, corrupt: scan.corrupt, nextId: Math.max(baseId, lastId + 1) };
}

/** The ids in a segment's removal log; a torn last record is cut off so later records stay aligned. */
async function readRemovals(path: string): Promise<Set<number>> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw error;
  }
  const whole = bytes.length - (bytes.length % REMOVAL_BYTES);
  if (whole !== bytes.length) await truncate(path, whole);
  return decodeRemovals(bytes.subarray(0, whole));
}

/** Total bytes of the outbox's files in `dir` (for tests and metrics). */
export async function outboxDiskBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) if (SEGMENT_NAME.test(name) || REMOVALS_NAME.test(name)) total += (await stat(join(dir, name))).size;
  return total;
}
