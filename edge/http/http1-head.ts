// The one part of an HTTP/1.x message the byte relay reads in full: its head
// (request or status line, then header lines, then an empty line). Bodies
// are never parsed here; see body-framing.ts. Heads are decoded as latin1 so
// that a rewritten head keeps every byte of the lines it keeps.
// Anything this parser refuses is handed whole to node:http, which answers
// it as it always did (400, 431), so the rules here may be stricter than
// llhttp's but never looser.

/** Largest head read (node:http's default header limit); beyond it node:http answers 431. */
export const MAX_HEAD_BYTES = 16 * 1024;

export interface MessageHead {
  /** Header names and values in arrival order: [name, value, name, value, ...] (values trimmed). */
  headers: string[];
  /** The head's lines as received, start line first, without line endings. */
  lines: string[];
  /** HTTP/1.x minor version: 0 or 1. */
  minor: number;
  /** Bytes the head took, the blank line included. */
  length: number;
}

export interface RequestHead extends MessageHead {
  method: string;
  target: string;
}

export interface ResponseHead extends MessageHead {
  status: number;
  reason: string;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) HTTP\/1\.([01])$/;
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: ([^\r\n]*))?$/;

/** Where the head ends (just past the blank line) in `bytes`, or -1 while it is incomplete. Accepts CRLF and bare LF. */
export function headEnd(bytes: Buffer, from = 0): number {
  let at = bytes.indexOf(10, from);
  while (at >= 0) {
    const next = bytes[at + 1];
    if (next === 10) return at + 2;
    if (next === 13 && bytes[at + 2] === 10) return at + 3;
    if (next === undefined || (next === 13 && at + 2 >= bytes.length)) return -1;
    at = bytes.indexOf(10, at + 1);
  }
  return -1;
}

function splitHead(bytes: Buffer, end: number): { lines: string[]; headers: string[] } | undefined {
  const text = bytes.toString('latin1', 0, end);
  const lines = text.split('\n');
  lines.length -= 2; // the blank line and what follows its LF
  const headers: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    lines[i] = line;
    if (i === 0) continue;
    const colon = line.indexOf(':');
    // No obsolete line folding, no space before the colon, names are tokens.
    if (colon <= 0 || !TOKEN.test(line.slice(0, colon))) return undefined;
    const value = line.slice(colon + 1).trim();
    if (/[\r\n\0]/.test(value)) return undefined;
    headers.push(line.slice(0, colon), value);
  }
  return { lines, headers };
}

/** The request head at the start of `bytes`: the head, 'incomplete', or 'malformed' (also when longer than MAX_HEAD_BYTES). */
export function parseRequestHead(bytes: Buffer): RequestHead | 'incomplete' | 'malformed' {
  const end = headEnd(bytes);
  if (end < 0) return bytes.length > MAX_HEAD_BYTES ? 'malformed' : 'incomplete';
  if (end > MAX_HEAD_BYTES) return 'malformed';
  const split = splitHead(bytes, end);
  const start = split && REQUEST_LINE.exec(split.lines[0]);
  if (!split || !start) return 'malformed';
  return { method: start[1], target: start[2], minor: Number(start[3]), headers: split.headers, lines: split.lines, length: end };
}

/** The response head at the start of `bytes`, 'incomplete' or 'malformed'. */
export function parseResponseHead(bytes: Buffer): ResponseHead | 'incomplete' | 'malformed' {
  const end = headEnd(bytes);
  if (end < 0) return bytes.length > 4 * MAX_HEAD_BYTES ? 'malformed' : 'incomplete';
  const split = splitHead(bytes, end);
  const start = split && STATUS_LINE.exec(split.lines[0]);
  if (!split || !start) return 'malformed';
  return { status: Number(start[2]), reason: start[3] ?? '', minor: Number(start[1]), headers: split.headers, lines: split.lines, length: end };
}

/** Every value of a header (case-insensitive name), in order. */
export function headerValues(head: MessageHead, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < head.headers.length; i += 2) {
    if (head.headers[i].length === name.length && head.headers[i].toLowerCase() === name) values.push(head.headers[i + 1]);
  }
  return values;
}

/** The first value of a header, or undefined. */
export function headerValue(head: MessageHead, name: string): string | undefined {
  for (let i = 0; i < head.headers.length; i += 2) {
    if (head.headers[i].length === name.length && head.headers[i].toLowerCase() === name) return head.headers[i + 1];
  }
  return undefined;
}

/** The comma-separated tokens of every instance of a header, lower-cased. */
export function headerTokens(head: MessageHead, name: string): Set<string> {
  const tokens = new Set<string>();
  for (const value of headerValues(head, name)) {
    for (const token of value.split(',')) {
      const trimmed = token.trim().toLowerCase();
      if (trimmed !== '') tokens.add(trimmed);
    }
  }
  return tokens;
}
