// The relay's body framing on its own: a chunked body fed in every possible
// split still ends at the right byte with the right content, lengths and
// framings are read from heads as RFC 9112 says, and bad heads are refused.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BodyReader, requestFraming, responseFraming } from '../edge/http/body-framing.js';
import { parseRequestHead, parseResponseHead, type RequestHead, type ResponseHead } from '../edge/http/http1-head.js';

const framing = suite('body framing');

const request = (text: string) => parseRequestHead(Buffer.from(text, 'latin1')) as RequestHead;
const response = (text: string) => parseResponseHead(Buffer.from(text, 'latin1')) as ResponseHead;

framing('a chunked body split at every pair of points ends at its last byte, content intact, next message untouched', () => {
  const body = Buffer.from('4;name=x\r\nWiki\r\n6\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nTrailer: yes\r\n\r\n', 'latin1');
  const next = Buffer.from('GET /next HTTP/1.1\r\n\r\n');
  const wire = Buffer.concat([body, next]);
  for (let a = 0; a <= wire.length; a += 3) {
    for (let b = a; b <= wire.length; b += 5) {
      const content: Buffer[] = [];
      const reader = new BodyReader({ kind: 'chunked' }, (slice) => content.push(Buffer.from(slice)));
      let used = 0;
      for (const piece of [wire.subarray(0, a), wire.subarray(a, b), wire.subarray(b)]) used += reader.feed(piece);
      assert.ok(reader.done && !reader.invalid, `split ${a}/${b}`);
      assert.is(used, body.length, `split ${a}/${b}`);
      assert.is(Buffer.concat(content).toString(), 'Wikipedia in \r\n\r\nchunks.');
    }
  }
  const broken = new BodyReader({ kind: 'chunked' });
  broken.feed(Buffer.from('zz\r\n'));
  assert.ok(broken.invalid);
});

framing('request and response framing follow the heads', () => {
  assert.equal(requestFraming(request('POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n')), { kind: 'length', length: 12 });
  assert.equal(requestFraming(request('POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n')), { kind: 'chunked' });
  assert.equal(requestFraming(request('GET / HTTP/1.1\r\n\r\n')), { kind: 'none' });
  assert.is(requestFraming(request('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n')), 'invalid');
  assert.is(requestFraming(request('POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n')), 'invalid');
  assert.is(requestFraming(request('POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n')), 'invalid');
  const get = request('GET / HTTP/1.1\r\n\r\n');
  assert.equal(responseFraming(response('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n'), request('HEAD / HTTP/1.1\r\n\r\n')), { kind: 'none' });
  assert.equal(responseFraming(response('HTTP/1.1 204 No Content\r\n\r\n'), get), { kind: 'none' });
  assert.equal(responseFraming(response('HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n'), get), { kind: 'none' });
  assert.equal(responseFraming(response('HTTP/1.1 200 OK\r\n\r\n'), get), { kind: 'until-close' });
  assert.equal(responseFraming(response('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'), get), { kind: 'chunked' });
  assert.equal(responseFraming(response('HTTP/1.1 101 Switching Protocols\r\n\r\n'), request('GET / HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: ws\r\n\r\n')), { kind: 'tunnel' });
  assert.is(responseFraming(response('HTTP/1.1 101 Switching Protocols\r\n\r\n'), get), 'invalid');
  assert.equal(responseFraming(response('HTTP/1.1 200 Connection Established\r\n\r\n'), request('CONNECT host:443 HTTP/1.1\r\n\r\n')), { kind: 'tunnel' });
});

framing('heads: LF-only lines and latin1 bytes are read; folding, spaces before colons and oversized heads are refused', () => {
  const head = parseRequestHead(Buffer.from('GET /a?b HTTP/1.0\nX-Name: caf\xe9 \n\nrest', 'latin1'));
  assert.ok(typeof head === 'object');
  assert.equal([head.method, head.target, head.minor, head.headers, head.length], ['GET', '/a?b', 0, ['X-Name', 'caf\xe9'], 'GET /a?b HTTP/1.0\nX-Name: caf\xe9 \n\n'.length]);
  assert.is(parseRequestHead(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n')), 'incomplete');
  assert.is(parseRequestHead(Buffer.from('GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n')), 'malformed');
  assert.is(parseRequestHead(Buffer.from('GET / HTTP/1.1\r\nX : a\r\n\r\n')), 'malformed');
  assert.is(parseRequestHead(Buffer.from('GET / HTTP/2.0\r\n\r\n')), 'malformed');
  assert.is(parseRequestHead(Buffer.from(`GET / HTTP/1.1\r\nX: ${'a'.repeat(17_000)}`)), 'malformed');
});

framing.run();
