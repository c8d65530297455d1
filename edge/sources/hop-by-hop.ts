// The request head the proxy sends upstream: the client's request line and
// headers, in order and case, minus the headers that describe one hop
// (RFC 9110 §7.6.1: Connection and the headers it names, Keep-Alive,
// Proxy-*, TE, Upgrade) and Expect (the relay answered it), with Host
// rewritten to the upstream's. The framing headers (Content-Length,
// Transfer-Encoding, Trailer) stay: the body goes upstream byte for byte.
// An upgrade request keeps its Upgrade header and says Connection: upgrade.
import { isUpgrade } from '../http/body-framing.js';
import { CONNECTION_HEADERS, namedByConnection, rewriteHead } from '../http/head-rewrite.js';
import type { RequestHead } from '../http/http1-head.js';

const HOP_BY_HOP = new Set([...CONNECTION_HEADERS, 'proxy-authenticate', 'proxy-authorization', 'te', 'upgrade', 'expect', 'host']);

export function upstreamRequestHead(head: RequestHead, upstreamHost: string): Buffer {
  const upgrade = isUpgrade(head);
  // An upgrade keeps its Upgrade header though Connection names it: the first test below.
  const named = namedByConnection(head);
  const keep = (name: string) => (upgrade && name === 'upgrade') || (!HOP_BY_HOP.has(name) && !named.has(name));
  return rewriteHead(head, keep, upgrade ? [`Host: ${upstreamHost}`, 'Connection: upgrade'] : [`Host: ${upstreamHost}`]);
}
