// One client connection of the listen server when a forwarder (the proxy:
// source) is installed: a byte relay with passive HTTP/1.1 framing. Bytes go
// on as they arrive; what is parsed is each request head (to choose where it
// goes and, when forwarded, to rewrite it), where each body ends (so the
// next request can be told apart), and each response head and end. Requests
// are handled one at a time in order, like node:http's server: a request the
// agent's own routes take goes to node:http through an in-memory
// connection, any other to the forwarder's upstream, and a kept-alive
// connection may mix both. Upgrades (101) and CONNECT become plain tunnels;
// a head this relay cannot parse is handed with the rest of the connection
// to node:http, which answers it as it always did.
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { BodyReader, requestFraming, responseFraming, type Framing } from './body-framing.js';
import { CONTINUE, REQUEST_TIMEOUT, jsonErrorReply } from './error-reply.js';
import type { ForwardTarget, Forwarder } from './forwarder.js';
import { clientResponseHead } from './head-rewrite.js';
import { hasToken, headerValue, parseRequestHead, parseResponseHead, type RequestHead } from './http1-head.js';
import { openExchange, type Exchange } from './relay-exchange.js';

export interface RelayHost {
  /** The forwarder, while one is installed. */
  forwarder(): Forwarder | undefined;
  /** Whether the listen server answers this request itself (a route, a 405, a 400 for a bad target). */
  servesLocally(target: string): boolean;
  /** A new in-memory connection into the node:http server, passing for `client`. */
  localConnection(client: Socket): Duplex;
  readonly keepAliveTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/** Client bytes held beyond the request in progress (pipelined requests) before reading pauses. */
const MAX_AHEAD = 64 * 1024;

type Phase = 'head' | 'body' | 'wait' | 'tunnel' | 'closed';

export class RelayConnection {
  private phase: Phase = 'head';
  private pending: Buffer | undefined;
  private exchange: Exchange | undefined;
  private local: Duplex | undefined;
  private pumping = false;
  private closing = false;
  private clientEnded = false;
  private waitingDrain = false;
  private served = 0;
  private since = Date.now();
  readonly origin: string;

  constructor(private readonly client: Socket, private readonly host: RelayHost, onClose: () => void) {
    this.origin = `http ${client.remoteAddress ?? '?'}:${client.remotePort ?? '?'}`;
    client.setNoDelay(true);
    client.on('data', this.onData);
    client.on('end', () => {
      this.clientEnded = true;
      // Ended with a request complete: its answer still goes out. Ended mid-request: nothing can complete it.
      if (this.phase === 'head' && !this.pending) client.end();
      else if (this.phase === 'head' || this.phase === 'body') client.destroy();
    });
    client.on('error', () => client.destroy());
    client.on('close', () => {
      this.teardown();
      onClose();
    });
  }

  /** For the listen server's close(): ends the connection now when idle, else after the exchange in progress. */
  closeWhenIdle(): void {
    this.closing = true;
    if (this.phase === 'head' && !this.pending) this.client.destroy();
  }

  destroy(): void {
    this.client.destroy();
  }

  /** Called about once a second: applies the header, request and keep-alive timeouts. */
  checkTimeouts(now: number): void {
    if (this.phase === 'head') {
      const waitingForHead = this.pending !== undefined || this.served === 0;
      if (waitingForHead && now - this.since > this.host.headersTimeoutMs) this.timeOut();
      else if (!waitingForHead && now - this.since > this.host.keepAliveTimeoutMs) this.client.destroy();
    } else if (this.phase === 'body' && this.exchange && now - this.exchange.startedAt > this.host.requestTimeoutMs) {
      this.timeOut();
    }
  }

  private timeOut(): void {
    if (!this.exchange?.answered) this.client.end(REQUEST_TIMEOUT);
    this.client.destroySoon();
    this.phase = 'closed';
  }

  private readonly onData = (chunk: Buffer): void => {
    this.pending = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pump();
  };

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    const stream = this.exchange?.stream;
    try {
      while (this.pending !== undefined) {
        if (this.phase === 'head') {
          if (!this.startRequest()) break;
        } else if (this.phase === 'body') {
          this.forwardBody();
        } else if (this.phase === 'wait') {
          // A pipelined request waits for the answer in progress; reading pauses once much is held.
          if (this.pending.length > MAX_AHEAD) this.client.pause();
          break;
        } else if (this.phase === 'tunnel') {
          const bytes = this.pending;
          this.pending = undefined;
          this.exchange?.stream.write(bytes);
        } else {
          this.pending = undefined;
        }
      }
    } finally {
      this.pumping = false;
      uncork(stream);
      if (this.exchange && this.exchange.stream !== stream) uncork(this.exchange.stream);
    }
  }

  /** Parses the next request head and opens its exchange; false while the head is incomplete. */
  private startRequest(): boolean {
    let bytes = this.pending!;
    let skip = 0;
    // Blank lines before a request line are allowed (RFC 9112 §2.2).
    while (skip < bytes.length && (bytes[skip] === 13 || bytes[skip] === 10)) skip++;
    if (skip > 0) bytes = bytes.subarray(skip);
    this.pending = bytes.length > 0 ? bytes : undefined;
    if (!this.pending) return false;
    const head = parseRequestHead(bytes);
    if (head === 'incomplete') return false;
    const framing = head === 'malformed' ? 'invalid' : requestFraming(head);
    if (head === 'malformed' || framing === 'invalid') {
      this.handOver();
      return false;
    }
    const forwarder = this.host.forwarder();
    const expect = headerValue(head, 'expect');
    const local = !forwarder || (expect !== undefined && expect.toLowerCase() !== '100-continue') || this.host.servesLocally(head.target);
    const target = local ? undefined : forwarder!.open(head, this.origin);
    const stream = target ? target.stream : this.localStream();
    this.open(head, framing, stream, target);
    stream.cork();
    stream.write(target ? target.head : bytes.subarray(0, head.length));
    if (target && expect !== undefined) this.client.write(CONTINUE);
    this.pending = head.length < bytes.length ? bytes.subarray(head.length) : undefined;
    if (this.exchange!.body.done) this.requestComplete();
    return true;
  }

  private open(request: RequestHead, framing: Framing, stream: Duplex, target: ForwardTarget | undefined): void {
    this.exchange = openExchange(request, framing, stream, target, {
      data: (chunk) => this.onResponse(chunk),
      end: () => this.onStreamEnd(),
      failure: (error) => this.onStreamFailure(error),
    });
    this.phase = 'body';
  }

  private forwardBody(): void {
    const exchange = this.exchange!;
    const bytes = this.pending!;
    const used = exchange.body.feed(bytes);
    if (exchange.body.invalid) {
      // Broken chunked framing: the rest of the connection cannot be read as HTTP.
      this.client.destroy();
      return;
    }
    this.pending = used < bytes.length ? bytes.subarray(used) : undefined;
    if (used > 0 && !exchange.discard && !exchange.stream.destroyed) {
      const slice = used === bytes.length ? bytes : bytes.subarray(0, used);
      if (!exchange.stream.write(slice) && !this.waitingDrain) {
        this.waitingDrain = true;
        this.client.pause();
        exchange.stream.once('drain', () => {
          this.waitingDrain = false;
          if (this.phase !== 'wait' || (this.pending?.length ?? 0) <= MAX_AHEAD) this.client.resume();
        });
      }
    }
    if (exchange.body.done) this.requestComplete();
  }

  private requestComplete(): void {
    this.exchange!.requestDone = true;
    this.phase = 'wait';
    this.finishIfDone();
  }

  private onResponse(chunk: Buffer): void {
    const exchange = this.exchange!;
    if (exchange.failed) return;
    let bytes = chunk;
    if (!exchange.responseBody) {
      bytes = exchange.responseBuffer ? Buffer.concat([exchange.responseBuffer, chunk]) : chunk;
      exchange.responseBuffer = undefined;
      for (;;) {
        const head = parseResponseHead(bytes);
        if (head === 'incomplete') {
          exchange.responseBuffer = bytes;
          return;
        }
        const framing = head === 'malformed' ? 'invalid' : responseFraming(head, exchange.request);
        if (head === 'malformed' || framing === 'invalid') return this.fail(new Error('the upstream sent a response that is not valid HTTP/1.1'));
        const rest = bytes.subarray(head.length);
        if (head.status < 200 && head.status !== 101) {
          // 1xx (100 Continue, 103 Early Hints): passed on as is; the final answer follows.
          this.client.write(bytes.subarray(0, head.length));
          bytes = rest;
          if (bytes.length === 0) return;
          continue;
        }
        exchange.answered = true;
        const persistent = head.minor === 1 ? !hasToken(head, 'connection', 'close') : hasToken(head, 'connection', 'keep-alive');
        if (!persistent || framing.kind === 'until-close') exchange.reusable = false;
        if (framing.kind === 'until-close') exchange.closeClient = true;
        let headBytes = bytes.subarray(0, head.length);
        if (exchange.target) {
          exchange.target.responseHead?.(head);
          if (framing.kind !== 'tunnel') headBytes = clientResponseHead(head, exchange.keepClient && !exchange.closeClient && !this.closing, this.host.keepAliveTimeoutMs);
        } else if (!persistent) {
          exchange.closeClient = true;
        }
        if (framing.kind === 'tunnel') {
          this.client.write(headBytes);
          if (rest.length > 0) this.client.write(rest);
          return this.tunnel(exchange);
        }
        this.client.cork();
        this.client.write(headBytes);
        const content = exchange.target?.responseContent;
        exchange.responseBody = new BodyReader(framing, content && ((slice) => content.call(exchange.target, slice)));
        bytes = rest;
        break;
      }
    } else {
      this.client.cork();
    }
    const body = exchange.responseBody!;
    const used = body.feed(bytes);
    if (body.invalid) return this.fail(new Error('the upstream broke its chunked framing'));
    if (used < bytes.length) exchange.reusable = false; // bytes after the answer: not HTTP we can follow
    if (used > 0 && !this.client.write(used === bytes.length ? bytes : bytes.subarray(0, used))) {
      exchange.stream.pause();
      this.client.once('drain', () => exchange.stream.resume());
    }
    // Out now, before the exchange's bookkeeping: the client is waiting for these bytes.
    uncork(this.client);
    if (body.done) {
      exchange.responseDone = true;
      this.finishIfDone();
    }
  }

  private onStreamEnd(): void {
    const exchange = this.exchange!;
    exchange.reusable = false;
    if (!exchange.target) this.local = undefined;
    if (exchange.responseBody?.framing.kind === 'until-close') {
      exchange.responseBody.end();
      exchange.responseDone = true;
      this.finishIfDone();
    } else if (!exchange.responseDone) {
      this.fail(exchange.error);
    }
  }

  private onStreamFailure(error: Error | undefined): void {
    const exchange = this.exchange!;
    exchange.reusable = false;
    exchange.error ??= error;
    if (!exchange.target) this.local = undefined;
    if (!exchange.responseDone) this.fail(exchange.error);
  }

  /** The other side failed: answer 502/504 if nothing was sent yet, else cut the client's connection. */
  private fail(error: Error | undefined): void {
    const exchange = this.exchange!;
    if (exchange.failed) return;
    exchange.failed = true;
    exchange.reusable = false;
    if (exchange.answered) {
      this.client.destroy();
      return;
    }
    const answer = exchange.target ? exchange.target.failure(error) : { status: 502, message: 'internal error' };
    const keep = exchange.keepClient && !this.closing;
    exchange.closeClient = !keep;
    this.client.write(jsonErrorReply(answer.status, answer.message, keep, this.host.keepAliveTimeoutMs));
    exchange.answered = true;
    exchange.responseDone = true;
    exchange.discard = true;
    exchange.off();
    exchange.target?.finish(false, 'destroy');
    if (!exchange.target && this.local === exchange.stream) this.local = undefined;
    exchange.stream.destroy();
    this.finishIfDone();
    if (this.phase === 'body' && this.pending) this.pump();
  }

  private finishIfDone(): void {
    const exchange = this.exchange;
    if (!exchange || !exchange.requestDone || !exchange.responseDone) return;
    this.exchange = undefined;
    if (!exchange.failed) {
      exchange.off();
      exchange.target?.finish(true, exchange.reusable ? 'reuse' : 'destroy');
    }
    this.served++;
    this.since = Date.now();
    this.phase = 'head';
    if (exchange.closeClient || !exchange.keepClient || this.closing || this.clientEnded) {
      this.phase = 'closed';
      this.pending = undefined;
      this.client.destroySoon();
      return;
    }
    if (!this.waitingDrain) this.client.resume();
    if (this.pending) this.pump();
  }

  /** After a 101 or a CONNECT's 2xx: bytes both ways until either side ends. */
  private tunnel(exchange: Exchange): void {
    exchange.off();
    exchange.target?.finish(true, 'tunnel');
    if (!exchange.target) this.local = undefined;
    this.exchange = undefined;
    this.startTunnel(exchange.stream);
  }

  /** The rest of the connection goes to node:http unparsed (a head or framing this relay refuses: node:http answers it). */
  private handOver(): void {
    this.startTunnel(this.localStream());
    this.local = undefined;
  }

  private startTunnel(stream: Duplex): void {
    this.phase = 'tunnel';
    this.client.off('data', this.onData);
    if (this.pending) stream.write(this.pending);
    this.pending = undefined;
    stream.on('error', () => this.client.destroy());
    stream.on('close', () => this.client.destroy());
    this.client.on('close', () => stream.destroy());
    this.client.pipe(stream);
    stream.pipe(this.client);
    stream.resume();
    this.client.resume();
  }

  private localStream(): Duplex {
    if (this.local && !this.local.destroyed) return this.local;
    const local = this.host.localConnection(this.client);
    local.on('error', () => undefined); // reported through the exchange, or irrelevant when idle
    local.once('close', () => {
      if (this.local === local) this.local = undefined;
    });
    this.local = local;
    return local;
  }

  private teardown(): void {
    this.phase = 'closed';
    this.pending = undefined;
    const exchange = this.exchange;
    this.exchange = undefined;
    if (exchange && !exchange.failed) {
      exchange.off();
      exchange.target?.finish(false, 'destroy');
      exchange.stream.destroy();
    }
    this.local?.destroy();
    this.local = undefined;
  }
}

function uncork(stream: Duplex | undefined): void {
  if (stream && stream.writableCorked > 0) stream.uncork();
}
