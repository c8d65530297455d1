// Decoding: real files decode; bad files give a clear error naming the file.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { decodeFile, decodeImage, DecodeError } from '../edge/decode.js';
import { repoPath } from './helpers/paths.js';
import { pngDeclaring } from './helpers/bad-images.js';
import { rejection } from './helpers/rejection.js';

const decode = suite('decode');


decode('PNG and JPEG photos decode to the expected size and format', async () => {
  const camera = await decodeFile(repoPath('samples/camera.png'));
  assert.equal([camera.width, camera.height, camera.format, camera.data.length], [512, 512, 'gray', 512 * 512]);
  const horse = await decodeFile(repoPath('samples/horse.png'));
  assert.equal([horse.width, horse.height, horse.format], [400, 328, 'rgba']);
  const rocket = await decodeFile(repoPath('samples/rocket.jpg'));
  assert.equal([rocket.width, rocket.height, rocket.format, rocket.data.length], [640, 427, 'rgb', 640 * 427 * 3]);
});

decode('a truncated JPEG is rejected with an error naming the file', async () => {
  const file = repoPath('test/fixtures/truncated.jpg');
  const error = await rejection(decodeFile(file));
  assert.instance(error, DecodeError);
  assert.ok(error.message.startsWith(file), error.message);
  assert.match(error.message, /corrupt|truncated/i);
});

decode('an empty file, a missing file and a non-image are rejected', async () => {
  assert.match((await rejection(decodeImage(new Uint8Array(0), 'empty.jpg'))).message, /^empty\.jpg: empty file$/);
  assert.match((await rejection(decodeFile('/nonexistent/x.png'))).message, /x\.png: cannot read file \(ENOENT\)/);
  assert.match((await rejection(decodeImage(new TextEncoder().encode('hello'), 'note.png'))).message, /not a JPEG or PNG/);
});

decode('a header declaring a memory-exhausting size is refused before decoding', async () => {
  const error = await rejection(decodeImage(pngDeclaring(100_000, 100_000), 'bomb.png'));
  assert.instance(error, DecodeError);
  assert.match(error.message, /bomb\.png: declared size 100000×100000 exceeds the limit of 50000000 pixels/);
  const small = await rejection(decodeImage(pngDeclaring(64, 64), 'short.png', { maxPixels: 1000 }));
  assert.match(small.message, /exceeds the limit of 1000 pixels/);
});

decode('after a bad file, the next good file still decodes', async () => {
  await rejection(decodeFile(repoPath('test/fixtures/truncated.jpg')));
  const bytes = await readFile(repoPath('samples/chelsea.png'));
  const chelsea = await decodeImage(bytes, 'chelsea.png');
  assert.equal([chelsea.width, chelsea.height], [451, 300]);
});

decode.run();
