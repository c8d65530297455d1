import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_VARIATION, type StreamSpec } from '../eval/camera-stream.js';
import { driftIntensity, effectsAt, type DriftKind, type DriftSpec } from '../eval/drift.js';
import { computeFeatures, featureColumn, FEATURE_NAMES } from '../eval/feature-stream.js';
import { loadBuild } from './helpers/builds.js';

const kernels = await loadBuild('simd');
const FRAMES = 24;
const base: StreamSpec = { photo: 'coffee.png', width: 320, height: 240, frames: FRAMES, seed: 11, variation: { ...DEFAULT_VARIATION } };

/** Mean of each feature over a short stream, abrupt drift from frame 0 (same seed as the undrifted stream). */
async function means(kind?: DriftKind): Promise<Record<string, number>> {
  const drift: DriftSpec | undefined = kind && { kind, onset: 'abrupt', startFrame: 0, rampFrames: 0, targetPhoto: 'chelsea.png' };
  const values = await computeFeatures({ ...base, ...(drift ? { drift } : {}) }, kernels);
  return Object.fromEntries(FEATURE_NAMES.map((n) => [n, featureColumn(values, n).reduce((s, x) => s + x, 0) / FRAMES]));
}

const stable = await means();

const schedule = suite('drift schedule');
schedule('abrupt is full size from the start frame; gradual ramps linearly to full size over rampFrames', () => {
  const abrupt: DriftSpec = { kind: 'darken', onset: 'abrupt', startFrame: 100, rampFrames: 0 };
  const gradual: DriftSpec = { ...abrupt, onset: 'gradual', rampFrames: 1000 };
  assert.equal([99, 100, 5000].map((t) => driftIntensity(abrupt, t)), [0, 1, 1]);
  assert.equal([99, 100, 600, 1100, 5000].map((t) => driftIntensity(gradual, t)), [0, 0, 0.5, 1, 1]);
  assert.is(effectsAt(gradual, 600).gain, 0.85);
  assert.is(effectsAt({ ...gradual, kind: 'blur' }, 600).blurSigma, 1);
  assert.is(effectsAt({ ...gradual, kind: 'occlusion' }, 1100).occluderWidthFraction, 0.5);
  assert.throws(() => driftIntensity({ ...gradual, rampFrames: 0 }, 200), RangeError);
});
schedule.run();

const drifts = suite('each injected drift moves the features it should');
drifts('darkening lowers luma_mean by ~30%', async () => {
  const ratio = (await means('darken')).luma_mean / stable.luma_mean;
  assert.ok(ratio > 0.67 && ratio < 0.73, `ratio ${ratio}`);
});
drifts('overexposure raises luma_mean and the clipped bright fraction', async () => {
  const m = await means('overexpose');
  assert.ok(m.luma_mean / stable.luma_mean > 1.3, `ratio ${m.luma_mean / stable.luma_mean}`);
  assert.ok(m.bright_fraction > stable.bright_fraction + 0.05, `${m.bright_fraction} vs ${stable.bright_fraction}`);
});
drifts('blur lowers sharpness and edge density', async () => {
  const m = await means('blur');
  assert.ok(m.sharpness < 0.3 * stable.sharpness, `${m.sharpness} vs ${stable.sharpness}`);
  assert.ok(m.edge_density < stable.edge_density);
});
// Noise of sigma 10 per channel is ~6.7 levels on luma before JPEG, which smooths it further.
drifts('noise raises noise_sigma by several levels', async () => {
  const m = await means('noise');
  assert.ok(m.noise_sigma > stable.noise_sigma + 3, `${m.noise_sigma} vs ${stable.noise_sigma}`);
});
drifts('a colour cast moves r_mean up and b_mean down (R/B by ~1.15/0.85)', async () => {
  const m = await means('colour-cast');
  const change = (m.r_mean / m.b_mean) / (stable.r_mean / stable.b_mean);
  assert.ok(change > 1.25 && change < 1.45, `R/B changed by ${change}`);
  assert.ok(m.r_mean > stable.r_mean && m.b_mean < stable.b_mean);
});
// The covered quarter was partly dark already in this photo, so the rise is below 25 points.
drifts('occlusion makes a quarter of the frame dark (dark_fraction >= 0.25, up by > 15 points)', async () => {
  const m = await means('occlusion');
  const rise = m.dark_fraction - stable.dark_fraction;
  assert.ok(m.dark_fraction >= 0.25 && m.dark_fraction < stable.dark_fraction + 0.26, `${m.dark_fraction} vs ${stable.dark_fraction}`);
  assert.ok(rise > 0.15, `rise ${rise}`);
});
drifts('a scene change moves many features by more than 5%', async () => {
  const m = await means('scene-change');
  const moved = FEATURE_NAMES.filter((n) => stable[n] !== 0 && Math.abs(m[n] / stable[n] - 1) > 0.05);
  assert.ok(moved.length >= 8, `moved: ${moved.join(', ')}`);
});
drifts('without drift, the stable features stay near the undrifted photo (exposure wander of a few %)', async () => {
  const again = await means();
  assert.is(again.luma_mean, stable.luma_mean); // same seed
  const other = await (async () => {
    const values = await computeFeatures({ ...base, seed: 12 }, kernels);
    return featureColumn(values, 'luma_mean').reduce((s, x) => s + x, 0) / FRAMES;
  })();
  assert.ok(Math.abs(other / stable.luma_mean - 1) < 0.06, `another seed: ${other} vs ${stable.luma_mean}`);
});
drifts.run();
