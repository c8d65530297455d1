// Reads a pipe or socket file descriptor (stdin when a producer pipes
// frames in) into one reused buffer, through net.Socket's `onread` option:
// no new buffer per read. A stream's reads each allocate one (64 KiB), and on
// a frame stream those outlive V8's young-generation collections and wait
// for a full GC, which leaves glibc's heap holding ~20 MiB (docs/memory.md).
// Each chunk is valid until the next read(): the socket stays paused until then.
import { fstatSync } from 'node:fs';
import { Socket } from 'node:net';

/** Chunks of bytes in order; each valid only until the next read(). null at the end. */
export interface ChunkReader {
  read(): Promise<Uint8Array | null>;
}

export class PipeChunks implements ChunkReader {
  private readonly socket: Socket;
  private chunk: Uint8Array | null | undefined;
  private failure: Error | undefined;
  private waiting: (() => void) | undefined;
  private paused = false;

  constructor(fd: number, bufferBytes = 64 * 1024) {
    // `onread` is a constructor option (Node ≥ 12.2); @types/node 20 types it for connect() only.
    const options = {
      fd, readable: true, writable: false,
      onread: {
        buffer: Buffer.allocUnsafe(bufferBytes),
        callback: (bytes: number, buffer: Uint8Array): boolean => {
          this.deliver(buffer.subarray(0, bytes));
          // Paused until the reader has taken this chunk out of the buffer.
          this.paused = true;
          return false;
        },
      },
    };
    this.socket = new Socket(options);
    this.socket.on('end', () => this.deliver(null));
    this.socket.on('error', (error) => {
      this.failure = error;
      this.waiting?.();
    });
  }

  /** Whether `fd` is a pipe or a socket, which this can read (not a file or a terminal). */
  static canRead(fd: number): boolean {
    try {
      const stat = fstatSync(fd);
      return stat.isFIFO() || stat.isSocket();
    } catch {
      return false;
    }
  }

  async read(): Promise<Uint8Array | null> {
    if (this.paused && this.chunk === undefined) {
      this.paused = false;
      this.socket.resume();
    }
    while (this.chunk === undefined && this.failure === undefined) await new Promise<void>((resolve) => (this.waiting = resolve));
    this.waiting = undefined;
    if (this.failure) throw this.failure;
    const chunk = this.chunk!;
    // An end stays the end; a chunk is handed out once.
    if (chunk !== null) this.chunk = undefined;
    return chunk;
  }

  /** Stops reading and closes the descriptor (the agent is shutting down). */
  close(): void {
    this.socket.destroy();
  }

  private deliver(chunk: Uint8Array | null): void {
    this.chunk = chunk;
    this.waiting?.();
  }
}
