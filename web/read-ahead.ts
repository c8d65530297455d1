// Reading frames ahead of the one being processed, in the reader worker
// (web/reader.ts) when one can be started, else on this thread. At most
// `depth` files are being read or held besides the current one.
import { readSource } from './read-source.js';
import type { FrameSource } from './messages.js';
import type { ReadReply, ReadRequest } from './reader.js';

export type ReadResult = { bytes: Uint8Array } | { error: unknown };

interface Pending { resolve(bytes: Uint8Array): void; reject(error: Error): void; source: FrameSource }

export class ReadAhead {
  private readonly ahead = new Map<number, Promise<ReadResult>>();
  private readonly pending = new Map<number, Pending>();
  private reader: Worker | null = null;

  constructor(private readonly sources: readonly FrameSource[], private readonly depth = 3, readerUrl?: URL) {
    if (!readerUrl || typeof Worker === 'undefined') return;
    try {
      this.reader = new Worker(readerUrl, { type: 'module' });
    } catch {
      return;
    }
    this.reader.onmessage = (event: MessageEvent<ReadReply>) => {
      const reply = event.data, waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if ('bytes' in reply) waiting.resolve(new Uint8Array(reply.bytes));
      else waiting.reject(new Error(reply.error));
    };
    // The reader cannot run (not served, blocked): read on this thread from now on, including what it was asked.
    this.reader.onerror = (event) => {
      event.preventDefault();
      this.close();
      for (const [, waiting] of this.pending) readSource(waiting.source).then(waiting.resolve, waiting.reject);
      this.pending.clear();
    };
  }

  private start(index: number): Promise<ReadResult> {
    const source = this.sources[index];
    const bytes = this.reader
      ? new Promise<Uint8Array>((resolve, reject) => {
        this.pending.set(index, { resolve, reject, source });
        this.reader!.postMessage({ id: index, source } satisfies ReadRequest);
      })
      : readSource(source);
    return bytes.then((b) => ({ bytes: b }), (error: unknown) => ({ error }));
  }

  /** Frame `index`'s bytes (or why not); starts reading the next `depth` frames. */
  read(index: number): Promise<ReadResult> {
    for (let i = index; i <= index + this.depth && i < this.sources.length; i++) {
      if (!this.ahead.has(i)) this.ahead.set(i, this.start(i));
    }
    const result = this.ahead.get(index)!;
    this.ahead.delete(index);
    return result;
  }

  close(): void {
    this.reader?.terminate();
    this.reader = null;
  }
}
