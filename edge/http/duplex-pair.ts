// Two in-memory streams wired back to back: what one writes the other reads.
// The relay hands one end to node:http as a connection (so the agent's own
// routes are served by the same code as before) and talks through the other.
// (Node 22 has stream.duplexPair; the agent supports Node 20.)
import { Duplex } from 'node:stream';

class End extends Duplex {
  other!: End;
  /** Set once the other end finished writing: nothing more may be pushed here. */
  eof = false;

  override _read(): void {
    // Data is pushed by the other end's writes.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // An end that has gone away swallows what is still written to it, like a closed socket's peer.
    if (!this.other.destroyed && !this.other.eof) this.other.push(chunk);
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.other.destroyed && !this.other.eof) {
      this.other.eof = true;
      this.other.push(null);
    }
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A destroyed end looks like a reset to the other: it ends too.
    if (!this.other.destroyed) this.other.destroy();
    callback(error);
  }
}

export function duplexPair(): [Duplex, Duplex] {
  const a = new End();
  const b = new End();
  a.other = b;
  b.other = a;
  return [a, b];
}
