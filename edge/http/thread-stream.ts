// One end of an in-memory connection between two threads: what one end
// writes, the other reads, carried by postMessage. The relay thread sends
// the requests the agent's own routes take through one of these to the
// node:http server in the agent's thread (as duplex-pair.ts does within one
// thread). Bytes are copied once into a buffer of their own, which moves.
import { Duplex } from 'node:stream';

export type StreamMessage =
  | { t: 'data'; id: number; bytes: Uint8Array }
  | { t: 'end'; id: number }
  | { t: 'destroy'; id: number };

export type StreamPost = (message: StreamMessage, transfer?: ArrayBuffer[]) => void;

export class ThreadStream extends Duplex {
  /** Set once the other end finished writing or went away: nothing more may be pushed here. */
  private eof = false;
  private otherGone = false;

  constructor(readonly id: number, private readonly post: StreamPost, private readonly onGone: (id: number) => void) {
    super({ allowHalfOpen: true });
  }

  override _read(): void {
    // Data is pushed as the other thread's messages arrive.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // An end that has gone away swallows what is still written to it, like a closed socket's peer.
    if (!this.otherGone) {
      const bytes = new Uint8Array(chunk);
      this.post({ t: 'data', id: this.id, bytes }, [bytes.buffer as ArrayBuffer]);
    }
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.otherGone) this.post({ t: 'end', id: this.id });
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A destroyed end looks like a reset to the other: it ends too.
    if (!this.otherGone) this.post({ t: 'destroy', id: this.id });
    this.otherGone = true;
    this.onGone(this.id);
    callback(error);
  }

  /** A message the other end posted. */
  receive(message: StreamMessage): void {
    if (message.t === 'data') {
      if (!this.eof && !this.destroyed) this.push(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength));
    } else if (message.t === 'end') {
      if (!this.eof && !this.destroyed) {
        this.eof = true;
        this.push(null);
      }
    } else {
      this.otherGone = true;
      this.eof = true;
      this.destroy();
    }
  }
}

/** The streams of one thread's side, by id. */
export class ThreadStreams {
  private readonly open = new Map<number, ThreadStream>();

  constructor(private readonly post: StreamPost) {}

  create(id: number): ThreadStream {
    const stream = new ThreadStream(id, this.post, (gone) => this.open.delete(gone));
    this.open.set(id, stream);
    return stream;
  }

  /** Routes a stream message to its stream; one for a stream already gone is dropped. */
  receive(message: StreamMessage): void {
    this.open.get(message.id)?.receive(message);
  }

  destroyAll(): void {
    for (const stream of this.open.values()) stream.destroy();
  }

  get size(): number {
    return this.open.size;
  }
}
