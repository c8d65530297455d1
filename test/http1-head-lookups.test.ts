// The relay's allocation-free header lookups against the plain ones they
// stand for: hasToken(head, name, token) answers as
// headerTokens(head, name).has(token) (split on commas, trimmed, lower-cased),
// and headerValue/headerValues match names as toLowerCase() would, over
// seeded random heads with mixed case, spaces, tabs, NBSPs, empty items and
// latin1 letters.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { hasToken, headerTokens, headerValue, headerValues, onlyToken, parseRequestHead, parseResponseHead, type RequestHead, type ResponseHead } from '../edge/http/http1-head.js';
import { CONNECTION_HEADERS, clientResponseHead, namedByConnection, rewriteHead } from '../edge/http/head-rewrite.js';
import type { MessageHead } from '../edge/http/http1-head.js';
import { contentLength } from '../edge/http/body-framing.js';
import { upstreamRequestHead } from '../edge/sources/hop-by-hop.js';

const lookups = suite('http1-head: header lookups');

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

const PIECES = ['close', 'Close', 'CLOSE', 'keep-alive', 'Keep-Alive', 'upgrade', 'UpGrade', 'te', 'x', 'closed', 'clos', 'À', 'é',
  ',', ',', ',', ' ', ' ', '\t', '\u00a0', 'content-length', 'Transfer-Encoding'];
const NAMES = ['Connection', 'connection', 'CONNECTION', 'Connectio', 'Connections', 'Upgrade', 'X-Other', 'Keep-Alive', 'Close', 'TE', 'Content-Length'];
const TOKENS = ['close', 'keep-alive', 'upgrade', 'te', 'x', 'à', 'content-length', 'clos', ''];

function randomHead(random: () => number): RequestHead {
  const lines = ['GET / HTTP/1.1'];
  const count = Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    let value = '';
    const length = Math.floor(random() * 7);
    for (let j = 0; j < length; j++) value += PIECES[Math.floor(random() * PIECES.length)];
    lines.push(`${NAMES[Math.floor(random() * NAMES.length)]}:${random() < 0.5 ? ' ' : ''}${value}`);
  }
  const head = parseRequestHead(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'));
  assert.ok(typeof head === 'object', lines.join(' | '));
  return head as RequestHead;
}

lookups('hasToken equals headerTokens(...).has on 20,000 seeded heads', () => {
  const random = seeded(20261203);
  for (let n = 0; n < 20_000; n++) {
    const head = randomHead(random);
    for (const name of ['connection', 'upgrade']) {
      const tokens = headerTokens(head, name);
      for (const token of TOKENS) assert.is(hasToken(head, name, token), tokens.has(token), `${name} ${JSON.stringify(token)} in ${JSON.stringify(head.headers)}`);
    }
  }
});

lookups('onlyToken equals "headerTokens(...) is not empty and holds nothing else" on 20,000 seeded heads', () => {
  const random = seeded(99);
  for (let n = 0; n < 20_000; n++) {
    const head = randomHead(random);
    const tokens = headerTokens(head, 'connection');
    const present = headerValue(head, 'connection') !== undefined;
    for (const token of TOKENS.filter((t) => t !== '')) {
      const expected = present && [...tokens].every((t) => t === token);
      assert.is(onlyToken(head, 'connection', token), expected, `${JSON.stringify(token)} in ${JSON.stringify(head.headers)}`);
    }
  }
});

// A head rewritten the plain way: one string, then its latin1 bytes.
function rewriteByString(head: MessageHead, keep: (name: string) => boolean, extra: readonly string[], startLine = head.lines[0]): Buffer {
  const kept = head.lines.slice(1).filter((_, i) => keep(head.headers[2 * i].toLowerCase()));
  return Buffer.from([startLine, ...kept, ...extra].map((line) => `${line}\r\n`).join('') + '\r\n', 'latin1');
}

lookups('rewriteHead writes the same bytes as joining the kept lines into a string, small heads and one of 15 KB alike', () => {
  const random = seeded(5);
  const big = parseRequestHead(Buffer.from(`GET /big HTTP/1.1\r\n${Array.from({ length: 260 }, (_, i) => `X-Filler-${i}: ${'v'.repeat(40)}`).join('\r\n')}\r\n\r\n`, 'latin1')) as RequestHead;
  assert.ok(big.length > 14_000 && big.length < 16_384);
  for (const head of [big, ...Array.from({ length: 2_000 }, () => randomHead(random))]) {
    const keep = (name: string) => name.length % 3 !== 0;
    const extra = random() < 0.5 ? ['Host: modèle:3000'] : [];
    assert.is(rewriteHead(head, keep, extra).toString('latin1'), rewriteByString(head, keep, extra).toString('latin1'));
    assert.is(rewriteHead(head, keep, extra, 'GET /other HTTP/1.1').toString('latin1'), rewriteByString(head, keep, extra, 'GET /other HTTP/1.1').toString('latin1'));
  }
});

// The rewrites as they were before namedByConnection learnt its shortcut: every token Connection names is left out.
function plainNamed(head: RequestHead | ResponseHead): Set<string> {
  const named = headerTokens(head, 'connection');
  named.delete('content-length');
  named.delete('transfer-encoding');
  return named;
}

lookups('the rewritten request and response heads equal those that leave out every header Connection names, on 20,000 seeded heads', () => {
  const random = seeded(4242);
  const hopByHop = new Set([...CONNECTION_HEADERS, 'proxy-authenticate', 'proxy-authorization', 'te', 'upgrade', 'expect', 'host']);
  for (let n = 0; n < 20_000; n++) {
    const request = randomHead(random);
    const named = plainNamed(request);
    const upgrade = hasToken(request, 'connection', 'upgrade') && headerValue(request, 'upgrade') !== undefined;
    const expected = rewriteByString(request, (name) => (upgrade && name === 'upgrade') || (!hopByHop.has(name) && !named.has(name)),
      upgrade ? ['Host: model:3000', 'Connection: upgrade'] : ['Host: model:3000']);
    assert.is(upstreamRequestHead(request, 'model:3000').toString('latin1'), expected.toString('latin1'));
    const response = parseResponseHead(Buffer.from(`HTTP/1.1 200 OK\r\n${request.lines.slice(1).join('\r\n')}${request.lines.length > 1 ? '\r\n' : ''}\r\n`, 'latin1')) as ResponseHead;
    const responseNamed = plainNamed(response);
    const keep = random() < 0.5;
    const expectedResponse = rewriteByString(response, (name) => !CONNECTION_HEADERS.has(name) && !responseNamed.has(name),
      keep ? ['Connection: keep-alive', 'Keep-Alive: timeout=5'] : ['Connection: close']);
    assert.is(clientResponseHead(response, keep, 5000).toString('latin1'), expectedResponse.toString('latin1'));
  }
});

lookups('contentLength reads one plain value directly and lists otherwise, as reading every comma-separated item does', () => {
  const reference = (head: RequestHead): number | undefined | 'invalid' => {
    const items = headerValues(head, 'content-length').flatMap((value) => value.split(',').map((item) => item.trim()));
    if (items.length === 0) return undefined;
    return items.every((item) => /^\d{1,15}$/.test(item) && item === items[0]) ? Number(items[0]) : 'invalid';
  };
  const random = seeded(31);
  const values = ['12', '0', '007', ' 12', '12, 12', '12,13', '', 'x', '1234567890123456', '123456789012345', '12 ,12', ',12'];
  for (let n = 0; n < 5_000; n++) {
    const lines = ['POST / HTTP/1.1'];
    const count = Math.floor(random() * 3);
    for (let i = 0; i < count; i++) lines.push(`${random() < 0.5 ? 'Content-Length' : 'content-length'}: ${values[Math.floor(random() * values.length)]}`);
    if (random() < 0.3) lines.push('X-Other: 5');
    const head = parseRequestHead(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')) as RequestHead;
    assert.is(contentLength(head), reference(head), lines.join(' | '));
  }
});

lookups('headerValue and headerValues match names case-insensitively, as toLowerCase() does', () => {
  const random = seeded(7);
  for (let n = 0; n < 5_000; n++) {
    const head = randomHead(random);
    for (const name of ['connection', 'upgrade', 'x-other', 'connectio']) {
      const expected = head.headers.filter((_, i) => i % 2 === 1 && head.headers[i - 1].toLowerCase() === name);
      assert.equal(headerValues(head, name), expected);
      assert.is(headerValue(head, name), expected[0]);
    }
  }
});

lookups('namedByConnection: the named headers less the framing ones, none without a Connection header', () => {
  const head = (text: string) => parseRequestHead(Buffer.from(`GET / HTTP/1.1\r\n${text}\r\n`, 'latin1')) as RequestHead;
  assert.equal([...namedByConnection(head('Connection: X-Trace, Content-Length,  Keep-Alive\r\nConnection: transfer-encoding, TE\r\n'))], ['x-trace', 'keep-alive', 'te']);
  assert.is(namedByConnection(head('Host: a\r\n')).size, 0);
  assert.is(namedByConnection(head('Connection: \r\n')).size, 0);
});

lookups.run();
