// The birth/death sequence number (bdSeq) survives restarts: every MQTT
// connection takes the next one, and it is on disk before the CONNECT goes
// out, so no two connections of a device ever share a bdSeq, and with it
// no two messages share (dev, bdSeq, seq) — the key consumers deduplicate on.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';

export const BDSEQ_FILE = 'mqtt-bdseq';

export class BdSeqStore {
  private readonly path: string;
  private current: number | null = null;

  constructor(stateDir: string) {
    this.path = join(stateDir, BDSEQ_FILE);
  }

  /** The bdSeq of the latest connection (or -1 before the first ever). */
  async last(): Promise<number> {
    if (this.current !== null) return this.current;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return (this.current = -1);
      throw error;
    }
    const value = Number(text.trim());
    // A damaged file must not make numbers repeat: refuse it rather than restart at 0.
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${this.path}: possible corruption: '${text.trim().slice(0, 32)}' is not a bdSeq; remove the file only if this device's earlier messages no longer matter`);
    return (this.current = value);
  }

  /** Takes the next bdSeq and makes it durable before returning it. */
  async next(): Promise<number> {
    const value = (await this.last()) + 1;
    await writeFileAtomic(this.path, new TextEncoder().encode(`${value}\n`), { syncDirectory: true });
    this.current = value;
    return value;
  }
}
