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
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return undefined;
    const value = line.slice(colon + 1).trim();
    if (/[\r\n\0]/.test(value)) return undefined;
    headers.push(name, value);
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

// The lookups below run several times for every message the relay passes
// (framing, Connection, Expect, ...). They allocate nothing beyond what they
// return, which cut the relay's heap garbage per call by about a quarter
// (BENCHMARKS.md, issue 6, tenth session).

/** Whether a header name equals `lower` (already lower case), as name.toLowerCase() === lower for a latin1 name. */
function isName(name: string, lower: string): boolean {
  return name.length === lower.length && sameLower(name, 0, lower);
}

/** Every value of a header (case-insensitive name), in order. */
export function headerValues(head: MessageHead, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < head.headers.length; i += 2) {
    if (isName(head.headers[i], name)) values.push(head.headers[i + 1]);
  }
  return values;
}

/** The first value of a header, or undefined. */
export function headerValue(head: MessageHead, name: string): string | undefined {
  for (let i = 0; i < head.headers.length; i += 2) {
    if (isName(head.headers[i], name)) return head.headers[i + 1];
  }
  return undefined;
}

/** A header's value when it appears exactly once; undefined when absent; null when it appears more than once. */
export function singleHeaderValue(head: MessageHead, name: string): string | undefined | null {
  let value: string | undefined;
  for (let i = 0; i < head.headers.length; i += 2) {
    if (!isName(head.headers[i], name)) continue;
    if (value !== undefined) return null;
    value = head.headers[i + 1];
  }
  return value;
}

/** The comma-separated tokens of every instance of a header, lower-cased. */
export function headerTokens(head: MessageHead, name: string): Set<string> {
  const tokens = new Set<string>();
  for (let i = 0; i < head.headers.length; i += 2) {
    if (!isName(head.headers[i], name)) continue;
    const items = head.headers[i + 1].split(',');
    for (let j = 0; j < items.length; j++) {
      const trimmed = items[j].trim().toLowerCase();
      if (trimmed !== '') tokens.add(trimmed);
    }
  }
  return tokens;
}

// What compareItems found in a list: an item equal to the token, a non-empty item that is not.
const HOLDS = 1;
const HOLDS_OTHER = 2;

/** Whether `token` (lower case, not empty) is one of a header's comma-separated tokens, as headerTokens(head, name).has(token). */
export function hasToken(head: MessageHead, name: string, token: string): boolean {
  if (token === '') return false; // headerTokens leaves empty items out
  for (let i = 0; i < head.headers.length; i += 2) {
    if (isName(head.headers[i], name) && (compareItems(head.headers[i + 1], token) & HOLDS) !== 0) return true;
  }
  return false;
}

/** Whether a header is present and each of its non-empty tokens is `token` (lower case, not empty), as every member of headerTokens(head, name) being `token`. */
export function onlyToken(head: MessageHead, name: string, token: string): boolean {
  if (token === '') return false;
  let present = false;
  for (let i = 0; i < head.headers.length; i += 2) {
    if (!isName(head.headers[i], name)) continue;
    present = true;
    if ((compareItems(head.headers[i + 1], token) & HOLDS_OTHER) !== 0) return false;
  }
  return present;
}

/**
 * Compares each item of a comma-separated list with `token` (lower case, not
 * empty), items trimmed and lower-cased as trim() and toLowerCase() would for
 * latin1 text; empty items are skipped, as headerTokens leaves them out.
 */
function compareItems(list: string, token: string): number {
  let found = 0;
  for (let start = 0; start <= list.length;) {
    let end = list.indexOf(',', start);
    if (end < 0) end = list.length;
    let from = start, to = end;
    while (from < to && isTrimmed(list.charCodeAt(from))) from++;
    while (to > from && isTrimmed(list.charCodeAt(to - 1))) to--;
    if (to > from) found |= to - from === token.length && sameLower(list, from, token) ? HOLDS : HOLDS_OTHER;
    start = end + 1;
  }
  return found;
}

function sameLower(text: string, at: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    if (fold(text.charCodeAt(at + i)) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** A latin1 character lower-cased as String.prototype.toLowerCase does (A–Z, and À–Þ but ×). */
function fold(c: number): number {
  return (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde && c !== 0xd7) ? c + 32 : c;
}

/** The characters String.prototype.trim removes that a latin1 head can hold. */
function isTrimmed(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
}
