// Rewriting a head for the other side of the relay: the start line and the
// kept header lines exactly as received, some lines left out, some added.
// Connection-level headers describe one hop, so a relay re-makes them
// (RFC 9110 §7.6.1); the framing headers stay, as the body is relayed as is.
import { headerTokens, type MessageHead } from './http1-head.js';

/** Headers that describe the connection, not the message. */
export const CONNECTION_HEADERS: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection']);
const FRAMING = new Set(['content-length', 'transfer-encoding']);

/** The headers a message's Connection header names (framing headers never, as the body is passed through unchanged). */
export function namedByConnection(head: MessageHead): Set<string> {
  const named = headerTokens(head, 'connection');
  for (const name of FRAMING) named.delete(name);
  return named;
}

/**
 * The head as bytes: start line (or `startLine`), the header lines whose
 * lower-cased name `keep` accepts, then `extra` lines, then the blank line.
 */
export function rewriteHead(head: MessageHead, keep: (name: string) => boolean, extra: readonly string[], startLine = head.lines[0]): Buffer {
  let text = `${startLine}\r\n`;
  for (let i = 1; i < head.lines.length; i++) {
    if (keep(head.headers[2 * (i - 1)].toLowerCase())) text += `${head.lines[i]}\r\n`;
  }
  for (const line of extra) text += `${line}\r\n`;
  return Buffer.from(`${text}\r\n`, 'latin1');
}

/** An upstream's response head for the client's connection: its own Connection headers replaced by the relay's. */
export function clientResponseHead(head: MessageHead, keepAlive: boolean, keepAliveTimeoutMs: number): Buffer {
  const named = namedByConnection(head);
  const connection = keepAlive ? ['Connection: keep-alive', `Keep-Alive: timeout=${Math.floor(keepAliveTimeoutMs / 1000)}`] : ['Connection: close'];
  return rewriteHead(head, (name) => !CONNECTION_HEADERS.has(name) && !named.has(name), connection);
}
