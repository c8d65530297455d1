// The decode scale on the edge path: JPEG through the WASM decoder, PNG and
// unsupported JPEG through sharp and a box average (checked against a plain
// per-pixel reference), errors naming the file; the baseline header's decode
// settings; --decode-scale in features, baseline build and replay.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeFile, decodeImage, DecodeError } from '../edge/decode.js';
import { boxSubsample } from '../src/box-subsample.js';
import { encodeBaseline, decodeBaseline } from '../src/baseline/baseline-codec.js';
import { BaselineFormatError, decodeSettingsOf } from '../src/baseline/baseline.js';
import { packStandard, unpackStandard } from '../src/codec/standard-msgpack.js';
import { sha256 } from '../src/baseline/sha256.js';
import { goldenBaselineContent } from './helpers/golden-baseline.js';
import { runCli, jsonLines } from './helpers/cli.js';
import { autoDecodeScale } from '../edge/auto-decode-scale.js';
import { repoPath } from './helpers/paths.js';
import { rejection } from './helpers/rejection.js';

const scale = suite('decode scale');

// Mean of each s x s block straight from the definition, one pixel at a time.
function naiveBox(data: Uint8Array, width: number, height: number, channels: number, s: number): Uint8Array {
  const ow = Math.ceil(width / s), oh = Math.ceil(height / s);
  const out = new Uint8Array(ow * oh * channels);
  for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let c = 0; c < channels; c++) {
    let sum = 0, n = 0;
    for (let y = oy * s; y < Math.min(height, oy * s + s); y++) for (let x = ox * s; x < Math.min(width, ox * s + s); x++) {
      sum += data[(y * width + x) * channels + c];
      n++;
    }
    out[(oy * ow + ox) * channels + c] = Math.floor(sum / n + 0.5);
  }
  return out;
}

scale('boxSubsample is the rounded mean of each block, partial blocks at the edges included', () => {
  let seed = 5;
  const data = Uint8Array.from({ length: 13 * 7 * 3 }, () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed >>> 24; });
  for (const s of [2, 4, 8]) {
    const out = boxSubsample({ data, width: 13, height: 7, format: 'rgb' }, s);
    assert.equal([out.width, out.height], [Math.ceil(13 / s), Math.ceil(7 / s)]);
    assert.equal(out.data, naiveBox(data, 13, 7, 3, s), `scale ${s}`);
  }
});

scale('a JPEG goes through the WASM decoder at every scale, close to sharp; decoder: \'sharp\' forces sharp', async () => {
  const rocket = await decodeFile(repoPath('samples/rocket.jpg'), { scale: 2 });
  assert.equal([rocket.width, rocket.height, rocket.format, rocket.path], [320, 214, 'rgb', 'wasm']);
  const full = await decodeFile(repoPath('samples/rocket.jpg'));
  assert.equal([full.width, full.height, full.path], [640, 427, 'wasm']);
  const bySharp = await decodeFile(repoPath('samples/rocket.jpg'), { decoder: 'sharp' });
  assert.equal([bySharp.width, bySharp.height, bySharp.path], [640, 427, 'sharp']);
  let sum = 0;
  for (let i = 0; i < full.data.length; i++) sum += Math.abs(full.data[i] - bySharp.data[i]);
  assert.ok(sum / full.data.length < 0.5, `mean difference ${sum / full.data.length}`);
  const boxed = await decodeFile(repoPath('samples/rocket.jpg'), { scale: 2, decoder: 'sharp' });
  assert.equal([boxed.width, boxed.height, boxed.path], [320, 214, 'sharp-box']);
});

scale('PNG and progressive JPEG at scale 4 fall back to sharp + box average, equal to the reference average', async () => {
  const camera = await decodeFile(repoPath('samples/camera.png'), { scale: 4 });
  assert.equal([camera.width, camera.height, camera.format, camera.path], [128, 128, 'gray', 'sharp-box']);
  const full = await decodeFile(repoPath('samples/camera.png'));
  assert.equal(camera.data, naiveBox(full.data, 512, 512, 1, 4));

  const progressive = new Uint8Array(await sharp(repoPath('samples/coffee.png')).resize(101, 67).removeAlpha().jpeg({ progressive: true }).toBuffer());
  const scaled = await decodeImage(progressive, 'progressive.jpg', { scale: 4 });
  assert.equal([scaled.width, scaled.height, scaled.path], [26, 17, 'sharp-box']);
  const reference = await decodeImage(progressive, 'progressive.jpg');
  assert.equal(scaled.data, naiveBox(reference.data, 101, 67, 3, 4));
});

scale('a corrupt JPEG at scale 2 is a DecodeError naming the file, and the next file decodes', async () => {
  const file = repoPath('test/fixtures/truncated.jpg');
  const error = await rejection(decodeFile(file, { scale: 2 }));
  assert.instance(error, DecodeError);
  assert.match(error.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: corrupt or truncated JPEG data \\(corrupt JPEG: `));
  const next = await decodeFile(repoPath('samples/rocket.jpg'), { scale: 8 });
  assert.equal([next.width, next.height], [80, 54]);
  const big = await rejection(decodeFile(repoPath('samples/rocket.jpg'), { scale: 2, maxPixels: 1000 }));
  assert.match(big.message, /rocket\.jpg: declared size 640×427 exceeds the limit of 1000 pixels/);
  assert.match((await rejection(decodeFile(repoPath('samples/rocket.jpg'), { scale: 3 as 2 }))).message, /scale must be 1, 2, 4 or 8, got 3/);
});

scale('baseline header.decode: written when given, read back; absent means scale 1, step 1; bad values are corruption', async () => {
  const plain = await decodeBaseline((await encodeBaseline(goldenBaselineContent())).bytes);
  assert.is(plain.header.decode, undefined);
  assert.equal(decodeSettingsOf(plain.header), { scale: 1, step: 1 });
  const content = goldenBaselineContent();
  content.header.decode = { scale: 4, step: 2 };
  const { bytes } = await encodeBaseline(content);
  assert.equal((await decodeBaseline(bytes)).header.decode, { scale: 4, step: 2 });
  // Rewrite the body with decode.scale 3 and a matching digest: read as corruption.
  const body = unpackStandard(bytes.subarray(14, bytes.length - 32)) as Record<string, unknown>;
  body.decode = { scale: 3, step: 2 };
  const packed = packStandard(body);
  const bad = new Uint8Array(14 + packed.length + 32);
  bad.set(bytes.subarray(0, 14));
  new DataView(bad.buffer).setUint32(10, packed.length, true);
  bad.set(packed, 14);
  bad.set(await sha256(packed), 14 + packed.length);
  const error = await rejection(decodeBaseline(bad));
  assert.instance(error, BaselineFormatError);
  assert.match(error.message, /decode\.scale \(1, 2, 4 or 8\) is missing or has the wrong type/);
});

const cli = suite('--decode-scale on the command line');
let dir = '';
cli.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftwatch-decode-scale-'));
  await mkdir(join(dir, 'frames'));
  const photo = await sharp(repoPath('samples/chelsea.png')).resize(96, 64).removeAlpha().raw().toBuffer();
  for (let i = 0; i < 6; i++) {
    const frame = Buffer.from(photo.map((v, j) => Math.min(255, v + ((i * 7 + j) % 5))));
    await writeFile(join(dir, 'frames', `f${i}.jpg`), await sharp(frame, { raw: { width: 96, height: 64, channels: 3 } }).jpeg({ quality: 85 }).toBuffer());
  }
});
cli.after(async () => { await rm(dir, { recursive: true, force: true }); });

cli('features --decode-scale 4 measures the 1/4 frame; a bad value is a usage error', async () => {
  const run = await runCli(['features', join(dir, 'frames', 'f0.jpg'), '--json', '--decode-scale', '4']);
  assert.is(run.code, 0, run.stderr);
  const [line] = jsonLines(run.stdout);
  assert.equal([line.width, line.height], [24, 16]);
  const bad = await runCli(['features', join(dir, 'frames', 'f0.jpg'), '--decode-scale', '3']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--decode-scale must be 1, 2, 4 or 8, got '3'/);
});

cli('baseline build records scale and step; replay uses them and refuses others, naming both', async () => {
  const file = join(dir, 'b.dwb');
  const build = await runCli(['baseline', 'build', join(dir, 'frames'), '-o', file, '--decode-scale', '2', '--step', '2']);
  assert.is(build.code, 0, build.stderr);
  const baseline = await decodeBaseline(new Uint8Array(await readFile(file)));
  assert.equal(baseline.header.decode, { scale: 2, step: 2 });
  const inspect = await runCli(['baseline', 'inspect', file]);
  assert.match(inspect.stdout, /decode\s+scale 1\/2, step 2\n/);

  const replay = await runCli(['replay', join(dir, 'frames'), '--baseline', file, '--json']);
  assert.is(replay.code, 0, replay.stderr);
  assert.is(jsonLines(replay.stdout).at(-1)!.processed, 6);
  const otherScale = await runCli(['replay', join(dir, 'frames'), '--baseline', file, '--decode-scale', '4']);
  assert.is(otherScale.code, 2);
  assert.match(otherScale.stderr, /--decode-scale 4 differs from the baseline's decode scale 2/);
  const otherStep = await runCli(['replay', join(dir, 'frames'), '--baseline', file, '--step', '1']);
  assert.is(otherStep.code, 2);
  assert.match(otherStep.stderr, /--step 1 differs from the baseline's step 2/);
});

cli('baseline build without --decode-scale: half size from 640×480 (the first image that decodes), whole below it', async () => {
  const photo = await sharp(repoPath('samples/chelsea.png')).removeAlpha().resize(640, 480, { fit: 'fill' }).raw().toBuffer();
  const large = join(dir, 'large');
  await mkdir(large);
  // A broken first file: the choice comes from the next one, and the build still reports and skips it.
  await writeFile(join(large, 'a-broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2]));
  for (let i = 0; i < 3; i++) {
    const frame = Buffer.from(photo.map((v, j) => Math.min(255, v + ((i * 3 + j) % 4))));
    await writeFile(join(large, `f${i}.jpg`), await sharp(frame, { raw: { width: 640, height: 480, channels: 3 } }).jpeg({ quality: 85 }).toBuffer());
  }
  const headerOf = async (file: string) => (await decodeBaseline(new Uint8Array(await readFile(file)))).header.decode;

  const auto = await runCli(['baseline', 'build', large, '-o', join(dir, 'auto.dwb')]);
  assert.is(auto.code, 0, auto.stderr);
  assert.match(auto.stdout, /decode scale 1\/2: chosen for 640×480 frames \(measured at half size; --decode-scale 1 measures them whole\)/);
  assert.match(auto.stderr, /skipped .*a-broken\.jpg/);
  assert.equal(await headerOf(join(dir, 'auto.dwb')), { scale: 2, step: 1 });
  const replay = await runCli(['replay', large, '--baseline', join(dir, 'auto.dwb'), '--json']);
  assert.is(replay.code, 0, replay.stderr);
  const summary = jsonLines(replay.stdout).at(-1)!;
  assert.equal([summary.type, summary.processed, summary.rejected], ['summary', 3, 1]);

  const named = await runCli(['baseline', 'build', large, '-o', join(dir, 'named.dwb'), '--decode-scale', 'auto']);
  assert.is(named.code, 0, named.stderr);
  assert.equal(await headerOf(join(dir, 'named.dwb')), { scale: 2, step: 1 });
  const bad = await runCli(['baseline', 'build', large, '-o', join(dir, 'bad.dwb'), '--decode-scale', 'half']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--decode-scale must be 1, 2, 4, 8 or auto, got 'half'/);
  const whole = await runCli(['baseline', 'build', large, '-o', join(dir, 'whole.dwb'), '--decode-scale', '1']);
  assert.is(whole.code, 0, whole.stderr);
  assert.not.match(whole.stdout, /chosen for/);
  assert.equal(await headerOf(join(dir, 'whole.dwb')), { scale: 1, step: 1 });

  const small = await runCli(['baseline', 'build', join(dir, 'frames'), '-o', join(dir, 'small.dwb')]);
  assert.is(small.code, 0, small.stderr);
  assert.match(small.stdout, /decode scale 1\/1: chosen for 96×64 frames \(under 640×480, measured whole\)/);
  assert.equal(await headerOf(join(dir, 'small.dwb')), { scale: 1, step: 1 });
});

cli('autoDecodeScale: half size only when both sides reach 640×480, in either orientation', () => {
  assert.is(autoDecodeScale(640, 480), 2);
  assert.is(autoDecodeScale(480, 640), 2);
  assert.is(autoDecodeScale(1920, 1080), 2);
  assert.is(autoDecodeScale(639, 480), 1);
  assert.is(autoDecodeScale(640, 479), 1);
  assert.is(autoDecodeScale(1280, 400), 1);
  assert.is(autoDecodeScale(320, 240), 1);
});

scale.run();
cli.run();
