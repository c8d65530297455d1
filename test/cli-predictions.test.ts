// `driftwatch baseline build --predictions` and `replay --predictions`: lines
// paired with images by name or by position, box areas over each image's own
// size, and a replay where only the model's confidence drops.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeBaseline } from '../src/baseline/baseline-codec.js';
import { runCli, jsonLines } from './helpers/cli.js';
import { repoPath } from './helpers/paths.js';

const cli = suite('driftwatch --predictions');
let dir = '';
// File-name order, with each photo's size.
const PHOTOS = [['astronaut.png', 512, 512], ['chelsea.png', 451, 300], ['coffee.png', 600, 400], ['rocket.jpg', 640, 427]] as const;
const BOXES = [[0, 0, 64, 64], [10, 10, 45, 30], [0, 0, 600, 400], [5, 5, 64, 42.7]];

cli.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftwatch-predictions-'));
  await mkdir(join(dir, 'refs'));
  for (const [name] of PHOTOS) await copyFile(repoPath('samples', name), join(dir, 'refs', name));
});
cli.after(async () => { await rm(dir, { recursive: true, force: true }); });

const detections = (i: number) => ({ detections: [{ label: 'thing', score: 0.9, box: BOXES[i] }, { label: 'thing', score: 0.2, box: [0, 0, 1, 1] }] });

cli('baseline build: by file name or by position, the same box areas over each image size; the threshold is kept and shown', async () => {
  // Named lines in reverse order; positional lines in file-name order.
  await writeFile(join(dir, 'named.jsonl'), PHOTOS.map(([name], i) => JSON.stringify({ file: name, ...detections(i) })).reverse().join('\n'));
  await writeFile(join(dir, 'positional.jsonl'), PHOTOS.map((_, i) => JSON.stringify(detections(i))).join('\n'));
  const expectedAreas = PHOTOS.map(([, w, h], i) => (BOXES[i][2] * BOXES[i][3]) / (w * h));
  const mean = expectedAreas.reduce((a, b) => a + b, 0) / 4;
  for (const lines of ['named.jsonl', 'positional.jsonl']) {
    const out = join(dir, `${lines}.dwb`);
    const build = await runCli(['baseline', 'build', join(dir, 'refs'), '-o', out, '--predictions', join(dir, lines), '--min-detection-score', '0.5']);
    assert.is(build.code, 0, build.stderr);
    const baseline = await decodeBaseline(new Uint8Array(await readFile(out)));
    const area = baseline.predictionFeatures!.pred_mean_box_area!;
    assert.is(area.count, 4, lines);
    assert.ok(Math.abs(area.mean - mean) < 1e-15, `${lines}: ${area.mean} vs ${mean}`);
    assert.is(area.min, Math.min(...expectedAreas));
    assert.is(area.max, Math.max(...expectedAreas));
    assert.equal([baseline.predictionFeatures!.pred_detections!.mean, baseline.predictionFeatures!.pred_mean_score!.mean], [1, 0.9]);
    assert.is(baseline.minDetectionScore, 0.5);
  }
  const human = await runCli(['baseline', 'inspect', join(dir, 'named.jsonl.dwb')]);
  assert.match(human.stdout, /prediction features \(frames with each: pred_detections 4, pred_mean_score 4, pred_mean_box_area 4; detections counted from score >= 0\.5\)/);
  assert.match(human.stdout, /\n  pred_mean_box_area +\d/);
  const json = JSON.parse((await runCli(['baseline', 'inspect', '--json', join(dir, 'named.jsonl.dwb')])).stdout) as Record<string, any>;
  assert.is(json.minDetectionScore, 0.5);
  assert.equal(Object.keys(json.predictionFeatures), ['pred_detections', 'pred_mean_score', 'pred_mean_box_area']);
  assert.is(json.predictionFeatures.pred_mean_box_area.unit, 'fraction');
});

cli('baseline build: a line naming no image still counts, without a box area; a malformed box is named with its line', async () => {
  await writeFile(join(dir, 'odd.jsonl'), [
    JSON.stringify({ file: 'elsewhere.png', ...detections(0) }),
    JSON.stringify({ file: 'coffee.png', detections: [{ label: 'x', box: [0, 0, -1, 3] }] }),
    JSON.stringify({ file: 'coffee.png', ...detections(2) }),
  ].join('\n'));
  const out = join(dir, 'odd.dwb');
  const build = await runCli(['baseline', 'build', join(dir, 'refs'), '-o', out, '--predictions', join(dir, 'odd.jsonl')]);
  assert.is(build.code, 0, build.stderr);
  assert.match(build.stderr, /odd\.jsonl:2: skipped: detections\[0\]\.box must be \[x, y, width, height\]/);
  const baseline = await decodeBaseline(new Uint8Array(await readFile(out)));
  assert.equal(baseline.header.skipped.predictions, 1);
  assert.is(baseline.predictionFeatures!.pred_detections!.count, 2);
  assert.is(baseline.predictionFeatures!.pred_mean_box_area!.count, 1);
  assert.is(baseline.predictionFeatures!.pred_mean_box_area!.mean, (600 * 400 + 1) / 2 / (600 * 400));
  const bad = await runCli(['baseline', 'build', join(dir, 'refs'), '-o', out, '--min-detection-score=-1']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--min-detection-score must be a number >= 0, got '-1'/);
});

// A JPEG stream that never changes beyond small noise, with a classifier whose
// top score drops from 0.85 to 0.6 at `dropAt`.
async function writeStream(folder: string, frames: number, seed: number): Promise<void> {
  await mkdir(folder, { recursive: true });
  const photo = await sharp(repoPath('samples', 'coffee.png')).resize(160, 120).removeAlpha().raw().toBuffer();
  const pixels = Buffer.alloc(photo.length);
  let s = seed;
  const uniform = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
  for (let i = 0; i < frames; i++) {
    const gain = 1 + 0.02 * (uniform() - 0.5);
    for (let p = 0; p < photo.length; p++) pixels[p] = Math.max(0, Math.min(255, Math.round(photo[p] * gain + 4 * (uniform() - 0.5))));
    await sharp(pixels, { raw: { width: 160, height: 120, channels: 3 } }).jpeg({ quality: 85 }).toFile(join(folder, `f${String(i).padStart(4, '0')}.jpg`));
  }
}

function scoreLines(frames: number, seed: number, dropAt: number, named: boolean): string {
  let s = seed;
  const uniform = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
  const lines: string[] = [];
  for (let i = 0; i < frames; i++) {
    const top = (i >= dropAt ? 0.6 : 0.85) + 0.1 * (uniform() - 0.5);
    const record = { scores: { cup: top, plate: (1 - top) * 0.7, spoon: (1 - top) * 0.3 } };
    lines.push(JSON.stringify(named ? { file: `f${String(i).padStart(4, '0')}.jpg`, ...record } : record));
  }
  return lines.join('\n');
}

cli('replay --predictions: the images stay, the confidence drops at frame 400, the alert fires as model-uncertainty', async () => {
  await writeStream(join(dir, 'reference'), 300, 21);
  await writeStream(join(dir, 'cam'), 650, 22);
  await writeFile(join(dir, 'reference.jsonl'), scoreLines(300, 31, Infinity, true));
  await writeFile(join(dir, 'cam.jsonl'), scoreLines(650, 32, 400, false));
  const baselineFile = join(dir, 'reference.dwb');
  const build = await runCli(['baseline', 'build', join(dir, 'reference'), '-o', baselineFile, '--predictions', join(dir, 'reference.jsonl')]);
  assert.is(build.code, 0, build.stderr);

  const run = await runCli(['replay', join(dir, 'cam'), '--baseline', baselineFile, '--predictions', join(dir, 'cam.jsonl'), '--json']);
  assert.is(run.code, 0, run.stderr);
  const alerts = jsonLines(run.stdout).filter((l) => l.type === 'alert');
  // The confidence CUSUM detects the drop at the first check after frame 400, confirmed by the latest frames.
  assert.equal(alerts.map((l) => `${l.state}@${l.frame}`), ['pending@424', 'firing@474']);
  assert.ok(alerts.every((a) => a.cause === 'model-uncertainty'), JSON.stringify(alerts.map((a) => a.cause)));
  assert.ok((alerts[1].features as string[]).includes('pred_top1_confidence'));

  // Without the predictions the same images raise nothing.
  const imagesOnly = await runCli(['replay', join(dir, 'cam'), '--baseline', baselineFile, '--json']);
  assert.equal(jsonLines(imagesOnly.stdout).map((l) => l.type), ['summary']);

  // A line for a file the folder lacks is reported and ignored.
  await writeFile(join(dir, 'stray.jsonl'), JSON.stringify({ file: 'nope.jpg', label: 'cup', score: 0.9 }));
  const stray = await runCli(['replay', join(dir, 'cam'), '--baseline', baselineFile, '--predictions', join(dir, 'stray.jsonl'), '--json']);
  assert.is(stray.code, 0);
  assert.match(stray.stderr, /stray\.jsonl:1: no image of .*cam goes with it/);
});

cli.run();
