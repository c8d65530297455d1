// The replay benchmark's harness (bench/replay-bench.ts) on a short stream:
// every frame is replayed against the default baseline (decode scale 2 for
// these 640×480 frames) and at full size, no alert fires
// on the stable stream, and the figures are reported. The figures themselves come from
// `node dist/bench/replay-main.js` (BENCHMARKS.md).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runReplayBenchRounds } from '../bench/replay-bench.js';

test('replay bench: replays every frame of a stable stream, quietly, and reports frames/s and measure time', async () => {
  const rounds = await runReplayBenchRounds(() => undefined, { frames: 340, rounds: 1 });
  assert.is(rounds.length, 1);
  const [r] = rounds;
  assert.is(r.processed, 340);
  assert.is(r.alerts, 0);
  assert.ok(r.replayFps > 0 && Number.isFinite(r.replayFps), String(r.replayFps));
  assert.is(r.defaultScale, 2);
  assert.ok(r.fullSizeFps > 0 && Number.isFinite(r.fullSizeFps), String(r.fullSizeFps));
  assert.ok(r.measureMs > 0 && Number.isFinite(r.measureMs), String(r.measureMs));
  assert.ok(r.fullSizeMeasureMs > 0 && Number.isFinite(r.fullSizeMeasureMs), String(r.fullSizeMeasureMs));
});

test('replay bench: refuses a stream no longer than its reference', async () => {
  try {
    await runReplayBenchRounds(() => undefined, { frames: 300, rounds: 1 });
    assert.unreachable('300 frames were accepted');
  } catch (error) {
    assert.instance(error, RangeError);
    assert.match((error as Error).message, /more than the 300 reference frames/);
  }
});

test.run();
