// `driftwatch replay` on a short seeded stream: 400 frames of a photo with
// small frame-to-frame variation, then 200 darkened to 70%, one corrupt file
// among them; the baseline is built with `driftwatch baseline build` from a
// separately seeded stable stretch.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { runCli, jsonLines } from './helpers/cli.js';
import { repoPath } from './helpers/paths.js';

const WIDTH = 160, HEIGHT = 120;
const STABLE = 400, DARK = 200, CORRUPT = 450;

function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const uniform = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

// Each frame: the photo times a gain (1 ± 2%, times 0.7 when darkened) plus pixel noise of sd 2, as JPEG q85.
async function writeStream(dir: string, frames: number, seed: number, darkFrom = Infinity): Promise<void> {
  await mkdir(dir, { recursive: true });
  const photo = await sharp(repoPath('samples', 'coffee.png')).resize(WIDTH, HEIGHT).removeAlpha().raw().toBuffer();
  const gaussian = seeded(seed);
  const pixels = Buffer.alloc(photo.length);
  for (let i = 0; i < frames; i++) {
    const gain = (1 + 0.02 * gaussian()) * (i >= darkFrom ? 0.7 : 1);
    for (let p = 0; p < photo.length; p++) pixels[p] = Math.max(0, Math.min(255, Math.round(photo[p] * gain + 2 * gaussian())));
    await sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: 85 }).toFile(join(dir, `f${String(i).padStart(4, '0')}.jpg`));
  }
}

const replay = suite('driftwatch replay');
let dir = '';
let baselineFile = '';

replay.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftwatch-replay-'));
  await writeStream(join(dir, 'reference'), 300, 11);
  await writeStream(join(dir, 'cam1'), STABLE + DARK, 12, STABLE);
  await copyFile(repoPath('test/fixtures/truncated.jpg'), join(dir, 'cam1', `f0${CORRUPT}.jpg`));
  baselineFile = join(dir, 'reference.dwb');
  const build = await runCli(['baseline', 'build', join(dir, 'reference'), '-o', baselineFile]);
  assert.is(build.code, 0, build.stderr);
});
replay.after(async () => { await rm(dir, { recursive: true, force: true }); });

replay('--json: the darkening fires at pinned frames as low-light; the corrupt frame is skipped and counted', async () => {
  const run = await runCli(['replay', join(dir, 'cam1'), '--baseline', baselineFile, '--json']);
  assert.is(run.code, 0, run.stderr);
  const lines = jsonLines(run.stdout);
  const alerts = lines.filter((l) => l.type === 'alert');
  assert.equal(alerts.map((l) => `${l.state}@${l.frame}`), ['pending@424', 'firing@475']);
  for (const a of alerts) {
    assert.is(a.cause, 'low-light');
    assert.ok((a.features as string[]).includes('luma_mean'), String(a.features));
  }
  // The skipped frame keeps its number and is not admitted: checks count admitted frames, so firing is at 475, not 474.
  assert.equal(lines.filter((l) => l.type === 'rejected').map((l) => l.frame), [CORRUPT]);
  const findings = alerts[1].findings as Array<{ feature: string; relativeChange: number; implicated: unknown }>;
  const luma = findings.find((f) => f.feature === 'luma_mean')!;
  assert.ok(Math.abs(luma.relativeChange - -0.3) < 0.05, `luma_mean ${luma.relativeChange}`);
  // Each finding says whether the check flagged it; the darkening's own feature was.
  assert.is(luma.implicated, true);
  assert.ok(findings.every((f) => typeof f.implicated === 'boolean'), JSON.stringify(findings));
  const summary = lines[lines.length - 1];
  assert.is(summary.type, 'summary');
  assert.equal([summary.frames, summary.processed, summary.rejected, summary.alerts], [STABLE + DARK, STABLE + DARK - 1, 1, 1]);
  assert.ok((summary.checks as number) > 0 && (summary.fps as number) > 0);
});

replay('human output names the state, cause and the change in the unit of the feature', async () => {
  const run = await runCli(['replay', join(dir, 'cam1'), '--baseline', baselineFile]);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /frame\s+\d+\s+firing\s+low-light/);
  assert.match(run.stdout, /frame\s+475\s+firing\s+low-light\s+alert cam1:424\n\s+luma_p05 −31% \(level 0-255\);/);
  assert.match(run.stdout, /599 of 600 frames replayed \(1 rejected\), \d+ checks, 1 alerts fired/);
  assert.match(run.stderr, /warning: frame 450 skipped/);
});

replay('a stable stream raises no alert', async () => {
  const run = await runCli(['replay', join(dir, 'reference'), '--baseline', baselineFile, '--json']);
  assert.is(run.code, 0, run.stderr);
  assert.equal(jsonLines(run.stdout).map((l) => l.type), ['summary']);
});

replay('bad usage exits 2; an unreadable or corrupt baseline, or unreadable predictions, exits 1', async () => {
  for (const args of [['replay'], ['replay', join(dir, 'cam1')], ['replay', join(dir, 'cam1'), '--baseline', baselineFile, '--fps', '0'],
    ['replay', join(dir, 'nowhere'), '--baseline', baselineFile], ['replay', join(dir, 'cam1'), '--baseline', baselineFile, '--bogus']]) {
    const run = await runCli(args);
    assert.is(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, /driftwatch replay: .+\n.*--help/);
  }
  const missing = await runCli(['replay', join(dir, 'cam1'), '--baseline', join(dir, 'missing.dwb')]);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /cannot read --baseline .*missing\.dwb \(ENOENT\)/);
  const noPredictions = await runCli(['replay', join(dir, 'cam1'), '--baseline', baselineFile, '--predictions', join(dir, 'missing.jsonl')]);
  assert.is(noPredictions.code, 1, noPredictions.stderr);
  assert.match(noPredictions.stderr, /cannot read --predictions .*missing\.jsonl \(ENOENT\)/);
  assert.not.match(noPredictions.stderr, /--help/, 'not a usage error');
  const corrupt = await runCli(['replay', join(dir, 'cam1'), '--baseline', join(dir, 'cam1', 'f0000.jpg')]);
  assert.is(corrupt.code, 1);
  assert.match(corrupt.stderr, /not a baseline|possible corruption/);
});

replay('--help prints the usage and exits 0', async () => {
  const run = await runCli(['replay', '--help']);
  assert.is(run.code, 0);
  assert.match(run.stdout, /Usage: driftwatch replay <folder> --baseline <file>/);
});

replay.run();
