// Rewriting a head for the other side of the relay: the start line and the
// kept header lines exactly as received, some lines left out, some added.
// Connection-level headers describe one hop, so a relay re-makes them
// (RFC 9110 §7.6.1); the framing headers stay, as the body is relayed as is.
import { headerTokens, headerValue, onlyToken, type MessageHead } from './http1-head.js';

/** Headers that describe the connection, not the message. */
export const CONNECTION_HEADERS: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection']);
const NONE: ReadonlySet<string> = new Set();

/**
 * The headers a message's Connection header names, for the rewrites below to
 * leave out: framing headers never (the body is passed through unchanged),
 * and none at all for a lone 'keep-alive' (CONNECTION_HEADERS has it).
 */
export function namedByConnection(head: MessageHead): ReadonlySet<string> {
  // Absent, or the usual 'Connection: keep-alive': Keep-Alive is one of CONNECTION_HEADERS, which both rewrites leave out anyway.
  if (headerValue(head, 'connection') === undefined || onlyToken(head, 'connection', 'keep-alive')) return NONE;
  const named = headerTokens(head, 'connection');
  named.delete('content-length');
  named.delete('transfer-encoding');
  return named;
}

/**
 * The head as bytes: start line (or `startLine`), the header lines whose
 * lower-cased name `keep` accepts, then `extra` lines, then the blank line.
 * Written straight into one buffer (heads are latin1: a character is a byte)
 * rather than built as a string first: the relay rewrites two heads a call.
 */
export function rewriteHead(head: MessageHead, keep: (name: string) => boolean, extra: readonly string[], startLine = head.lines[0]): Buffer {
  let most = startLine.length + 4;
  for (let i = 1; i < head.lines.length; i++) most += head.lines[i].length + 2;
  for (let i = 0; i < extra.length; i++) most += extra[i].length + 2;
  const bytes = Buffer.allocUnsafe(most);
  let at = bytes.write(startLine, 0, 'latin1');
  at = crlf(bytes, at);
  for (let i = 1; i < head.lines.length; i++) {
    if (keep(head.headers[2 * (i - 1)].toLowerCase())) at = crlf(bytes, at + bytes.write(head.lines[i], at, 'latin1'));
  }
  for (let i = 0; i < extra.length; i++) at = crlf(bytes, at + bytes.write(extra[i], at, 'latin1'));
  return bytes.subarray(0, crlf(bytes, at));
}

function crlf(bytes: Buffer, at: number): number {
  bytes[at] = 13;
  bytes[at + 1] = 10;
  return at + 2;
}

/** An upstream's response head for the client's connection: its own Connection headers replaced by the relay's. */
export function clientResponseHead(head: MessageHead, keepAlive: boolean, keepAliveTimeoutMs: number): Buffer {
  const named = namedByConnection(head);
  const connection = keepAlive ? ['Connection: keep-alive', `Keep-Alive: timeout=${Math.floor(keepAliveTimeoutMs / 1000)}`] : ['Connection: close'];
  return rewriteHead(head, (name) => !CONNECTION_HEADERS.has(name) && !named.has(name), connection);
}
