// A client that speaks HTTP/1.1 by hand over one TCP connection, for the
// byte relay's tests: it writes exact bytes (pipelined requests, chunk
// framing split anywhere, malformed heads) and collects exact bytes back.
import { connect, type Socket } from 'node:net';

export class RawClient {
  readonly socket: Socket;
  received = Buffer.alloc(0);
  closed = false;
  private readonly ready: Promise<void>;

  constructor(port: number) {
    this.socket = connect({ host: '127.0.0.1', port, noDelay: true });
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    this.socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
    });
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => {
      this.closed = true;
    });
  }

  async write(bytes: string | Uint8Array): Promise<void> {
    await this.ready;
    await new Promise<void>((resolve, reject) => this.socket.write(bytes, (error) => (error ? reject(error) : resolve())));
  }

  get text(): string {
    return this.received.toString('latin1');
  }

  /** Waits until `done(text received so far)` holds, or the connection closed (then fails unless `orClose`). */
  async until(what: string, done: (text: string) => boolean, { orClose = false, limitMs = 5000 } = {}): Promise<string> {
    const deadline = Date.now() + limitMs;
    while (!done(this.text)) {
      if (this.closed) {
        if (orClose) return this.text;
        throw new Error(`the connection closed before ${what}; got ${JSON.stringify(this.text.slice(0, 400))}`);
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.text.slice(0, 400))}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.text;
  }

  /** Waits for the server to close the connection. */
  async closedByServer(limitMs = 5000): Promise<string> {
    return this.until('the server to close the connection', () => false, { orClose: true, limitMs });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** How many complete answers `text` holds, counting status lines. */
export function statusLines(text: string): string[] {
  return text.match(/HTTP\/1\.1 \d{3}[^\r\n]*/g) ?? [];
}

/** Drops the Date header line (its value changes between two calls). */
export function withoutDate(text: string): string {
  return text.replace(/\r\nDate: [^\r\n]*/gi, '');
}
