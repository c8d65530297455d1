// `driftwatch baseline build` and `inspect` on the sample photos, as a user runs them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFile, mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, jsonLines } from './helpers/cli.js';
import { repoPath } from './helpers/paths.js';
import { decodeBaseline } from '../src/baseline/baseline-codec.js';
import { SCALAR_FEATURE_NAMES } from '../src/catalogue.js';

const cli = suite('driftwatch baseline');
let dir = '';
const PHOTOS = ['astronaut.png', 'chelsea.png', 'coffee.png', 'rocket.jpg'];

cli.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftwatch-baseline-'));
  await (await import('node:fs/promises')).mkdir(join(dir, 'refs'));
  for (const name of PHOTOS) await copyFile(repoPath('samples', name), join(dir, 'refs', name));
  await copyFile(repoPath('test/fixtures/truncated.jpg'), join(dir, 'refs', 'zz-truncated.jpg'));
  await writeFile(join(dir, 'predictions.jsonl'), [
    '{"file": "astronaut.png", "label": "person", "score": 0.9}',
    '{"file": "chelsea.png", "scores": {"cat": 0.8, "dog": 0.2}}',
    'this line is not json',
    '{"file": "coffee.png", "top": [{"label": "cup", "score": 0.7}]}',
    '{"file": "rocket.jpg", "detections": [{"label": "rocket", "score": 0.9}, {"label": "person", "score": 0.3}]}',
    '',
  ].join('\n'));
});
cli.after(async () => { await rm(dir, { recursive: true, force: true }); });

cli('build → inspect → load: moments equal the features of the photos', async () => {
  const out = join(dir, 'refs.dwb');
  const build = await runCli(['baseline', 'build', join(dir, 'refs'), '-o', out, '--predictions', join(dir, 'predictions.jsonl'), '--model', 'demo-net', '--model-version', '3.1']);
  assert.is(build.code, 0, build.stderr);
  assert.match(build.stdout, /wrote .*refs\.dwb: 4 frames, \d+ bytes, sha256:[0-9a-f]{64}/);
  assert.match(build.stderr, /zz-truncated\.jpg: corrupt/);
  assert.match(build.stderr, /predictions\.jsonl:3: skipped/);
  assert.match(build.stderr, /skipped 1 images and 1 prediction lines/);
  assert.equal(await readdir(dir), ['predictions.jsonl', 'refs', 'refs.dwb'], 'no temporary file left behind');

  const baseline = await decodeBaseline(new Uint8Array(await readFile(out)));
  assert.is(baseline.header.frameCount, 4);
  assert.equal(baseline.header.skipped, { frames: 1, predictions: 1 });
  assert.equal(baseline.header.model, { id: 'demo-net', version: '3.1' });
  assert.equal(baseline.categorical.predicted_class.entries(), [['person', 2], ['cat', 1], ['cup', 1], ['rocket', 1]]);

  const features = jsonLines((await runCli(['features', '--json', ...PHOTOS.map((p) => join(dir, 'refs', p))])).stdout);
  for (const name of SCALAR_FEATURE_NAMES) {
    const values = features.map((f) => (f.features as Record<string, number>)[name]);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const f = baseline.features[name];
    assert.ok(Math.abs(f.mean - mean) <= 1e-9 * Math.max(1, Math.abs(mean)), `${name} mean ${f.mean} vs ${mean}`);
    assert.is(f.min, Math.min(...values), `${name} min`);
    assert.is(f.max, Math.max(...values), `${name} max`);
    assert.is(f.sketch.n, 4);
  }
  const lumaTotal = baseline.histograms.luma.reduce((a, b) => a + b, 0);
  assert.is(lumaTotal, 512 * 512 + 451 * 300 + 600 * 400 + 640 * 427);

  const human = await runCli(['baseline', 'inspect', out]);
  assert.is(human.code, 0, human.stderr);
  assert.match(human.stdout, /model +demo-net 3\.1/);
  assert.match(human.stdout, /frames +4 \(skipped: 1 images, 1 prediction lines\)/);
  assert.match(human.stdout, /luma_mean /);
  assert.match(human.stdout, /predicted_class +5 in 4 classes: person 2, cat 1, cup 1, rocket 1/);
  const json = JSON.parse((await runCli(['baseline', 'inspect', '--json', out])).stdout) as Record<string, any>;
  assert.is(json.header.digest, baseline.header.digest);
  assert.is(json.features.luma_mean.count, 4);
  assert.is(json.features.luma_mean.quantiles.p50, baseline.features.luma_mean.sketch.quantile(0.5));
});

cli('inspect refuses a corrupt file with exit code 1', async () => {
  const out = join(dir, 'small.dwb');
  assert.is((await runCli(['baseline', 'build', join(dir, 'refs'), '-o', out])).code, 0);
  const bytes = await readFile(out);
  bytes[bytes.length - 40] ^= 1;
  await writeFile(out, bytes);
  const result = await runCli(['baseline', 'inspect', out]);
  assert.is(result.code, 1);
  assert.match(result.stderr, /small\.dwb: possible corruption: the SHA-256 digest does not match/);
});

cli('bad usage exits 2 and says what is wrong', async () => {
  const noOutput = await runCli(['baseline', 'build', join(dir, 'refs')]);
  assert.is(noOutput.code, 2);
  assert.match(noOutput.stderr, /-o <file>/);
  const half = await runCli(['baseline', 'build', join(dir, 'refs'), '-o', join(dir, 'x.dwb'), '--model', 'm']);
  assert.is(half.code, 2);
  assert.match(half.stderr, /--model and --model-version go together/);
  const notFolder = await runCli(['baseline', 'build', repoPath('samples/camera.png'), '-o', join(dir, 'x.dwb')]);
  assert.is(notFolder.code, 2);
  assert.match(notFolder.stderr, /is not a folder/);
  // The output's folder is checked before any image is measured; the hint names the sub-command's help.
  const noFolder = await runCli(['baseline', 'build', join(dir, 'refs'), '-o', join(dir, 'missing', 'x.dwb')]);
  assert.is(noFolder.code, 2);
  assert.match(noFolder.stderr, /^driftwatch baseline build: -o .*missing\/x\.dwb: the folder .*missing does not exist\nRun 'driftwatch baseline build --help' for usage\.\n$/);
  const unknown = await runCli(['baseline', 'frobnicate']);
  assert.is(unknown.code, 2);
  const help = await runCli(['baseline', 'build', '--help']);
  assert.match(help.stdout, /--predictions <jsonl>/);
});

cli('an unreadable --predictions file writes nothing and exits 1, as an unreadable baseline does for replay', async () => {
  const out = join(dir, 'no-predictions.dwb');
  const result = await runCli(['baseline', 'build', join(dir, 'refs'), '-o', out, '--predictions', join(dir, 'missing.jsonl')]);
  assert.is(result.code, 1, result.stderr);
  assert.match(result.stderr, /^driftwatch baseline build: cannot read --predictions .*missing\.jsonl \(ENOENT\)\n$/);
  assert.not.ok((await readdir(dir)).includes('no-predictions.dwb'));
});

cli('a folder of only broken images writes nothing and exits 1', async () => {
  const broken = join(dir, 'broken');
  await (await import('node:fs/promises')).mkdir(broken);
  await copyFile(repoPath('test/fixtures/truncated.jpg'), join(broken, 'a.jpg'));
  const out = join(dir, 'none.dwb');
  const result = await runCli(['baseline', 'build', broken, '-o', out]);
  assert.is(result.code, 1);
  assert.match(result.stderr, /none of the 1 images could be used; no baseline written/);
  assert.not.ok((await readdir(dir)).includes('none.dwb'));
});

cli('--stream: a time-ordered folder stores τ and the calibration; too few frames or --fps alone are refused', async () => {
  const sharp = (await import('sharp')).default;
  const { mkdir } = await import('node:fs/promises');
  const stream = join(dir, 'stream');
  await mkdir(stream);
  const photo = await sharp(repoPath('samples', 'coffee.png')).resize(32, 24).removeAlpha().raw().toBuffer();
  // Exposure wandering as AR(1) (φ 0.8) plus fixed-seed pixel noise: a correlated stream.
  let s = 99, wander = 0;
  const uniform = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const pixels = Buffer.alloc(photo.length);
  for (let i = 0; i < 620; i++) {
    wander = 0.8 * wander + 0.03 * gaussian();
    for (let p = 0; p < photo.length; p++) pixels[p] = Math.max(0, Math.min(255, Math.round(photo[p] * (1 + wander) + 2 * gaussian())));
    await sharp(pixels, { raw: { width: 32, height: 24, channels: 3 } }).png().toFile(join(stream, `f${String(i).padStart(4, '0')}.png`));
  }
  const out = join(dir, 'stream.dwb');
  const built = await runCli(['baseline', 'build', stream, '-o', out, '--stream', '--fps', '15']);
  assert.is(built.code, 0, built.stderr);
  assert.match(built.stdout, /time-ordered at 15 fps: autocorrelation time [\d.]+–[\d.]+ frames/);
  assert.match(built.stdout, /histograms stray up to luma \d\.\d{3}/);
  const baseline = await decodeBaseline(await readFile(out));
  assert.equal([baseline.temporal?.fps, baseline.temporal?.frames], [15, 620]);
  assert.ok(baseline.temporal!.tau.luma_mean > 3, `luma_mean τ ${baseline.temporal!.tau.luma_mean} (AR(1) φ 0.8: 9)`);
  const spread = baseline.temporal!.histogramDistance!;
  assert.ok(spread.frames === 25 && spread.max.luma! > 0 && spread.max.luma! < 1, JSON.stringify(spread));
  const inspected = await runCli(['baseline', 'inspect', out]);
  assert.match(inspected.stdout, new RegExp(`histogram spread   luma ${spread.max.luma!.toPrecision(5).replace('.', '\\.')}`));

  const alone = await runCli(['baseline', 'build', stream, '-o', out, '--fps', '15']);
  assert.equal([alone.code, /--fps goes with --stream/.test(alone.stderr)], [2, true]);
  const short = await runCli(['baseline', 'build', join(dir, 'refs'), '-o', join(dir, 'short.dwb'), '--stream']);
  assert.is(short.code, 1);
  assert.match(short.stderr, /--stream needs at least 600 frames to measure autocorrelation; 4 could be used; no baseline written/);
  assert.not.ok((await readdir(dir)).includes('short.dwb'));
});

cli.run();
