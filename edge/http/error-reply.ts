// The few answers the byte relay writes itself, in the bytes node:http's
// sendJson would have written: the 502 and 504 of a failed upstream, the
// 100 Continue it gives for a forwarded request, and node:http's 408.
import { httpDateNow } from '../utc-text.js';

export const CONTINUE = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');
export const REQUEST_TIMEOUT = Buffer.from('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n', 'latin1');

const REASONS: Record<number, string> = { 400: 'Bad Request', 502: 'Bad Gateway', 504: 'Gateway Timeout' };

/** A JSON error answer ({"error": message}) as sendJson writes it, with the connection headers the relay decided. */
export function jsonErrorReply(status: number, message: string, keepAlive: boolean, keepAliveTimeoutMs: number): Buffer {
  const body = JSON.stringify({ error: message });
  const connection = keepAlive ? `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(keepAliveTimeoutMs / 1000)}\r\n` : 'Connection: close\r\n';
  return Buffer.from(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
    `cache-control: no-store\r\nDate: ${httpDateNow()}\r\n${connection}\r\n${body}`,
    'utf8',
  );
}
