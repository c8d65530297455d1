// A baseline built from a time-ordered stretch stores how far its histograms,
// summed over one check interval, stray from the stretch's own totals, and the
// monitor keeps its histogram gate above that. Distances are checked against
// scipy.spatial.distance.jensenshannon(p, q, base=2):
//   ([1, 0], [0.5, 0.5]) = 0.5579230452841438
//   ([3, 1], [1, 1])     = 0.22089576884901735
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BaselineBuilder } from '../src/baseline/baseline-builder.js';
import { decodeBaseline, encodeBaseline, type BaselineContent } from '../src/baseline/baseline-codec.js';
import type { Baseline } from '../src/baseline/baseline.js';
import { HistogramBlocks, histogramSpreadProblem } from '../src/baseline/histogram-spread.js';
import { SCALAR_FEATURE_NAMES, type ScalarFeatureName } from '../src/catalogue.js';
import { DriftMonitor } from '../src/policy/drift-monitor.js';
import { runCheck } from '../src/policy/check.js';
import { CameraWindows } from '../src/window/camera-windows.js';
import { ar1Stream, SeededRandom } from './helpers/ar1-stream.js';

const SCIPY_HALF = 0.5579230452841438;
const SCIPY_THREE_TO_ONE = 0.22089576884901735;

/** A luma histogram with `a` pixels at level 0 and `b` at level 1; hue empty unless given. */
function frame(a: number, b: number, hue = 0) {
  const luma = new Array<number>(256).fill(0);
  luma[0] = a;
  luma[1] = b;
  const hues = new Array<number>(36).fill(0);
  hues[0] = hue;
  return { luma, hue: hues };
}

const blocks = suite('histogram blocks: the spread of check intervals');

blocks('each complete block against the totals, the largest kept (scipy\'s distances)', () => {
  const spread = new HistogramBlocks(2);
  // Blocks [2, 0] and [0, 2]; the totals [2, 2]: each block is 0.5579… away.
  for (const f of [frame(1, 0), frame(1, 0), frame(0, 1), frame(0, 1)]) spread.add(f);
  const result = spread.spread(frame(2, 2));
  assert.is(result.frames, 2);
  assert.ok(Math.abs(result.max.luma! - SCIPY_HALF) < 1e-12, String(result.max.luma));
  // Blocks [3, 1] and [1, 1] against the totals [1, 1]: the first is the largest.
  const other = new HistogramBlocks(1);
  other.add(frame(3, 1));
  other.add(frame(1, 1));
  assert.ok(Math.abs(other.spread(frame(1, 1)).max.luma! - SCIPY_THREE_TO_ONE) < 1e-12);
});

blocks('a last, partial block is left out; empty blocks and empty totals say nothing', () => {
  const spread = new HistogramBlocks(2);
  for (const f of [frame(1, 1), frame(1, 1), frame(1, 0)]) spread.add(f);
  // Only the first block, identical in shape to the totals, counts: the partial [1, 0] would be far.
  assert.is(spread.spread(frame(3, 2)).max.luma! < 0.11, true);
  assert.is(spread.spread(frame(1, 1)).max.luma, 0);
  // No hue at all (a gray scene): no hue spread.
  assert.is('hue' in spread.spread(frame(1, 1)).max, false);
  const none = new HistogramBlocks(5);
  none.add(frame(1, 0));
  assert.equal(none.spread(frame(1, 0)).max, {});
  assert.throws(() => new HistogramBlocks(0), /integer >= 1/);
});

blocks('a decoded spread is checked field by field', () => {
  const at = 'temporal.histogramDistance';
  assert.is(histogramSpreadProblem({ frames: 25, max: { luma: 0.12, hue: 0 } }, at), null);
  assert.match(histogramSpreadProblem(null, at)!, /must be a map/);
  assert.match(histogramSpreadProblem({ frames: 0, max: {} }, at)!, /frames must be an integer >= 1/);
  assert.match(histogramSpreadProblem({ frames: 25 }, at)!, /max must be a map/);
  assert.match(histogramSpreadProblem({ frames: 25, max: { luma: 1.5 } }, at)!, /max\.luma must be a distance in \[0, 1\]/);
  assert.match(histogramSpreadProblem({ frames: 25, max: { luma: Number.NaN } }, at)!, /max\.luma/);
  assert.match(histogramSpreadProblem({ frames: 25, max: { saturation: 0.1 } }, at)!, /max\.saturation is not a histogram/);
});

// A time-ordered stretch whose luma histogram alternates, block by block of
// 25 frames (the check interval), between [3, 1] and [1, 3] shapes.
const FRAMES = 600;
function features(n: number): Array<Record<ScalarFeatureName, number>> {
  const random = new SeededRandom(11);
  const series = SCALAR_FEATURE_NAMES.map(() => ar1Stream(random, 0.5, n));
  return Array.from({ length: n }, (_, t) => Object.fromEntries(SCALAR_FEATURE_NAMES.map((name, i) => [name, 100 + 10 * i + series[i][t]])) as Record<ScalarFeatureName, number>);
}
async function built(timeOrdered: boolean): Promise<Baseline> {
  const builder = new BaselineBuilder(timeOrdered ? { timeOrdered: { fps: 10, bootstrapFrames: 20_000 } } : {});
  features(FRAMES).forEach((f, i) => {
    const first = Math.floor(i / 25) % 2 === 0;
    builder.addFrame({ features: f, histograms: first ? frame(3, 1, 5) : frame(1, 3, 5) });
  });
  return decodeBaseline((await encodeBaseline(builder.build({ source: 't', createdAt: 0, model: null }))).bytes);
}

const stored = suite('the spread in a --stream baseline, and the monitor\'s gates');
let streamed: Baseline;
let plain: Baseline;
stored.before(async () => {
  streamed = await built(true);
  plain = await built(false);
});

stored('stored with the check interval, read back from the file; absent without --stream', () => {
  const spread = streamed.temporal!.histogramDistance!;
  assert.is(spread.frames, 25);
  // Each block is [3, 1] or [1, 3] against totals [1, 1]: scipy's 0.2208…; hue never moves.
  assert.ok(Math.abs(spread.max.luma! - SCIPY_THREE_TO_ONE) < 1e-12, String(spread.max.luma));
  assert.is(spread.max.hue, 0);
  assert.is(plain.temporal, undefined);
});

stored('a file with a bad spread is refused, naming the field', async () => {
  const content = { ...streamed, temporal: { ...streamed.temporal!, histogramDistance: { frames: 25, max: { luma: 2 } } } } as unknown as BaselineContent;
  const bytes = (await encodeBaseline(content)).bytes;
  try {
    await decodeBaseline(bytes);
    assert.unreachable('decoded a baseline whose spread is out of range');
  } catch (error) {
    assert.match((error as Error).message, /temporal\.histogramDistance\.max\.luma must be a distance in \[0, 1\]/);
  }
});

stored('the gate is the safety factor (default 2) times the spread, never below the check\'s minDistance', () => {
  const m = new DriftMonitor({ camera: 'c', baseline: streamed });
  assert.ok(Math.abs(m.histogramMinDistance.luma - 2 * SCIPY_THREE_TO_ONE) < 1e-12);
  assert.is(m.histogramMinDistance.hue, 0.1);
  assert.equal(new DriftMonitor({ camera: 'c', baseline: plain }).histogramMinDistance, { luma: 0.1, hue: 0.1 });
  assert.ok(Math.abs(new DriftMonitor({ camera: 'c', baseline: streamed, histogramSpreadSafety: 1 }).histogramMinDistance.luma - SCIPY_THREE_TO_ONE) < 1e-12);
  assert.is(new DriftMonitor({ camera: 'c', baseline: streamed, check: { minDistance: 0.5 } }).histogramMinDistance.luma, 0.5);
  assert.is(new DriftMonitor({ camera: 'c', baseline: streamed, check: { histogramMinDistance: { luma: 0.05 } } }).histogramMinDistance.luma, 0.05);
  assert.throws(() => new DriftMonitor({ camera: 'c', baseline: streamed, histogramSpreadSafety: 0.5 }), /histogramSpreadSafety must be a finite number >= 1/);
});

stored('a check interval as far as the stretch\'s own blocks is not a change; twice as far is', () => {
  const windows = new CameraWindows({ window: { kind: 'sliding-count', size: 50 } });
  features(50).forEach((f, i) => windows.update(f, i * 100));
  const gates = new DriftMonitor({ camera: 'c', baseline: streamed }).histogramMinDistance;
  const luma = (histograms: { luma: number[] }, gate?: typeof gates) => runCheck(
    { windows, baseline: streamed, histograms: { luma: histograms.luma } },
    gate ? { histogramMinDistance: gate } : {},
  ).tests.find((t) => t.feature === 'luma')!;
  // [3, 1] is where the stretch itself went every other interval.
  const ordinary = luma(frame(3, 1));
  assert.ok(ordinary.effect > 0.1 && ordinary.effect < gates.luma);
  assert.is(ordinary.significant, true, 'the fixed 0.1 flags what the camera did while stable');
  assert.is(luma(frame(3, 1), gates).significant, false);
  // All pixels at one level: 0.5579… away, past the gate.
  assert.is(luma(frame(1, 0), gates).significant, true);
  assert.throws(() => runCheck({ windows, baseline: streamed }, { histogramMinDistance: { luma: 1.5 } }), /histogramMinDistance\.luma must lie in \[0, 1\]/);
});

blocks.run();
stored.run();
