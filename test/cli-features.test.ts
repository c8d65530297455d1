// `driftwatch features` as a user runs it, checked against an independent
// numpy computation (scripts/numpy-features.py, which decodes PNG itself).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, jsonLines } from './helpers/cli.js';
import { assertClose } from './helpers/compare.js';
import { repoPath, repoRoot } from './helpers/paths.js';
import { decodeFile } from '../edge/decode.js';
import { SCALAR_FEATURE_NAMES } from '../src/catalogue.js';

interface NumpyResult { file: string; width: number; height: number; features: Record<string, number> }

function assertMatchesNumpy(cli: Record<string, unknown>, numpy: NumpyResult): void {
  const features = cli.features as Record<string, number>;
  for (const [name, value] of Object.entries(numpy.features)) {
    assertClose(features[name], value, 1e-9, `${String(cli.file)} ${name}`);
  }
}

const cli = suite('driftwatch features');

cli('PNG photos match the committed numpy vectors to 1e-9 relative', async () => {
  const numpy = JSON.parse(await readFile(repoPath('test/fixtures/numpy-features.json'), 'utf8')) as NumpyResult[];
  const result = await runCli(['features', '--json', ...numpy.map((n) => n.file)]);
  assert.is(result.code, 0, result.stderr);
  const lines = jsonLines(result.stdout);
  assert.is(lines.length, numpy.length);
  numpy.forEach((expected, i) => {
    assert.is(lines[i].file, expected.file);
    assert.equal([lines[i].width, lines[i].height], [expected.width, expected.height]);
    assertMatchesNumpy(lines[i], expected);
  });
});

cli('JPEG photos match numpy run now on the same decoded pixels', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'driftwatch-numpy-'));
  try {
    const files = ['samples/rocket.jpg', 'samples/hubble_deep_field.jpg'];
    const specs: string[] = [];
    for (const file of files) {
      const frame = await decodeFile(repoPath(file));
      const raw = join(dir, file.replace(/\W/g, '_') + '.raw');
      await writeFile(raw, frame.data);
      specs.push(`${raw}:${frame.width}x${frame.height}x${frame.data.length / (frame.width * frame.height)}`);
    }
    const numpy = JSON.parse(execFileSync('python3', [repoPath('scripts/numpy-features.py'), ...specs], { cwd: repoRoot, encoding: 'utf8' })) as NumpyResult[];
    const lines = jsonLines((await runCli(['features', '--json', ...files])).stdout);
    lines.forEach((line, i) => assertMatchesNumpy(line, numpy[i]));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

cli('JSON lines carry every catalogue feature and both histograms at full precision', async () => {
  const [line] = jsonLines((await runCli(['features', '--json', 'samples/coffee.png'])).stdout);
  assert.equal(Object.keys(line).sort(), ['features', 'file', 'height', 'histograms', 'width']);
  assert.equal(Object.keys(line.features as object), [...SCALAR_FEATURE_NAMES]);
  const histograms = line.histograms as { luma: number[]; hue: number[] };
  assert.is(histograms.luma.length, 256);
  assert.is(histograms.hue.length, 36);
  assert.is(histograms.luma.reduce((a, b) => a + b, 0), 600 * 400);
});

cli('a folder is read in file-name order; a bad file is reported and the rest go on', async () => {
  const result = await runCli(['features', '--json', 'test/fixtures/truncated.jpg', 'samples']);
  assert.is(result.code, 1);
  const lines = jsonLines(result.stdout);
  assert.is(lines[0].file, 'test/fixtures/truncated.jpg');
  assert.match(String(lines[0].error), /truncated\.jpg: corrupt/);
  const names = lines.slice(1).map((l) => l.file);
  assert.equal(names, [...names].sort());
  assert.is(names.length, 10);
  assert.ok(lines.slice(1).every((l) => l.features !== undefined));
});

cli('human output names each feature with its unit', async () => {
  const result = await runCli(['features', 'samples/camera.png']);
  assert.is(result.code, 0);
  assert.match(result.stdout, /samples\/camera\.png {2}512×512/);
  assert.match(result.stdout, /luma_mean\s+129\.061\s+level \(0-255\)/);
  assert.match(result.stderr, /1 of 1 images processed/);
});

cli('--help, --version and bad usage', async () => {
  const help = await runCli(['--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /features <file\|folder>/);
  const featuresHelp = await runCli(['features', '--help']);
  assert.match(featuresHelp.stdout, /--step <n>/);
  const version = await runCli(['--version']);
  const pkg = JSON.parse(await readFile(repoPath('package.json'), 'utf8')) as { version: string };
  assert.is(version.stdout.trim(), pkg.version);
  const unknown = await runCli(['frobnicate']);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  const noFiles = await runCli(['features']);
  assert.is(noFiles.code, 2);
  assert.match(noFiles.stderr, /give at least one image/);
  const badStep = await runCli(['features', '--step', 'x', 'samples/camera.png']);
  assert.is(badStep.code, 2);
  assert.match(badStep.stderr, /--step must be a positive integer/);
});

cli.run();
