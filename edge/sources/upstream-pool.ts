// Kept-alive connections to the inference service, for the proxy's byte
// relay: a call should not pay a TCP (or TLS) handshake. A connection is
// taken for one exchange and given back only when that exchange ended
// cleanly; an idle one that the upstream closes, or that sends anything
// while idle, is dropped. Idle connections are closed after the upstream's
// advertised keep-alive time less a second (4 s when it says nothing), so
// the relay does not reuse one the upstream is about to close.
import { createRequire } from 'node:module';
import { connect as connectTcp, type Socket } from 'node:net';
import { isIP } from 'node:net';

// node:tls (and node:crypto with it) is loaded at the first https: upstream
// only: a plain http: upstream, the usual sidecar, does not pay its memory
// in each thread that relays (docs/memory.md).
let tls: typeof import('node:tls') | undefined;
const load = createRequire(import.meta.url);

export class UpstreamTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'UpstreamTimeout';
  }
}

/** Idle connections kept at most. */
const MAX_IDLE = 32;
const DEFAULT_IDLE_MS = 4000;

interface Pooled {
  socket: Socket;
  idle: boolean;
  idleMs: number;
}

export class UpstreamPool {
  private readonly idle: Pooled[] = [];
  private readonly states = new WeakMap<Socket, Pooled>();
  private closed = false;

  constructor(private readonly upstream: URL, private readonly timeoutMs: number, private readonly ca?: string | Buffer) {}

  /** A connection for one exchange: an idle one, else a new one (its writes wait for the connection). */
  take(): Socket {
    for (let entry = this.idle.pop(); entry; entry = this.idle.pop()) {
      if (entry.socket.destroyed || entry.socket.readableEnded) continue;
      entry.idle = false;
      entry.socket.ref();
      entry.socket.setTimeout(this.timeoutMs);
      return entry.socket;
    }
    return this.connect();
  }

  /** Gives a connection back after a clean exchange; `keepAliveHint` is the upstream's Keep-Alive header, if any. */
  give(socket: Socket, keepAliveHint: string | undefined): void {
    const entry = this.states.get(socket);
    if (!entry || this.closed || socket.destroyed || this.idle.length >= MAX_IDLE) {
      socket.destroy();
      return;
    }
    const seconds = keepAliveHint ? Number(/timeout\s*=\s*(\d+)/i.exec(keepAliveHint)?.[1] ?? NaN) : NaN;
    entry.idleMs = Number.isFinite(seconds) ? Math.max(500, seconds * 1000 - 1000) : DEFAULT_IDLE_MS;
    entry.idle = true;
    socket.setTimeout(entry.idleMs);
    // An idle connection does not keep the process alive (as node:http's agent does).
    socket.unref();
    this.idle.push(entry);
  }

  /** Closes every idle connection, and each busy one when its exchange ends. */
  close(): void {
    this.closed = true;
    for (const entry of this.idle.splice(0)) entry.socket.destroy();
  }

  private connect(): Socket {
    const { hostname, protocol } = this.upstream;
    const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
    const port = Number(this.upstream.port || (protocol === 'https:' ? 443 : 80));
    const socket = protocol === 'https:'
      ? (tls ??= load('node:tls') as typeof import('node:tls')).connect({ host, port, servername: isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'], ca: this.ca })
      : connectTcp({ host, port });
    socket.setNoDelay(true);
    const entry: Pooled = { socket, idle: false, idleMs: DEFAULT_IDLE_MS };
    this.states.set(socket, entry);
    socket.setTimeout(this.timeoutMs);
    socket.on('timeout', () => socket.destroy(entry.idle ? undefined : new UpstreamTimeout(this.timeoutMs)));
    // While idle, nothing may arrive; the end of an idle connection just drops it.
    socket.on('data', () => {
      if (entry.idle) socket.destroy();
    });
    socket.on('end', () => {
      if (entry.idle) socket.destroy();
    });
    socket.on('error', () => undefined); // the exchange that owns it hears it too; an idle one is dropped on close
    socket.on('close', () => {
      const index = this.idle.indexOf(entry);
      if (index >= 0) this.idle.splice(index, 1);
    });
    return socket;
  }

  /** Stops the upstream timeout on a connection that became a tunnel (a WebSocket may idle for long). */
  untime(socket: Socket): void {
    socket.setTimeout(0);
    this.states.delete(socket);
  }
}
