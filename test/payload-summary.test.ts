// Summaries: the accumulator's moments and sketches, the encoded size of a
// full catalogue, and merged summaries reproducing pooled statistics: Chan's
// moments to 1e-9 and KS D within the sketches' documented error bound.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ks2samp, ksSketches, loadKernels, type Kernels } from '../edge/library.js';
import { encodeEnvelope } from '../src/envelope/envelope.js';
import { FleetView } from '../src/envelope/fleet.js';
import { SUMMARY_SKETCH_K, SummaryAccumulator, buildSummaryBody, decodeSummaryBody, summaryWire } from '../src/envelope/summary.js';
import { QuantileSketch } from '../src/sketch/quantile-sketch.js';
import { FULL_CATALOGUE, fullTests, summariesOf, type CameraStream } from './helpers/payload-summaries.js';

/** Two-pass mean and sum of squared deviations, straight from the values. */
function direct(values: number[]): { n: number; mean: number; m2: number } {
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  return { n: values.length, mean, m2: values.reduce((s, x) => s + (x - mean) ** 2, 0) };
}
const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

const acc = suite('SummaryAccumulator');
acc('moments and sketch per feature; missing and non-finite values skipped; take() resets', () => {
  const a = new SummaryAccumulator({ features: ['x', 'y'] });
  a.add({ x: 1, y: 10 }); a.add({ x: 2 }); a.add({ x: 6, y: NaN }); a.add({ x: Infinity, y: 1e39 });
  const t = a.take();
  assert.equal({ ...t.x, sketch: undefined }, { n: 3, mean: 3, m2: 14, min: 1, max: 6, sketch: undefined });
  assert.equal({ ...t.y, sketch: undefined }, { n: 1, mean: 10, m2: 0, min: 10, max: 10, sketch: undefined });
  const sx = QuantileSketch.deserialize(t.x.sketch);
  assert.equal([sx.n, sx.k, sx.min, sx.max, sx.quantile(0.5)], [3, SUMMARY_SKETCH_K, 1, 6, 2]);
  const empty = a.take();
  assert.is(empty.x.n, 0);
  assert.is(QuantileSketch.deserialize(empty.x.sketch).n, 0);
});
acc('bad options and frames are TypeErrors/RangeErrors naming the input', () => {
  assert.throws(() => new SummaryAccumulator({ features: ['a', ''] }), /options.features\[1\]/);
  assert.throws(() => new SummaryAccumulator({ features: ['a', 'a'] }), /repeat/);
  assert.throws(() => new SummaryAccumulator({ features: ['a'], k: 3 }), RangeError);
  assert.throws(() => new SummaryAccumulator({ features: ['a'] }).add(null as never), TypeError);
});
acc('buildSummaryBody leaves out features without values and validates what it builds', () => {
  const a = new SummaryAccumulator({ features: ['x', 'y'] });
  a.add({ x: 1 });
  const body = buildSummaryBody({ camera: 'c', frames: { from: 0, to: 0, count: 1 }, window: { size: 10 }, features: a.take(), alert: { state: 'ok', id: null } });
  assert.equal(Object.keys(body.features), ['x']);
  assert.equal([body.site, body.model, body.baseline, body.catalogue, body.tests], [null, null, null, 1, []]);
  assert.throws(() => buildSummaryBody({ ...body, features: {}, frames: { from: 5, to: 4, count: 1 } }), /payload: body.frames.to must be at least frames.from/);
  assert.throws(() => buildSummaryBody({ ...body, features: {}, alert: { state: 'burning' as never, id: null } }), /payload: body.alert.state must be one of/);
  assert.throws(() => buildSummaryBody({ ...body, features: {}, histograms: { luma: [1.5], hue: [] } }), /body.histograms.luma\[0\] must be a uint32 count/);
  assert.equal(decodeSummaryBody(summaryWire(body)), body);
});
acc('wire form: moments [n, mean, m2, min, max]; a continuous test in its feature entry; other tests in the tests map with their kind', () => {
  const a = new SummaryAccumulator({ features: ['x', 'y'] });
  a.add({ x: 1, y: 4 }); a.add({ x: 3, y: 4 });
  const t = (feature: string, kind: 'continuous' | 'histogram' | 'categorical', pvalue: number | null) => ({
    feature, kind, statistic: 0.25, pvalue, adjustedPvalue: pvalue === null ? null : 2 * pvalue, effect: 0.5, direction: pvalue === null ? null : 'up' as const, significant: false,
  });
  const tests = [t('x', 'continuous', 0.01), t('hue', 'histogram', null), t('predicted_class', 'categorical', 0.2), t('pred_margin', 'continuous', 0.3)];
  const body = buildSummaryBody({ camera: 'c', frames: { from: 0, to: 1, count: 2 }, window: { size: 10 }, features: a.take(), tests, alert: { state: 'ok', id: null } });
  const wire = summaryWire(body) as any;
  assert.equal(Object.keys(wire.features.x), ['moments', 'sketch', 'test']);
  assert.equal(wire.features.x.moments, [2, 2, 2, 1, 3]);
  assert.equal(wire.features.x.test, [0.25, 0.01, 0.02, 0.5, 'up', false]);
  assert.equal(Object.keys(wire.features.y), ['moments', 'sketch'], 'no test: no test key');
  assert.equal(wire.tests, {
    hue: [0.25, null, null, 0.5, null, false, 'histogram'],
    predicted_class: [0.25, 0.2, 0.4, 0.5, 'up', false, 'categorical'],
    pred_margin: [0.25, 0.3, 0.6, 0.5, 'up', false, 'continuous'], // a feature without values this interval
  });
  assert.equal(body.tests, tests, 'decoded back to objects, feature entries first');
  assert.throws(() => buildSummaryBody({ ...body, tests: [tests[0], tests[0]] }), /payload: body.tests\[1\].feature must be unique within a summary/);
  const extra = { ...wire, features: { ...wire.features, x: { ...wire.features.x, moments: [...wire.features.x.moments, 'later'], test: [...wire.features.x.test, 7] } } };
  assert.equal(decodeSummaryBody(extra), body, 'items appended within v1 are ignored');
  assert.throws(() => decodeSummaryBody({ ...wire, features: { x: { ...wire.features.x, moments: [2, 2, 2, 1] } } }), /payload: body.features.x.moments must be an array \[n, mean, m2, min, max\] \(got 4 items\)/);
  assert.throws(() => decodeSummaryBody({ ...wire, tests: { x: wire.tests.hue } }), /payload: body.tests.x must be absent: features.x holds its test/);
});
acc.run();

const size = suite('summary size, full catalogue v1 (21 scalar + 6 pred_* features)');
const cameraAll: CameraStream = {
  dev: 'box-0042', cam: 'entrance-north', model: 'detector@3.1.0', site: 'plant-7',
  features: Object.fromEntries(FULL_CATALOGUE.map((name, i) => [name, { center: 10 * (i + 1), spread: 1 + i }])),
};
function encodedSize(frames: number, extras: { tests?: boolean; histograms?: boolean }): number {
  const { envelopes } = summariesOf(cameraAll, 1, frames, frames);
  const e = envelopes[0];
  const body = buildSummaryBody({
    ...e.body, baseline: `sha256:${'ab'.repeat(32)}`, tests: extras.tests ? fullTests() : [],
    histograms: extras.histograms ? { luma: new Array(256).fill(4_000_000), hue: new Array(36).fill(90_000) } : null,
    alert: { state: 'firing', id: 'entrance-north:123456' },
  });
  return encodeEnvelope({ ...e, seq: 4_000_000_000, body }).length;
}
size('25 frames with the full tests: <= 8 KB; the other sizes measured against their documented bounds', () => {
  const rows: string[] = [];
  const measured: Record<string, number> = {};
  for (const frames of [25, 600]) {
    for (const [label, extras] of [['sketches + moments', {}], ['+ 30 tests', { tests: true }], ['+ 30 tests + histograms', { tests: true, histograms: true }]] as const) {
      measured[`${frames} ${label}`] = encodedSize(frames, extras);
      rows.push(`${String(frames).padStart(4)} frames, ${label.padEnd(24)} ${measured[`${frames} ${label}`]} bytes`);
    }
  }
  // The sketches' share: a 25-value sketch is its fixed 40 bytes (32 header + 4 CRC + 4 for one level's size) and 25 float32 items.
  const { envelopes } = summariesOf(cameraAll, 1, 25, 25);
  const sketches = Object.values(envelopes[0].body.features).map((f) => f.sketch.length);
  const sketchBytes = sketches.reduce((s, b) => s + b, 0);
  rows.push(`25 frames: ${sketches.length} sketches ${sketchBytes} bytes (${sketches[0]} each), of which fixed header + level sizes + CRC ${40 * sketches.length} bytes`);
  console.log(`  summary sizes (k = ${SUMMARY_SKETCH_K}):\n    ${rows.join('\n    ')}`);
  assert.ok(measured['25 + 30 tests'] <= 8192, `25 frames with the full tests: ${measured['25 + 30 tests']} bytes > 8192`);
  assert.ok(sketches.every((b) => b === 40 + 4 * 25));
  // Documented in docs/payload.md ("Size"); these bound regressions.
  assert.ok(measured['25 sketches + moments'] <= 6.25 * 1024);
  assert.ok(measured['25 + 30 tests + histograms'] <= 9 * 1024);
  assert.ok(measured['600 sketches + moments'] <= 12 * 1024);
  assert.ok(measured['600 + 30 tests + histograms'] <= 14 * 1024);
});
size.run();

let kernels: Kernels;
const merge = suite('merged summaries against the pooled raw data');
merge.before(async () => { kernels = await loadKernels(); });
const sides = (shift: number): [CameraStream, CameraStream] => [
  { dev: 'box-a', cam: 'gate', model: 'm1', site: 's1', features: { luma_mean: { center: 120, spread: 20 }, sharpness: { center: 300, spread: 80 } } },
  { dev: 'box-b', cam: 'gate', model: 'm1', site: 's2', features: { luma_mean: { center: 120 + 20 * shift, spread: 20 }, sharpness: { center: 300, spread: 80 + 40 * shift } } },
];
merge('KS D of merged sketches is within the bound of ks2samp on the pooled values (40 summaries a side; 25- and 600-frame intervals)', () => {
  for (const frames of [25, 600]) {
    let worst = 0, worstFraction = 0, bounds = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const shift = 0.1 * (seed - 1);
      const [a, b] = sides(shift).map((s, i) => summariesOf(s, 40, frames, 100 * seed + i));
      const fleet = new FleetView();
      for (const e of [...a.envelopes, ...b.envelopes]) assert.ok(fleet.add(e));
      for (const feature of ['luma_mean', 'sharpness']) {
        const sa = fleet.sketch('camera', 'box-a/gate', feature), sb = fleet.sketch('camera', 'box-b/gate', feature);
        const bound = fleet.errorBound('camera', 'box-a/gate', feature) + fleet.errorBound('camera', 'box-b/gate', feature);
        const merged = ksSketches(sa, sb, { kernels }).statistic;
        const exact = ks2samp(a.raw[feature], b.raw[feature], { kernels, method: 'asymp' }).statistic;
        const diff = Math.abs(merged - exact);
        assert.ok(diff <= bound, `${frames} frames, seed ${seed}, ${feature}: |${merged} - ${exact}| > ${bound}`);
        worst = Math.max(worst, diff);
        worstFraction = Math.max(worstFraction, diff / bound);
        bounds = bound;
        if (frames === 25) assert.ok(Math.abs(bound - 2 * new QuantileSketch().normalizedRankError) < 1e-15, 'exact summaries add no error');
      }
    }
    console.log(`  KS, ${frames}-frame summaries: max |D_merged - D_pooled| = ${worst.toFixed(4)}, bound ${bounds.toFixed(4)} (worst ${(100 * worstFraction).toFixed(0)}% of it)`);
  }
});
merge('Chan-merged moments equal the pooled values\' mean and m2 to 1e-9; min, max and n exactly', () => {
  const [a, b] = sides(0.3).map((s, i) => summariesOf(s, 40, 37, 900 + i));
  const fleet = new FleetView();
  for (const e of [...a.envelopes, ...b.envelopes]) fleet.add(e);
  for (const feature of ['luma_mean', 'sharpness']) {
    const pooled = [...a.raw[feature], ...b.raw[feature]];
    const want = direct(pooled);
    for (const [level, key] of [['model', 'm1'], ['camera', 'box-a/gate']] as const) {
      const values = level === 'model' ? pooled : a.raw[feature];
      const ref = level === 'model' ? want : direct(values);
      const got = fleet.moments(level, key, feature);
      assert.is(got.n, ref.n);
      assert.ok(relative(got.mean, ref.mean) <= 1e-9, `${feature} mean`);
      assert.ok(relative(got.m2, ref.m2) <= 1e-9, `${feature} m2 ${got.m2} vs ${ref.m2}`);
      assert.is(got.min, Math.min(...values));
      assert.is(got.max, Math.max(...values));
    }
  }
});
merge.run();
