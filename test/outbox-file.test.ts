// The outbox contract, run against the durable file backend (a fresh
// directory per test; small segments so that rolling and deletion happen too).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileOutbox } from '../edge/outbox/file-outbox.js';
import { outboxContract } from './outbox-contract.js';

const dirs: string[] = [];

outboxContract({
  name: 'FileOutbox',
  open: async (limits, now) => {
    const dir = await mkdtemp(join(tmpdir(), 'driftwatch-outbox-'));
    dirs.push(dir);
    return FileOutbox.open(dir, limits, { now, segmentBytes: 256 });
  },
  cleanup: async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  },
});
