// Headers that describe one connection, not the message: a proxy must not
// pass them on (RFC 9110 §7.6.1), nor any header the Connection header names.
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization',
  'te', 'trailer', 'transfer-encoding', 'upgrade',
]);

/** The end-to-end headers of a raw header list ([name, value, name, value, ...]), order and case kept. */
export function endToEndHeaders(rawHeaders: readonly string[], alsoDrop: readonly string[] = []): string[] {
  const drop = new Set([...HOP_BY_HOP, ...alsoDrop]);
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() !== 'connection') continue;
    for (const token of rawHeaders[i + 1].split(',')) drop.add(token.trim().toLowerCase());
  }
  const kept: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (!drop.has(rawHeaders[i].toLowerCase())) kept.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  return kept;
}

/** A raw header list as the object node:http's request() takes (repeated names become arrays). */
export function headerObject(rawHeaders: readonly string[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const existing = headers[name];
    if (existing === undefined) headers[name] = rawHeaders[i + 1];
    else headers[name] = Array.isArray(existing) ? [...existing, rawHeaders[i + 1]] : [existing, rawHeaders[i + 1]];
  }
  return headers;
}
