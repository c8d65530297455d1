// The review-page benchmark's harness (bench/web-bench.ts) on a few small
// frames: both paths process every frame and report a rate. The figures
// themselves come from `node dist/bench/web-main.js` (BENCHMARKS.md).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runWebBenchRounds } from '../bench/web-bench.js';

test('web bench: the page and `driftwatch replay` both process every frame and report frames/s', async () => {
  const { rounds } = await runWebBenchRounds(() => undefined, { frames: 12, rounds: 1, width: 320, height: 180 });
  assert.is(rounds.length, 1);
  const [r] = rounds;
  assert.ok(r.pageFps > 0 && Number.isFinite(r.pageFps), String(r.pageFps));
  assert.ok(r.nodeFps > 0 && Number.isFinite(r.nodeFps), String(r.nodeFps));
  assert.ok(Math.abs(r.ratio - r.pageFps / r.nodeFps) < 1e-12);
  // Every frame is a JPEG the WASM decoder supports: decoded and measured in one pass.
  assert.ok(r.pagePhases.measure > 0, JSON.stringify(r.pagePhases));
  assert.is(r.pagePhases.decode + r.pagePhases.features, 0, JSON.stringify(r.pagePhases));
});

test.run();
