// Bad and unsupported input to the WASM JPEG decoder: every cut and seeded
// byte flips end in a JpegDecodeError (or a valid decode), never a trap or a
// hang; unsupported processes are named; the decoder keeps working after each.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { loadJpegDecoder } from '../edge/library.js';
import { JpegDecodeError, JpegUnsupportedError } from '../src/jpeg/jpeg-status.js';
import type { JpegDecoder } from '../src/jpeg/jpeg-decoder.js';
import { writeJpeg } from './helpers/jpeg-writer.js';
import { repoPath } from './helpers/paths.js';

function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

function thrown(run: () => unknown): Error | undefined {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  return undefined;
}

async function sampleJpeg(options: { progressive?: boolean } = {}): Promise<Uint8Array> {
  return new Uint8Array(await sharp(repoPath('samples', 'coffee.png')).resize(96, 64).removeAlpha().jpeg({ quality: 85, ...options }).toBuffer());
}

// The first marker `code` after SOI (a segment's first byte), or -1.
function markerAt(bytes: Uint8Array, code: number): number {
  for (let i = 2; i + 1 < bytes.length; i++) if (bytes[i] === 0xff && bytes[i + 1] === code) return i;
  return -1;
}

for (const simd of [true, false]) {
  const test = suite(`WASM JPEG decoder, bad input (${simd ? 'SIMD' : 'scalar'} build)`);
  let decoder: JpegDecoder;
  let good: Uint8Array;
  let expected: Uint8Array;
  test.before(async () => {
    decoder = await loadJpegDecoder({ simd });
    good = await sampleJpeg();
    expected = decoder.decode(good).data;
  });
  const stillWorks = (label: string) => assert.equal(decoder.decode(good).data, expected, `decodes a good frame after ${label}`);

  test('test/fixtures/truncated.jpg is a JpegDecodeError; the next frame decodes', async () => {
    const truncated = new Uint8Array(await readFile(repoPath('test/fixtures/truncated.jpg')));
    for (const scale of [1, 2, 8] as const) {
      const error = thrown(() => decoder.decode(truncated, { scale }));
      assert.instance(error, JpegDecodeError);
      assert.match(error!.message, /^corrupt JPEG: (truncated data|incomplete image)/);
    }
    stillWorks('truncated.jpg');
  });

  test('every cut of a file is an error, at every scale', () => {
    for (let cut = 0; cut < good.length - 1; cut += 97) {
      for (const scale of [1, 4] as const) {
        const error = thrown(() => decoder.decode(good.subarray(0, cut), { scale }));
        assert.instance(error, JpegDecodeError, `cut at ${cut}, scale ${scale}: ${error?.message}`);
      }
    }
    assert.instance(thrown(() => decoder.decode(good.subarray(0, good.length - 2))), JpegDecodeError, 'no EOI');
    stillWorks('cuts');
  });

  test('seeded byte flips in headers and scan data: a decode or a JpegDecodeError, nothing else', () => {
    const random = seeded(7);
    let errors = 0;
    for (let trial = 0; trial < 400; trial++) {
      const bad = good.slice();
      const where = trial < 200 ? Math.floor(random() * Math.min(700, bad.length)) : Math.floor(random() * bad.length);
      bad[where] ^= 1 + Math.floor(random() * 255);
      const error = thrown(() => {
        const image = decoder.decode(bad, { scale: trial % 2 ? 1 : 2 });
        assert.ok(image.width > 0 && image.height > 0);
      });
      if (error) {
        errors++;
        assert.ok(error instanceof JpegDecodeError || error instanceof JpegUnsupportedError || error instanceof RangeError,
          `flip at ${where}: ${error.name}: ${error.message}`);
        // nothing of the failed decode (e.g. a half-filled coefficient block) reaches the next one
        stillWorks(`the flip at ${where}`);
      }
    }
    assert.ok(errors > 20, `${errors} of 400 flips detected`);
    stillWorks('byte flips');
  });

  test('not a JPEG, and a corrupt Huffman table, are named', () => {
    assert.match(thrown(() => decoder.decode(new TextEncoder().encode('hello, world')))!.message, /not a JPEG/);
    const bad = good.slice();
    const dht = markerAt(bad, 0xc4);
    bad[dht + 4] = 0x27; // table class 2
    assert.match(thrown(() => decoder.decode(bad))!.message, /bad Huffman table \(DHT\) \(at byte \d+\)/);
    stillWorks('a bad table');
  });

  test('progressive, arithmetic, lossless, 12-bit and CMYK are unsupported with the reason', async () => {
    const progressive = await sampleJpeg({ progressive: true });
    assert.match(thrown(() => decoder.decode(progressive))!.message, /^unsupported: progressive JPEG \(SOF2\)$/);
    assert.instance(thrown(() => decoder.decode(progressive)), JpegUnsupportedError);
    const sof = markerAt(good, 0xc0);
    for (const [code, reason] of [[0xc9, /arithmetic coding/], [0xc3, /lossless/], [0xc5, /hierarchical/]] as const) {
      const patched = good.slice();
      patched[sof + 1] = code;
      assert.match(thrown(() => decoder.decode(patched))!.message, reason);
    }
    const twelve = good.slice();
    twelve[sof + 4] = 12;
    assert.match(thrown(() => decoder.decode(twelve))!.message, /unsupported: sample precision/);
    const cmyk = new Uint8Array(await sharp(repoPath('samples', 'coffee.png')).resize(32, 32).toColourspace('cmyk').jpeg().toBuffer());
    assert.match(thrown(() => decoder.decode(cmyk))!.message, /unsupported: component count other than 1 or 3/);
    stillWorks('unsupported files');
  });

  test('a missing restart marker is an error', () => {
    const jpeg = writeJpeg(new Uint8Array(64 * 32).fill(90), { width: 64, height: 32, channels: 1, restartInterval: 2 });
    const rst = markerAt(jpeg, 0xd0);
    assert.ok(rst > 0);
    const swapped = jpeg.slice();
    swapped[rst + 1] = 0xd3; // RST3 where RST0 belongs
    assert.match(thrown(() => decoder.decode(swapped))!.message, /restart marker/);
    stillWorks('a bad restart');
  });

  test('a header declaring more than maxPixels is refused before decoding', () => {
    const error = thrown(() => decoder.decode(good, { maxPixels: 1000 }));
    assert.instance(error, RangeError);
    assert.match(error!.message, /declared size 96×64 exceeds the limit of 1000 pixels/);
  });

  test.run();
}
