// Helpers for the frame-source tests: sample photo bytes, a sink that keeps
// what it is offered (the thing under test is the source, not the sink), and
// a way to wait for a condition driven by real I/O.
import { readFile } from 'node:fs/promises';
import type { FrameSink, IncomingFrame } from '../../edge/sources/frame-source.js';
import { repoPath } from './paths.js';

export async function sampleBytes(name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(repoPath('samples', name)));
}

/** Keeps every frame offered; refuses once `capacity` frames are held (like a full queue). */
export class RecordingSink implements FrameSink {
  readonly frames: IncomingFrame[] = [];
  refused = 0;
  private waiters: Array<() => void> = [];

  constructor(public capacity = Infinity) {}

  offer(frame: IncomingFrame): boolean {
    if (this.frames.length >= this.capacity) {
      this.refused += 1;
      return false;
    }
    this.frames.push(frame);
    for (const wake of this.waiters.splice(0)) wake();
    return true;
  }

  /** Resolves once at least `count` frames were accepted; fails after `limitMs` so a broken source cannot hang the suite. */
  async waitFor(count: number, limitMs = 10_000): Promise<IncomingFrame[]> {
    const deadline = Date.now() + limitMs;
    while (this.frames.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} frames, got ${this.frames.length} after ${limitMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.frames.slice(0, count);
  }
}

/** Polls `condition` until true; fails after `limitMs` naming `what`. */
export async function eventually(what: string, condition: () => boolean | Promise<boolean>, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}
