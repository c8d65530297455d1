// The baseline digest's SHA-256 against OpenSSL's (node:crypto), at every
// length around the padding's block boundaries and at seeded larger sizes.
import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sha256, toHex } from '../src/baseline/sha256.js';
import { SeededRandom } from './helpers/ar1-stream.js';

const digest = suite('sha256');

function reference(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function seededBytes(random: SeededRandom, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = random.uint32() & 0xff;
  return bytes;
}

digest('FIPS 180-4 examples', () => {
  assert.is(toHex(sha256(new Uint8Array(0))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.is(toHex(sha256(new TextEncoder().encode('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.is(toHex(sha256(new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
});

digest('every length from 0 to 300 bytes (one and two padding blocks)', () => {
  const random = new SeededRandom(256);
  for (let length = 0; length <= 300; length++) {
    const bytes = seededBytes(random, length);
    assert.is(toHex(sha256(bytes)), reference(bytes), `length ${length}`);
  }
});

digest('seeded sizes up to 2 MiB, and a view into a larger buffer', () => {
  const random = new SeededRandom(180);
  for (let i = 0; i < 12; i++) {
    const bytes = seededBytes(random, Math.floor(random.uniform() * 2 * 1024 * 1024));
    assert.is(toHex(sha256(bytes)), reference(bytes), `length ${bytes.length}`);
  }
  const whole = seededBytes(random, 10_000);
  const view = whole.subarray(333, 9_001);
  assert.is(toHex(sha256(view)), reference(view));
});

digest.run();
