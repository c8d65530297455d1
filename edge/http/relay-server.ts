// The listening socket of the byte relay and its connections: accepts each
// client into a RelayConnection, applies their timeouts on one coarse clock,
// and closes gracefully. Used by the listen server in its own thread and by
// the relay thread (relay-thread.ts), which runs the same relay apart from
// the agent's other work.
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { RelayConnection, type RelayHost } from './relay-connection.js';

export class RelayServer {
  readonly server: NetServer;
  private readonly connections = new Set<RelayConnection>();
  private readonly timer: NodeJS.Timeout;
  private closing: Promise<void> | undefined;

  constructor(host: RelayHost) {
    // Half-open like node:http: a client may end its side and still read the answer.
    this.server = createNetServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
      const connection = new RelayConnection(socket, host, () => this.connections.delete(connection));
      this.connections.add(connection);
    });
    // One coarse clock for every connection's timeouts, as node:http does, rather than a timer per request.
    this.timer = setInterval(() => {
      const now = Date.now();
      for (const connection of this.connections) connection.checkTimeouts(now);
    }, 1000);
    this.timer.unref();
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => reject(new Error(`cannot listen on ${host}:${port} (${error.code ?? error.message})`));
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops accepting, lets exchanges in flight finish (up to graceMs), then cuts the rest. */
  close(graceMs: number): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      clearInterval(this.timer);
      if (!this.server.listening) return resolve();
      const timer = setTimeout(() => {
        for (const connection of this.connections) connection.destroy();
      }, graceMs);
      timer.unref();
      this.server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      for (const connection of this.connections) connection.closeWhenIdle();
    });
    return this.closing;
  }
}
