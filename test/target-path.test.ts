// A request target's path read without URL parsing where that is safe: the
// answer must be exactly what WHATWG URL parsing gives, for every target
// (the relay routes and taps by it), including the ones the shortcut leaves
// to URL.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { targetPath } from '../edge/http/target-path.js';
import { SeededRandom } from './helpers/ar1-stream.js';

const path = suite('request target path');

function byUrl(target: string): string | undefined {
  try {
    return new URL(target, 'http://target.invalid').pathname;
  } catch {
    return undefined;
  }
}

path('plain targets are their own path up to the query', () => {
  assert.is(targetPath('/predict'), '/predict');
  assert.is(targetPath('/predict?camera=a&x=/y'), '/predict');
  assert.is(targetPath('/v1/models/m:predict'), '/v1/models/m:predict');
  assert.is(targetPath('/'), '/');
});

path('targets URL parsing rewrites get its answer', () => {
  const cases: Array<[string, string | undefined]> = [
    ['/a/../metrics', '/metrics'],
    ['/./healthz', '/healthz'],
    ['/%2e%2e/metrics', '/metrics'],
    ['/a\\b', '/a/b'],
    ['//evil.example/metrics', '/metrics'],
    ['/a b', '/a%20b'],
    ['/a#frag', '/a'],
    ['/caf\u00e9', '/caf%C3%A9'],
    ['http://other.example/predict?x', '/predict'],
    ['*', '/*'],
    ['http://[bad', undefined],
  ];
  for (const [target, expected] of cases) {
    assert.is(targetPath(target), expected, target);
    assert.is(targetPath(target), byUrl(target), target);
  }
});

path('every ASCII character at every place in a target: the same path as URL parsing (seeded)', () => {
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    for (const target of [`/${ch}`, `/a${ch}b`, `/a/${ch}`, `/a/${ch}${ch}/b`, `${ch}/a`, `/a?${ch}`, `/${ch}?q`]) {
      assert.is(targetPath(target), byUrl(target), JSON.stringify(target));
    }
  }
  const alphabet = "/./..%2e%2E?#\\ aZ09-_~!$&'()*+,;=:@`{}<>\"^|[]\t\u00e9";
  const random = new SeededRandom(20261202);
  for (let n = 0; n < 20000; n++) {
    let target = random.uint32() % 4 === 0 ? '' : '/';
    const length = 1 + (random.uint32() % 12);
    for (let i = 0; i < length; i++) target += alphabet[random.uint32() % alphabet.length];
    assert.is(targetPath(target), byUrl(target), JSON.stringify(target));
  }
});

path.run();
