// Probable cause on findings measured by the monitor on the scenario harness
// (eval/, docs/scenarios.md): the pattern at a check of a drift stream, with
// the effects (baseline IQRs), relative changes and pixel shares as measured.
// Each case once got a wrong label and shaped a rule of docs/causes.md.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { explainCause, probableCause, type Finding } from '../edge/library.js';
import { pattern, type FindingExtras } from './helpers/findings.js';

/** Findings as measured; the features named in `context` were listed only because their latest frames moved (implicated: false). */
function measured(effects: Record<string, number>, extras: Record<string, FindingExtras>, context: readonly string[]): Finding[] {
  return pattern(effects, extras).map((f) => (context.includes(f.feature) ? { ...f, implicated: false } : { ...f, implicated: true }));
}

const rel = (relativeChange: number): FindingExtras => ({ relativeChange });
const share = (shift: number): FindingExtras => ({ shift });

const gradual = suite('probableCause: gradual drifts when they fire');
gradual('a dark block growing over chelsea (dark_fraction +0.025, luma_std +10% against luma_mean −6%) → occlusion, not low-light', () => {
  const f = measured(
    { dark_fraction: 96.5, saturation_std: 10.7, luma_p05: -9.3, saturation_mean: -9.2, luma_std: 5, b_mean: -3.1, g_mean: -3.1, luma_mean: -3, r_mean: -3, luma_p50: -2.5, luma_p95: -2 },
    { dark_fraction: share(0.025), luma_p05: rel(-0.3), saturation_mean: rel(-0.01), luma_std: rel(0.1), b_mean: rel(-0.06), g_mean: rel(-0.06),
      luma_mean: { relativeChange: -0.06, shift: -6.9 }, r_mean: rel(-0.06), luma_p50: rel(-0.04), luma_p95: rel(-0.04) },
    ['luma_p05', 'saturation_mean', 'luma_std', 'b_mean', 'g_mean', 'luma_mean', 'r_mean', 'luma_p50', 'luma_p95'],
  );
  assert.is(probableCause(f), 'occlusion');
});
gradual('a dark block growing over astronaut, before any edge is lost (dark_fraction +0.025, luma_std +3%, the mean unchanged) → occlusion', () => {
  const f = measured({ dark_fraction: 12.4, saturation_mean: -2.8, luma_std: 1.4 }, { dark_fraction: share(0.025), saturation_mean: rel(-0.02), luma_std: rel(0.03) }, ['luma_std']);
  assert.is(probableCause(f), 'occlusion');
});
gradual('noise growing on astronaut before noise_sigma shows it (luma_entropy up, saturation_std down) → noise', () => {
  const f = measured({ luma_entropy: 2.3, saturation_std: -1.6 }, { luma_entropy: rel(0.01), saturation_std: rel(-0.01) }, ['luma_entropy']);
  const e = explainCause(f);
  assert.equal([e.cause, e.share], ['noise', 1]);
});
gradual('noise growing on the dark hubble photo (luma_p50 +8% by clipping at 0, luma_mean and the channels unmoved) → noise, not overexposure', () => {
  const f = measured(
    { dark_fraction: -2.1, saturation_mean: 1.3, luma_entropy: 1.3, colorfulness: 1.1, luma_p50: 1 },
    { dark_fraction: share(-0.029), saturation_mean: rel(0.04), luma_entropy: rel(0.03), colorfulness: rel(0.02), luma_p50: rel(0.08) },
    ['dark_fraction', 'colorfulness', 'luma_p50'],
  );
  assert.is(probableCause(f), 'noise');
});
gradual('a warm cast growing on chelsea during a 3% exposure dip (saturation_mean +26 IQRs, every channel a little down) → colour-cast', () => {
  const f = measured(
    { saturation_mean: 25.9, saturation_std: -4.3, b_mean: -2.5, luma_p50: -2, g_mean: -1.8, luma_p95: -1.7, luma_entropy: -1.7, luma_std: -1.6, luma_mean: -1.5, r_mean: -1 },
    { saturation_mean: rel(0.04), saturation_std: rel(-0.03), b_mean: rel(-0.05), luma_p50: rel(-0.03), g_mean: rel(-0.04), luma_p95: rel(-0.03),
      luma_entropy: rel(-0.01), luma_std: rel(-0.03), luma_mean: rel(-0.03), r_mean: rel(-0.02) },
    ['b_mean', 'luma_p50', 'g_mean', 'luma_p95', 'luma_entropy', 'luma_std', 'luma_mean', 'r_mean'],
  );
  assert.is(probableCause(f), 'colour-cast');
});
gradual('a faint cross-fade from rocket to astronaut (r +9%, g +2%: the channels not in proportion; saturation −9%) → scene-change, not overexposure', () => {
  const f = measured(
    { saturation_std: -38.9, saturation_mean: -32.9, luma_p05: 8.2, dark_fraction: -4.4, r_mean: 4.1, luma_p50: 3, colorfulness: -2.9, luma_entropy: -2.8,
      luma_std: -2.5, bright_fraction: -2.2, luma_mean: 1.5, g_mean: 1.1 },
    { saturation_std: rel(-0.11), saturation_mean: rel(-0.09), luma_p05: rel(0.17), dark_fraction: share(-0.008), r_mean: rel(0.09), luma_p50: rel(0.06),
      colorfulness: rel(-0.07), luma_entropy: rel(-0.01), luma_std: rel(-0.06), bright_fraction: share(-0.001), luma_mean: rel(0.04), g_mean: rel(0.02) },
    ['luma_p05', 'dark_fraction', 'r_mean', 'luma_p50', 'colorfulness', 'luma_entropy', 'luma_std', 'bright_fraction', 'luma_mean', 'g_mean'],
  );
  const e = explainCause(f);
  assert.is(e.cause, 'scene-change');
  assert.match(e.rule, /40%/);
  // With the three channels and the mean all +6%, in proportion, the same pattern is a brightening.
  const inProportion = [...f, ...pattern({ b_mean: 1.1 })].map((x) => (['r_mean', 'g_mean', 'b_mean', 'luma_mean'].includes(x.feature) ? { ...x, relativeChange: 0.06 } : x));
  assert.is(probableCause(inProportion), 'overexposure');
});
gradual('a faint cross-fade from astronaut to rocket whose detail loss shows only in the latest frames (edges, gradient −4%) → not blur', () => {
  const f = measured(
    { luma_p05: 10, saturation_std: -17.2, saturation_mean: -4.7, dark_fraction: -3.8, luma_entropy: 2.9, colorfulness: -1.9, luma_std: -1.8, edge_density: -1.4, gradient_mean: -1.1, luma_p95: -1 },
    { luma_p05: rel(2), saturation_std: rel(-0.08), saturation_mean: rel(-0.04), dark_fraction: share(-0.008), luma_entropy: rel(0.01), colorfulness: rel(-0.04),
      luma_std: rel(-0.04), edge_density: rel(-0.04), gradient_mean: rel(-0.04), luma_p95: rel(-0.02) },
    ['luma_p05', 'dark_fraction', 'luma_entropy', 'colorfulness', 'luma_std', 'edge_density', 'gradient_mean', 'luma_p95'],
  );
  assert.is(probableCause(f), 'scene-change');
  // Found changed by the check, the same detail loss is blur.
  assert.is(probableCause(f.map((x) => (x.feature === 'edge_density' ? { ...x, implicated: true } : x))), 'blur');
});
gradual('a dark block growing over the near-black hubble sky, when it fires (saturation −4.6% found, every level and channel −4% as context, dark_fraction +0.022) → occlusion, not scene-change', () => {
  const f = measured(
    { luma_p95: -3, g_mean: -2.12, b_mean: -2.1, luma_mean: -2.05, r_mean: -1.93, dark_fraction: 1.62, saturation_mean: -1.5, edge_density: -1.32, colorfulness: -1.03 },
    { luma_p95: rel(-0.056), g_mean: rel(-0.041), b_mean: rel(-0.041), luma_mean: { relativeChange: -0.04, shift: -0.79 }, r_mean: rel(-0.038), dark_fraction: share(0.0217),
      saturation_mean: rel(-0.046), edge_density: rel(-0.057), colorfulness: rel(-0.022) },
    ['luma_p95', 'g_mean', 'b_mean', 'luma_mean', 'r_mean', 'dark_fraction', 'edge_density', 'colorfulness'],
  );
  assert.is(probableCause(f), 'occlusion');
});
gradual('the same block later (level −7%, saturation −10%, below 3 IQRs of dark pixels) → occlusion, not low-light', () => {
  const f = measured(
    { luma_p95: -5, g_mean: -3.95, luma_mean: -3.77, b_mean: -3.77, r_mean: -3.59, saturation_mean: -3.46, dark_fraction: 2.67, edge_density: -2.4, colorfulness: -2.1,
      gradient_mean: -1.75, saturation_std: 1.34, luma_std: -1.08, luma_p05: -1 },
    { luma_p95: rel(-0.093), g_mean: rel(-0.077), luma_mean: { relativeChange: -0.074, shift: -1.46 }, b_mean: rel(-0.074), r_mean: rel(-0.07), saturation_mean: rel(-0.105),
      dark_fraction: share(0.0357), edge_density: rel(-0.104), colorfulness: rel(-0.044), gradient_mean: rel(-0.103), saturation_std: rel(0.092), luma_std: rel(-0.039), luma_p05: rel(-0.125) },
    ['luma_p95', 'g_mean', 'luma_mean', 'b_mean', 'r_mean', 'dark_fraction', 'colorfulness', 'luma_std'],
  );
  assert.is(probableCause(f), 'occlusion');
});
gradual('a darkening by 30% whose saturation also falls by 15% (more level lost than a block of that saturation explains) → low-light, not occlusion', () => {
  const f = measured(
    { luma_mean: -9, luma_p95: -8, luma_std: -6, r_mean: -8.8, g_mean: -9.1, b_mean: -8.9, saturation_mean: -5, dark_fraction: 4, colorfulness: -4, edge_density: -3 },
    { luma_mean: { relativeChange: -0.3, shift: -30 }, luma_p95: rel(-0.3), luma_std: rel(-0.3), r_mean: rel(-0.3), g_mean: rel(-0.31), b_mean: rel(-0.3),
      saturation_mean: rel(-0.15), dark_fraction: share(0.05), colorfulness: rel(-0.3), edge_density: rel(-0.2) },
    [],
  );
  assert.is(probableCause(f), 'low-light');
});
gradual('a dark block growing over astronaut measured at half size, the level not moved at all (dark_fraction +0.018, 16 IQRs; saturation −1.6%) → occlusion', () => {
  // driftwatch replay at decode scale 2 of 640×480 frames, frame 1099 (scripts/replay-scenarios.mjs): no luma feature
  // is listed, so no gain can explain the dark pixels; it was `unknown` when the gain test needed luma_mean to move.
  const f = measured(
    { dark_fraction: 15.97, saturation_mean: -3.35, saturation_std: -2.13 },
    { dark_fraction: share(0.0177), saturation_mean: rel(-0.016), saturation_std: rel(-0.004) },
    ['saturation_std'],
  );
  assert.is(probableCause(f), 'occlusion');
  // The same dark pixels with the level down 3% in proportion (p95 and std alike) read as a gain: no block.
  const gain = measured(
    { dark_fraction: 15.97, luma_mean: -3, luma_p95: -3, luma_std: -3 },
    { dark_fraction: share(0.0177), luma_mean: rel(-0.03), luma_p95: rel(-0.03), luma_std: rel(-0.03) },
    [],
  );
  assert.is.not(probableCause(gain), 'occlusion');
});
gradual('a dark block growing over hubble at 640×480 (saturation −3.8% found, the level −2.6% in proportion, no dark pixels counted) → occlusion, not unknown', () => {
  // driftwatch replay at full size of 640×480 frames, frame 1199 (scripts/replay-scenarios.mjs): the block covers
  // sky that was already dark, so dark_fraction is not listed; a darkening adds dark pixels even there and raises saturation.
  const f = measured(
    { luma_mean: -1.32, luma_p95: -2, r_mean: -1.26, g_mean: -1.36, b_mean: -1.33, saturation_mean: -1.62, edge_density: -1.32 },
    { luma_mean: { relativeChange: -0.026, shift: -0.51 }, luma_p95: rel(-0.036), r_mean: rel(-0.024), g_mean: rel(-0.027), b_mean: rel(-0.026),
      saturation_mean: rel(-0.038), edge_density: rel(-0.041) },
    ['luma_mean', 'luma_p95', 'r_mean', 'g_mean', 'b_mean', 'edge_density'],
  );
  assert.is(probableCause(f), 'occlusion');
  // The darkening of hubble when it fires: dark pixels added, saturation up: low-light.
  const darkening = measured(
    { luma_mean: -4.44, luma_std: -4.01, luma_p95: -4, dark_fraction: 3.69, r_mean: -4.52, g_mean: -4.41, b_mean: -4.42, colorfulness: -4.4, saturation_mean: 2.96 },
    { luma_mean: { relativeChange: -0.087, shift: -1.72 }, luma_std: rel(-0.085), luma_p95: rel(-0.074), dark_fraction: share(0.038), r_mean: rel(-0.087),
      g_mean: rel(-0.086), b_mean: rel(-0.088), colorfulness: rel(-0.087), saturation_mean: rel(0.04) },
    ['luma_mean', 'luma_std', 'luma_p95', 'dark_fraction', 'r_mean', 'g_mean', 'b_mean', 'colorfulness'],
  );
  assert.is(probableCause(darkening), 'low-light');
});
gradual('noise growing on coffee measured at half size (noise_sigma +14% found; saturation −0.4%, 13 IQRs, only as context) → noise, not colour-cast', () => {
  // driftwatch replay at decode scale 2 of 640×480 frames, frame 1449 (scripts/replay-scenarios.mjs): the one finding of
  // the check is noise_sigma; saturation_mean is so steady at this size that a 0.4% move is 13 of its IQRs.
  const f = measured(
    { luma_entropy: 1.02, dark_fraction: -1.27, saturation_mean: -13.1, saturation_std: -4.94, noise_sigma: 1.39 },
    { luma_entropy: rel(0.0034), dark_fraction: share(-0.0024), saturation_mean: rel(-0.004), saturation_std: rel(-0.0081), noise_sigma: rel(0.143) },
    ['luma_entropy', 'dark_fraction', 'saturation_mean', 'saturation_std'],
  );
  assert.is(probableCause(f), 'noise');
  // Found changed by the check, the same saturation fall is the early sign of a colour cast.
  assert.is(probableCause(f.map((x) => (x.feature === 'saturation_mean' ? { ...x, implicated: true } : x))), 'colour-cast');
});
gradual.run();

const held = suite('probableCause: drifts at full size, and what they are not');
held('a blur seen during a 3% exposure dip (every level and channel −3%, listed as context) → blur, not a broad change', () => {
  const f = measured(
    { saturation_std: -9.1, edge_density: -8.3, gradient_mean: -7.8, dark_fraction: -6.7, saturation_mean: -4.9, luma_std: -3, noise_sigma: -2.9, sharpness: -2.5,
      bright_fraction: -2, luma_p95: -1.7, colorfulness: -1.6, luma_p50: -1.3, b_mean: -1.3, luma_mean: -1.2, r_mean: -1.2, luma_entropy: -1.2, g_mean: -1.2 },
    { saturation_std: rel(-0.04), edge_density: rel(-0.21), gradient_mean: rel(-0.27), dark_fraction: share(-0.013), saturation_mean: rel(-0.04), luma_std: rel(-0.06),
      noise_sigma: rel(-0.71), sharpness: rel(-0.92), bright_fraction: share(-0.009), luma_p95: rel(-0.04), colorfulness: rel(-0.03), luma_p50: rel(-0.03),
      b_mean: rel(-0.03), luma_mean: rel(-0.03), r_mean: rel(-0.03), luma_entropy: rel(-0.003), g_mean: rel(-0.02) },
    ['luma_std', 'bright_fraction', 'luma_p95', 'colorfulness', 'luma_p50', 'b_mean', 'luma_mean', 'r_mean', 'luma_entropy', 'g_mean'],
  );
  assert.is(probableCause(f), 'blur');
});
held('sensor noise with a blip of clipped pixels (bright_fraction +0.005) → noise, not overexposure', () => {
  const f = measured(
    { luma_p05: 10, saturation_std: -9.5, luma_entropy: 9.5, noise_sigma: 8.4, gradient_mean: 3.6, sharpness: 2.3, edge_density: 2.3, dark_fraction: -2, saturation_mean: 1.8, bright_fraction: 1.1, luma_p95: 1 },
    { luma_p05: rel(2), saturation_std: rel(-0.04), luma_entropy: rel(0.02), noise_sigma: rel(2.09), gradient_mean: rel(0.12), sharpness: rel(0.85), edge_density: rel(0.06),
      dark_fraction: share(-0.004), saturation_mean: rel(0.02), bright_fraction: share(0.005), luma_p95: rel(0.02) },
    ['luma_p05', 'luma_entropy', 'edge_density', 'dark_fraction', 'saturation_mean', 'bright_fraction', 'luma_p95'],
  );
  assert.is(probableCause(f), 'noise');
});
held('a dark block over the dark hubble photo takes its bright galaxies (luma_p95 −17% against luma_mean −12%, saturation −24%) → occlusion, not low-light', () => {
  const f = measured(
    { luma_p95: -9, saturation_mean: -7.8, g_mean: -6.5, luma_mean: -6.3, b_mean: -6.2, r_mean: -6.2, colorfulness: -4.9, edge_density: -4.7, dark_fraction: 4.4,
      gradient_mean: -3.4, luma_std: -1.8, saturation_std: 1.7, luma_entropy: -1.6, luma_p05: -1, luma_p50: -1 },
    { luma_p95: rel(-0.17), saturation_mean: rel(-0.24), g_mean: rel(-0.13), luma_mean: { relativeChange: -0.12, shift: -2.4 }, b_mean: rel(-0.12), r_mean: rel(-0.12),
      colorfulness: rel(-0.1), edge_density: rel(-0.21), dark_fraction: share(0.059), gradient_mean: rel(-0.2), luma_std: rel(-0.06), saturation_std: rel(0.12),
      luma_entropy: rel(-0.03), luma_p05: rel(-0.13), luma_p50: rel(-0.08) },
    ['g_mean', 'luma_mean', 'b_mean', 'r_mean', 'colorfulness', 'dark_fraction', 'luma_std', 'luma_p05', 'luma_p50'],
  );
  assert.is(probableCause(f), 'occlusion');
});
held('hubble switched to the brighter coffee scene (luma_mean +419%, only 1.7% of pixels clipped) is no bright block → scene-change', () => {
  const f = measured(
    { colorfulness: 375.5, r_mean: 373.7, luma_mean: 212.4, g_mean: 162.7, luma_p95: 157, bright_fraction: 121, luma_p50: 85.5, b_mean: 80.9, saturation_mean: 69.6,
      dark_fraction: -48.5, luma_std: 40.5, luma_entropy: 29.4, saturation_std: 6.6, luma_p05: 5, edge_density: 1.5 },
    { colorfulness: rel(7.86), r_mean: rel(7.27), luma_mean: { relativeChange: 4.19, shift: 54.5 }, g_mean: rel(3.15), luma_p95: rel(2.91), bright_fraction: share(0.017),
      luma_p50: rel(6.58), b_mean: rel(1.59), saturation_mean: rel(2.12), dark_fraction: share(-0.649), luma_std: rel(1.45), luma_entropy: rel(0.62),
      saturation_std: rel(0.46), luma_p05: rel(0.63), edge_density: rel(0.07) },
    ['edge_density'],
  );
  assert.is(probableCause(f), 'scene-change');
});
held('chelsea switched to coffee adds dark pixels (+0.077) but also texture (sharpness, edges, gradient up) → scene-change, not occlusion', () => {
  const f = measured(
    { saturation_mean: 460.9, dark_fraction: 295.8, colorfulness: 51.2, saturation_std: 45, luma_std: 42.3, luma_entropy: 24.3, luma_p05: -24, b_mean: -20.2,
      luma_p95: 16, g_mean: -12.6, luma_p50: -12, luma_mean: -7.4, sharpness: 3.9, r_mean: 2.9, noise_sigma: 2.7, edge_density: 1.6, gradient_mean: 1.5 },
    { saturation_mean: rel(0.62), dark_fraction: share(0.077), colorfulness: rel(1.02), saturation_std: rel(0.29), luma_std: rel(0.89), luma_entropy: rel(0.11),
      luma_p05: rel(-0.79), b_mean: rel(-0.41), luma_p95: rel(0.3), g_mean: rel(-0.25), luma_p50: rel(-0.2), luma_mean: { relativeChange: -0.15, shift: -18 },
      sharpness: rel(1.56), r_mean: rel(0.06), noise_sigma: rel(0.67), edge_density: rel(0.2), gradient_mean: rel(0.08) },
    ['saturation_mean', 'dark_fraction', 'luma_p05', 'b_mean', 'g_mean', 'luma_p50', 'luma_mean', 'r_mean', 'edge_density', 'gradient_mean'],
  );
  assert.is(probableCause(f), 'scene-change');
});
held.run();
