// withDecodedFile: files read into one reused buffer and decoded in the same
// step give the same pixels and errors as decodeFile, in any order of sizes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFile, withDecodedFile, DecodeError, type DecodedFrame } from '../edge/decode.js';
import { repoPath } from './helpers/paths.js';
import { rejection } from './helpers/rejection.js';

const decodedFile = suite('withDecodedFile');

const copied = (frame: DecodedFrame): DecodedFrame => ({ ...frame, data: frame.data.slice() });

decodedFile('small, large, small again, and a PNG between them decode as decodeFile does', async () => {
  const files = ['samples/rocket.jpg', 'samples/hubble_deep_field.jpg', 'samples/camera.png', 'samples/rocket.jpg'].map((file) => repoPath(file));
  for (const scale of [1, 4] as const) {
    for (const file of files) {
      const lent = await withDecodedFile(file, { scale }, copied);
      const own = await decodeFile(file, { scale });
      assert.equal([lent.width, lent.height, lent.format, lent.path], [own.width, own.height, own.format, own.path], file);
      assert.ok(Buffer.from(lent.data).equals(Buffer.from(own.data)), `${file} at 1/${scale}: pixels differ`);
    }
  }
});

decodedFile('missing, empty, truncated and non-image files are rejected naming the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'driftwatch-decoded-file-'));
  try {
    await writeFile(join(dir, 'empty.jpg'), new Uint8Array(0));
    await writeFile(join(dir, 'note.jpg'), 'hello');
    assert.match((await rejection(withDecodedFile(join(dir, 'missing.jpg'), {}, copied))).message, /missing\.jpg: cannot read file \(ENOENT\)/);
    assert.match((await rejection(withDecodedFile(join(dir, 'empty.jpg'), {}, copied))).message, /empty\.jpg: empty file$/);
    assert.match((await rejection(withDecodedFile(join(dir, 'note.jpg'), {}, copied))).message, /not a JPEG or PNG/);
    const truncated = await rejection(withDecodedFile(repoPath('test/fixtures/truncated.jpg'), {}, copied));
    assert.instance(truncated, DecodeError);
    assert.match(truncated.message, /corrupt|truncated/i);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

decodedFile.run();
