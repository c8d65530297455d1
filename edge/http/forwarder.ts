// What the listen server's byte relay asks of whatever forwards the requests
// its own routes do not take (the proxy: source): per request, where to send
// it and what to send first, and hooks that see the exchange go by (the tap).
// The relay does the framing, the ordering and the error answers.
import type { Duplex } from 'node:stream';
import type { RequestHead, ResponseHead } from './http1-head.js';

export interface ForwardTarget {
  /** The stream to the upstream; connecting or connected (writes before the connection are buffered). */
  stream: Duplex;
  /** The head to send in place of the client's (Host rewritten, hop-by-hop headers removed). */
  head: Buffer;
  /** Sees the request body's content (dechunked), as it streams. Must not throw. */
  requestContent?(slice: Buffer): void;
  /** Sees the final response head. Must not throw. */
  responseHead?(head: ResponseHead): void;
  /** Sees the response body's content (dechunked), as it streams. Must not throw. */
  responseContent?(slice: Buffer): void;
  /**
   * The exchange is over. complete: request and answer went through whole.
   * keep: 'reuse' when the stream may carry another request, 'tunnel' when
   * it now carries an upgraded connection or a CONNECT (the relay owns it),
   * 'destroy' otherwise (the forwarder destroys it).
   */
  finish(complete: boolean, keep: 'reuse' | 'destroy' | 'tunnel'): void;
  /** The answer to give when the stream fails before a response head arrived. */
  failure(error: Error | undefined): { status: number; message: string };
}

export interface Forwarder {
  /** Opens the upstream side of one request. `origin` is 'http <client address>:<port>'. Never throws. */
  open(head: RequestHead, origin: string): ForwardTarget;
}
