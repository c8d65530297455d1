// Where an HTTP/1.1 body ends, found while its bytes stream past (RFC 9112
// §6): a Content-Length count, chunked coding, or the end of the
// connection. The relay forwards the raw bytes unchanged; this only tells
// it how many of them belong to the current message and, for the tap, which
// of them are the body's content (chunked framing left out).
import { hasToken, headerValue, headerValues, singleHeaderValue, type RequestHead, type ResponseHead } from './http1-head.js';

export type Framing =
  | { kind: 'none' }
  | { kind: 'length'; length: number }
  | { kind: 'chunked' }
  | { kind: 'until-close' }
  /** 101 Switching Protocols or a CONNECT's 2xx: from here on, bytes both ways, unparsed. */
  | { kind: 'tunnel' };

/** Content-Length as a number; undefined when absent; 'invalid' when unparsable or given twice with different values. */
export function contentLength(head: RequestHead | ResponseHead): number | undefined | 'invalid' {
  // The usual head: one Content-Length with one value, read without building lists (values are trimmed already).
  const single = singleHeaderValue(head, 'content-length');
  if (single === undefined) return undefined;
  if (single !== null && !single.includes(',')) return DIGITS.test(single) ? Number(single) : 'invalid';
  const lengths = listItems(head, 'content-length'); // at least one item: the header is there
  for (let i = 0; i < lengths.length; i++) if (!DIGITS.test(lengths[i]) || lengths[i] !== lengths[0]) return 'invalid';
  return Number(lengths[0]);
}

/** Whether chunked is the last transfer coding; undefined when there is none. */
function chunkedLast(head: RequestHead | ResponseHead): boolean | undefined {
  if (headerValue(head, 'transfer-encoding') === undefined) return undefined;
  let last: string | undefined;
  const codings = listItems(head, 'transfer-encoding');
  for (let i = 0; i < codings.length; i++) if (codings[i] !== '') last = codings[i];
  return last === undefined ? undefined : last.toLowerCase() === 'chunked';
}

const DIGITS = /^\d{1,15}$/;

/** The comma-separated items of every instance of a header, trimmed, in order; one list, as the relay reads this for every message. */
function listItems(head: RequestHead | ResponseHead, name: string): string[] {
  const items: string[] = [];
  const values = headerValues(head, name);
  for (let i = 0; i < values.length; i++) {
    if (!values[i].includes(',')) items.push(values[i].trim());
    else {
      const split = values[i].split(',');
      for (let j = 0; j < split.length; j++) items.push(split[j].trim());
    }
  }
  return items;
}

/** A request's body framing, or 'invalid' (both Transfer-Encoding and Content-Length, a coding that is not chunked last, a bad length). */
export function requestFraming(head: RequestHead): Framing | 'invalid' {
  const chunked = chunkedLast(head);
  const length = contentLength(head);
  if (chunked !== undefined) return chunked && length === undefined ? { kind: 'chunked' } : 'invalid';
  if (length === 'invalid') return 'invalid';
  return length === undefined || length === 0 ? { kind: 'none' } : { kind: 'length', length };
}

/** Whether a request asks to switch protocols (Connection: upgrade plus an Upgrade header). */
export function isUpgrade(head: RequestHead): boolean {
  return hasToken(head, 'connection', 'upgrade') && headerValue(head, 'upgrade') !== undefined;
}

/** A response's body framing, which depends on the request it answers; 'invalid' for a bad Content-Length. */
export function responseFraming(head: ResponseHead, request: RequestHead): Framing | 'invalid' {
  const { status } = head;
  if (status === 101) return isUpgrade(request) ? { kind: 'tunnel' } : 'invalid';
  if (request.method === 'CONNECT' && status >= 200 && status < 300) return { kind: 'tunnel' };
  if (request.method === 'HEAD' || status < 200 || status === 204 || status === 304) return { kind: 'none' };
  const chunked = chunkedLast(head);
  if (chunked !== undefined) return chunked ? { kind: 'chunked' } : { kind: 'until-close' };
  const length = contentLength(head);
  if (length === 'invalid') return 'invalid';
  return length === undefined ? { kind: 'until-close' } : length === 0 ? { kind: 'none' } : { kind: 'length', length };
}

const enum Chunk { Size, Data, DataEnd, Trailer }

/** Largest chunk-size line (with extensions) and trailer line accepted. */
const MAX_LINE = 8 * 1024;

/**
 * Follows one body through its bytes. feed() takes the next bytes on the
 * connection and returns how many belong to this body (the rest is the next
 * message); `content` gets the body's content bytes as slices of the input.
 */
export class BodyReader {
  private left: number;
  private chunk = Chunk.Size;
  private line = '';
  private broken = false;
  done: boolean;

  constructor(readonly framing: Framing, private readonly content?: (slice: Buffer) => void) {
    this.left = framing.kind === 'length' ? framing.length : 0;
    this.done = framing.kind === 'none';
  }

  /** Set once chunked framing was violated: the connection cannot be trusted any more. */
  get invalid(): boolean {
    return this.broken;
  }

  feed(bytes: Buffer): number {
    if (this.done || this.broken) return 0;
    switch (this.framing.kind) {
      case 'length': {
        const take = Math.min(this.left, bytes.length);
        if (take > 0) this.content?.(take === bytes.length ? bytes : bytes.subarray(0, take));
        this.left -= take;
        this.done = this.left === 0;
        return take;
      }
      case 'chunked':
        return this.feedChunked(bytes);
      default:
        // until-close and tunnel: everything until the connection ends.
        if (bytes.length > 0) this.content?.(bytes);
        return bytes.length;
    }
  }

  /** The connection ended: a close-delimited body is complete, any other is truncated. */
  end(): void {
    if (this.framing.kind === 'until-close') this.done = true;
  }

  private feedChunked(bytes: Buffer): number {
    let at = 0;
    while (at < bytes.length && !this.done) {
      if (this.chunk === Chunk.Data) {
        const take = Math.min(this.left, bytes.length - at);
        this.content?.(bytes.subarray(at, at + take));
        at += take;
        this.left -= take;
        if (this.left === 0) this.chunk = Chunk.DataEnd;
        continue;
      }
      const lf = bytes.indexOf(10, at);
      const stop = lf < 0 ? bytes.length : lf;
      this.line += bytes.toString('latin1', at, stop);
      at = lf < 0 ? bytes.length : lf + 1;
      if (this.line.length > MAX_LINE) return this.fail(at);
      if (lf < 0) break;
      const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
      this.line = '';
      if (this.chunk === Chunk.DataEnd) {
        if (line !== '') return this.fail(at);
        this.chunk = Chunk.Size;
      } else if (this.chunk === Chunk.Size) {
        const size = /^([0-9A-Fa-f]{1,12})[ \t]*(?:;.*)?$/.exec(line);
        if (!size) return this.fail(at);
        this.left = parseInt(size[1], 16);
        this.chunk = this.left === 0 ? Chunk.Trailer : Chunk.Data;
      } else if (line === '') {
        this.done = true; // the last chunk's trailer section ended
      }
    }
    return at;
  }

  private fail(at: number): number {
    this.broken = true;
    return at;
  }
}
