// The agent's one HTTP server (--listen host:port). Modules register exact
// routes (GET /metrics, GET /healthz), prefix routes (POST /frames/<camera>)
// at most one fallback, and at most one forwarder (the sidecar proxy, which
// takes every request no route takes). With a forwarder, connections are
// accepted by a byte relay (relay-connection.ts) that sends the agent's own
// requests to this node:http server through in-memory connections and
// forwards the rest without node:http's parse and re-serialisation. A front
// (the proxy's relay thread) may own the listening socket instead: it runs
// the same relay in a thread of its own and hands the agent's own requests
// back through acceptLocal().
// Limits: a body cap that handlers apply through context.readBody (413),
// header and request timeouts, JSON error bodies, and a graceful close.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { duplexPair } from './duplex-pair.js';
import type { Forwarder } from './forwarder.js';
import { httpDateNow } from '../utc-text.js';
import { HttpError, sendJson } from './http-error.js';
import { readBody } from './read-body.js';
import type { RelayHost } from './relay-connection.js';
import { RelayServer } from './relay-server.js';
import { servedLocally, type RouteSnapshot } from './route-snapshot.js';

export interface RequestContext {
  url: URL;
  /** 'http 127.0.0.1:54321': the client, for logs and frame origins. */
  origin: string;
  maxBodyBytes: number;
  /** The request body, capped at maxBodyBytes (HttpError 413 beyond). */
  readBody(): Promise<Uint8Array>;
}

export type RouteHandler = (request: IncomingMessage, response: ServerResponse, context: RequestContext) => void | Promise<void>;

export interface ListenServerOptions {
  /** Largest request body handlers read through context.readBody. Default 16 MiB. */
  maxBodyBytes?: number;
  /** Time allowed to receive the request headers. Default 10 s. */
  headersTimeoutMs?: number;
  /** Time allowed to receive the whole request. Default 60 s. */
  requestTimeoutMs?: number;
  /** How long close() waits for requests in flight before cutting connections. Default 5 s. */
  closeGraceMs?: number;
  /** Unexpected handler failures (answered with 500). */
  onError?: (error: Error, context: { method: string; path: string; origin: string }) => void;
}

export interface ListenAddress {
  host: string;
  port: number;
}

/** The client's addresses, as a connection handed in through acceptLocal() reports them. */
export interface PeerAddress {
  remoteAddress?: string;
  remotePort?: number;
  remoteFamily?: string;
  localAddress?: string;
  localPort?: number;
}

/** What the relay needs to know of the listen server, as plain data. */
export interface RelaySettings {
  keepAliveTimeoutMs: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  routes: RouteSnapshot;
}

/** Something that owns the listening socket in the listen server's place (the proxy's relay thread). */
export interface ListenFront {
  /** Binds the address and relays; the agent's own requests come back through acceptLocal(). */
  listen(address: ListenAddress, settings: RelaySettings): Promise<ListenAddress>;
  /** The routes changed after listen(). */
  routesChanged(routes: RouteSnapshot): void;
  /** Stops accepting, lets exchanges in flight finish (up to graceMs), then cuts the rest. */
  close(graceMs: number): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Parses '127.0.0.1:8080', '[::1]:8080' or ':8080' (all interfaces). */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:\s[\]]*)):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) throw new RangeError(`--listen ${JSON.stringify(text)} is not host:port (e.g. 127.0.0.1:9464, [::1]:9464, :9464)`);
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

export class ListenServer {
  readonly maxBodyBytes: number;
  private readonly server: Server;
  private readonly exact = new Map<string, RouteHandler>();
  private readonly prefixes: Array<{ prefix: string; handler: RouteHandler }> = [];
  private fallbackHandler: RouteHandler | undefined;
  private forwarderRef: Forwarder | undefined;
  /** The byte relay's listening socket and connections (only when a forwarder was installed before listen()). */
  private relay: RelayServer | undefined;
  private front: ListenFront | undefined;
  private frontAddress: ListenAddress | undefined;
  private snapshot: RouteSnapshot | undefined;
  private readonly relayHost: RelayHost;
  private readonly closeGraceMs: number;
  private readonly onError: ListenServerOptions['onError'];
  private closing: Promise<void> | undefined;

  constructor(readonly address: ListenAddress, options: ListenServerOptions = {}) {
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    if (!Number.isSafeInteger(this.maxBodyBytes) || this.maxBodyBytes < 1) {
      throw new RangeError(`ListenServer maxBodyBytes must be a positive integer, got ${this.maxBodyBytes}`);
    }
    this.closeGraceMs = options.closeGraceMs ?? 5000;
    this.onError = options.onError;
    this.server = createServer({
      headersTimeout: options.headersTimeoutMs ?? 10_000,
      requestTimeout: options.requestTimeoutMs ?? 60_000,
    }, (request, response) => this.dispatch(request, response));
    this.relayHost = {
      forwarder: () => this.forwarderRef,
      servesLocally: (target) => this.servesLocally(target),
      localConnection: (client) => this.localConnection(client),
      keepAliveTimeoutMs: this.server.keepAliveTimeout,
      headersTimeoutMs: this.server.headersTimeout,
      requestTimeoutMs: this.server.requestTimeout,
    };
  }

  /** An exact route; returns a function that removes it. */
  route(method: string, path: string, handler: RouteHandler): () => void {
    const key = `${method.toUpperCase()} ${path}`;
    if (this.exact.has(key)) throw new Error(`route ${key} is already registered`);
    this.exact.set(key, handler);
    this.routesChanged();
    return () => {
      if (this.exact.get(key) === handler) this.exact.delete(key);
      this.routesChanged();
    };
  }

  /** Every method on every path starting with `prefix` (longest prefix wins); returns a remover. */
  prefixRoute(prefix: string, handler: RouteHandler): () => void {
    if (!prefix.startsWith('/')) throw new RangeError(`route prefix must start with '/', got ${JSON.stringify(prefix)}`);
    if (this.prefixes.some((entry) => entry.prefix === prefix)) throw new Error(`prefix route ${prefix} is already registered`);
    const entry = { prefix, handler };
    this.prefixes.push(entry);
    this.prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
    this.routesChanged();
    return () => {
      const index = this.prefixes.indexOf(entry);
      if (index >= 0) this.prefixes.splice(index, 1);
      this.routesChanged();
    };
  }

  /** The handler for requests no route matched (one at most); returns a remover. */
  fallback(handler: RouteHandler): () => void {
    if (this.fallbackHandler) throw new Error('a fallback handler is already registered');
    this.fallbackHandler = handler;
    this.routesChanged();
    return () => {
      if (this.fallbackHandler === handler) this.fallbackHandler = undefined;
      this.routesChanged();
    };
  }

  /**
   * Requests no route takes go to `forwarder` through the byte relay, which
   * must be in place before listen(); returns a remover (after which such
   * requests get 404 again).
   */
  forwardUnrouted(forwarder: Forwarder): () => void {
    if (this.forwarderRef || this.front) throw new Error('a forwarder is already registered');
    if (this.listening && !this.relay) throw new Error('a forwarder must be registered before listen()');
    this.forwarderRef = forwarder;
    return () => {
      if (this.forwarderRef === forwarder) this.forwarderRef = undefined;
    };
  }

  /**
   * Lets `front` own the listening socket (set before listen()): it forwards
   * what it forwards and hands the rest back through acceptLocal().
   */
  serveThrough(front: ListenFront): void {
    if (this.forwarderRef || this.front) throw new Error('a forwarder is already registered');
    if (this.listening) throw new Error('a front must be set before listen()');
    this.front = front;
  }

  /** A connection the front hands in (a request for the agent's own routes), served by node:http. */
  acceptLocal(stream: Duplex, peer: PeerAddress): void {
    Object.assign(stream, peer);
    this.server.emit('connection', stream);
  }

  /** The routes as plain data, for the relay. */
  routes(): RouteSnapshot {
    this.snapshot ??= {
      exactPaths: [...new Set([...this.exact.keys()].map((key) => key.slice(key.indexOf(' ') + 1)))],
      prefixes: this.prefixes.map((entry) => entry.prefix),
      fallback: this.fallbackHandler !== undefined,
    };
    return this.snapshot;
  }

  private routesChanged(): void {
    this.snapshot = undefined;
    if (this.frontAddress) this.front!.routesChanged(this.routes());
  }

  async listen(): Promise<ListenAddress> {
    if (this.front) {
      this.frontAddress = await this.front.listen(this.address, {
        keepAliveTimeoutMs: this.server.keepAliveTimeout,
        headersTimeoutMs: this.server.headersTimeout,
        requestTimeoutMs: this.server.requestTimeout,
        routes: this.routes(),
      });
      return this.frontAddress;
    }
    if (this.forwarderRef) {
      this.relay = new RelayServer(this.relayHost);
      const info = await this.relay.listen(this.address.host, this.address.port);
      return { host: info.address, port: info.port };
    }
    const server = this.server;
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => reject(new Error(`cannot listen on ${this.address.host}:${this.address.port} (${error.code ?? error.message})`));
      server.once('error', onError);
      server.listen(this.address.port, this.address.host, () => {
        server.off('error', onError);
        resolve(this.boundAddress());
      });
    });
  }

  /** The address actually bound (the real port when listening on port 0). */
  boundAddress(): ListenAddress {
    if (this.frontAddress) return this.frontAddress;
    const info = (this.relay?.server ?? this.server).address() as AddressInfo | null;
    if (!info) throw new Error('the listen server is not listening');
    return { host: info.address, port: info.port };
  }

  get listening(): boolean {
    if (this.front) return this.frontAddress !== undefined && !this.closing;
    return (this.relay?.server ?? this.server).listening;
  }

  /** Whether this server answers the request itself: a route, a 405, a fallback, a target that is not a path (400), or no forwarder (404). */
  private servesLocally(target: string): boolean {
    if (!this.forwarderRef) return true;
    return servedLocally(this.routes(), target);
  }

  /** An in-memory connection into the node:http server, with the client's address for origins. */
  private localConnection(client: Socket): Duplex {
    const [inner, outer] = duplexPair();
    this.acceptLocal(inner, { remoteAddress: client.remoteAddress, remotePort: client.remotePort, remoteFamily: client.remoteFamily, localAddress: client.localAddress, localPort: client.localPort });
    return outer;
  }

  /** Stops accepting, lets requests in flight finish (up to closeGraceMs), then cuts the rest. */
  close(): Promise<void> {
    if (this.relay) {
      this.closing ??= this.relay.close(this.closeGraceMs);
      return this.closing;
    }
    if (this.front) {
      this.closing ??= this.front.close(this.closeGraceMs);
      return this.closing;
    }
    this.closing ??= new Promise<void>((resolve) => {
      if (!this.server.listening) return resolve();
      const timer = setTimeout(() => this.server.closeAllConnections(), this.closeGraceMs);
      timer.unref();
      this.server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      this.server.closeIdleConnections();
    });
    return this.closing;
  }

  private pick(method: string, path: string): RouteHandler | HttpError | undefined {
    const handler = this.exact.get(`${method} ${path}`);
    if (handler) return handler;
    const allowed = [...this.exact.keys()].filter((key) => key.slice(key.indexOf(' ') + 1) === path).map((key) => key.slice(0, key.indexOf(' ')));
    if (allowed.length > 0) return new HttpError(405, `${method} is not allowed on ${path}; use ${allowed.join(', ')}`, { allow: allowed.join(', ') });
    return this.prefixes.find((entry) => path.startsWith(entry.prefix))?.handler ?? this.fallbackHandler;
  }

  private dispatch(request: IncomingMessage, response: ServerResponse): void {
    // Our own Date header, so that node:http does not write its own (see utc-text.ts).
    response.setHeader('Date', httpDateNow());
    const socket: Socket = request.socket;
    const origin = `http ${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const method = request.method ?? 'GET';
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://listen.invalid');
    } catch {
      return this.fail(response, new HttpError(400, 'request target is not a valid URL path'), method, '?', origin);
    }
    const picked = this.pick(method, url.pathname);
    if (picked instanceof HttpError) return this.fail(response, picked, method, url.pathname, origin);
    if (!picked) return this.fail(response, new HttpError(404, `no route for ${method} ${url.pathname}`), method, url.pathname, origin);
    const context: RequestContext = { url, origin, maxBodyBytes: this.maxBodyBytes, readBody: () => readBody(request, this.maxBodyBytes) };
    let outcome: void | Promise<void>;
    try {
      outcome = picked(request, response, context);
    } catch (error) {
      return this.fail(response, error, method, url.pathname, origin);
    }
    if (outcome instanceof Promise) outcome.catch((error: unknown) => this.fail(response, error, method, url.pathname, origin));
  }

  private fail(response: ServerResponse, error: unknown, method: string, path: string, origin: string): void {
    if (!(error instanceof HttpError)) {
      try {
        this.onError?.(error instanceof Error ? error : new Error(String(error)), { method, path, origin });
      } catch {
        // A failing logger must not take the server down.
      }
    }
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (error instanceof HttpError) sendJson(response, error.status, { error: error.message }, error.headers);
    else sendJson(response, 500, { error: 'internal error' });
  }
}
