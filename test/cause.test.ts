import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { explainCause, probableCause } from '../edge/library.js';
import { distribution, finding, pattern } from './helpers/findings.js';

// Effects are median shifts in baseline IQRs, shaped after what each factor does to the features (docs/causes.md).
const darkening = () => pattern(
  { luma_mean: -4, luma_p50: -4, luma_p05: -2, luma_p95: -3.5, luma_std: -2, luma_entropy: -1.5, dark_fraction: 3,
    r_mean: -3.5, g_mean: -3.6, b_mean: -3, colorfulness: -2, sharpness: -12, edge_density: -5, gradient_mean: -6 },
  {
    ...Object.fromEntries(['luma_mean', 'luma_p50', 'luma_p05', 'luma_p95', 'luma_std', 'r_mean', 'g_mean', 'b_mean', 'colorfulness'].map((n) => [n, { relativeChange: -0.3 }])),
    dark_fraction: { shift: 0.05 },
  },
);

const single = suite('probableCause: single-factor patterns');
single('darkening (luma −30%, everything scaled down, dark_fraction up) → low-light', () => {
  const e = explainCause(darkening());
  assert.is(e.cause, 'low-light');
  assert.is(e.share, 1);
});
single('overexposure (levels up, highlights clipped, colour washed out) → overexposure', () => {
  const f = pattern(
    { luma_mean: 3, luma_p50: 3, luma_p05: 2, luma_p95: 2, bright_fraction: 6, dark_fraction: -1, r_mean: 3, g_mean: 3, b_mean: 2.5, saturation_mean: -2, edge_density: -1 },
    { luma_mean: { relativeChange: 0.3 }, bright_fraction: { shift: 0.2 } },
  );
  assert.is(probableCause(f), 'overexposure');
});
single('defocus (detail gone, levels unchanged) → blur', () => {
  assert.is(probableCause(pattern({ sharpness: -8, edge_density: -5, gradient_mean: -4, noise_sigma: -2, luma_std: -0.8, luma_p95: -0.7 })), 'blur');
});
single('fog (detail gone, levels lifted and flattened, colour greyed) → blur', () => {
  const f = pattern(
    { luma_mean: 2, luma_std: -4, luma_p05: 5, colorfulness: -3, saturation_mean: -3, sharpness: -6, edge_density: -5, gradient_mean: -5, r_mean: 2, g_mean: 2, b_mean: 2 },
    { luma_mean: { relativeChange: 0.12 } },
  );
  assert.is(probableCause(f), 'blur');
});
single('sensor noise (noise_sigma up, read as texture) → noise', () => {
  assert.is(probableCause(pattern({ noise_sigma: 8, sharpness: 6, gradient_mean: 3, luma_std: 1, luma_entropy: 1, saturation_std: 1 })), 'noise');
});
single('warm white balance (red up, blue down, luma quiet) → colour-cast', () => {
  const f = [...pattern({ r_mean: 4, b_mean: -4, saturation_mean: 2, colorfulness: 3, luma_mean: 0.6 }, { luma_mean: { relativeChange: 0.03 } }), distribution('hue', 0.2)];
  assert.is(probableCause(f), 'colour-cast');
});
single('one channel alone, or the hue histogram alone → colour-cast', () => {
  assert.is(probableCause(pattern({ b_mean: 3, colorfulness: 1 })), 'colour-cast');
  assert.is(probableCause([distribution('hue', 0.25)]), 'colour-cast');
});
single('a dark object over 25% of the view (dark_fraction +0.25, highlights unchanged, edges lost) → occlusion', () => {
  const f = pattern(
    { dark_fraction: 8, luma_mean: -3, luma_p05: -4, luma_p50: -1.5, luma_std: 2, luma_entropy: -1, edge_density: -3, gradient_mean: -3, sharpness: -2, r_mean: -3, g_mean: -3, b_mean: -3 },
    { dark_fraction: { shift: 0.25 }, luma_mean: { relativeChange: -0.25 } },
  );
  assert.is(probableCause(f), 'occlusion');
});
single('a bright object over 25% of the view (bright_fraction +0.25, shadows unchanged) → occlusion', () => {
  const f = pattern({ bright_fraction: 6, luma_mean: 2, luma_p95: 1, luma_std: 2, edge_density: -2 }, { bright_fraction: { shift: 0.25 }, luma_mean: { relativeChange: 0.2 } });
  assert.is(probableCause(f), 'occlusion');
});
single('a dark block over the bright part of the view (luma_p95 −27% but luma_std −9% against luma_mean −33%) → occlusion', () => {
  // Measured on the rocket photo with its lower-left quadrant occluded.
  const f = pattern(
    { dark_fraction: 10, luma_p05: -10, luma_entropy: -10, r_mean: -10, luma_mean: -10, g_mean: -10, luma_p50: -10, b_mean: -10,
      luma_p95: -9.7, colorfulness: -4.4, edge_density: -4.3, gradient_mean: -4, luma_std: -3.7, noise_sigma: -1.1 },
    { dark_fraction: { shift: 0.25 }, luma_mean: { relativeChange: -0.33 }, luma_p95: { relativeChange: -0.27 }, luma_std: { relativeChange: -0.09 } },
  );
  assert.is(probableCause(f), 'occlusion');
});
single('a new scene (most features, every group, mixed directions) → scene-change', () => {
  const f = pattern(
    { luma_mean: -1, luma_p05: 2, luma_p95: -2, luma_std: 3, luma_entropy: 1, dark_fraction: -1, r_mean: 3, g_mean: -2, b_mean: -3,
      saturation_mean: 2, colorfulness: 3, sharpness: 4, edge_density: 3, gradient_mean: -2, noise_sigma: 1 },
    { luma_mean: { relativeChange: -0.08 } },
  );
  const e = explainCause(f);
  assert.is(e.cause, 'scene-change');
  assert.match(e.rule, /40%/);
});
single('a changed frame size → scene-change', () => {
  assert.is(probableCause([finding('width', 1e9), finding('aspect_ratio', 1e9)]), 'scene-change');
});
single('prediction features alone (confidence down, entropy up, class mix) → model-uncertainty', () => {
  assert.is(probableCause([finding('pred_top1_confidence', -3), finding('pred_entropy', 2)]), 'model-uncertainty');
  assert.is(probableCause([distribution('predicted_class', 0.3)]), 'model-uncertainty');
});
single('prediction features found changed, image features only as context (implicated: false) → model-uncertainty; found changed → the image rules', () => {
  const prediction = [finding('pred_top1_confidence', -3), finding('pred_margin', -3)];
  const context = [{ ...finding('r_mean', 1.2, { relativeChange: 0.06 }), implicated: false }, { ...finding('g_mean', -1.1, { relativeChange: -0.06 }), implicated: false }];
  const e = explainCause([...prediction, ...context]);
  assert.is(e.cause, 'model-uncertainty');
  assert.match(e.rule, /moved within noise/);
  // The same image pattern found changed by the check: channels apart with luma quiet is a colour cast.
  assert.is(probableCause([...prediction, ...context.map((f) => ({ ...f, implicated: true }))]), 'colour-cast');
  assert.is(probableCause([...prediction, ...context.map(({ implicated: _, ...f }) => f)]), 'colour-cast');
  // Context alone, without a prediction finding, is left to the image rules.
  assert.is(probableCause(context), 'colour-cast');
});
single('no findings, or a lone change no rule explains → unknown', () => {
  assert.equal(explainCause([]), { cause: 'unknown', rule: 'no findings', share: null });
  assert.is(probableCause([finding('saturation_std', 0.8)]), 'unknown');
  assert.is(probableCause([finding('luma_entropy', -1), finding('sharpness', -1)]), 'unknown');
});
single.run();

const mixed = suite('probableCause: ambiguous and mixed patterns');
mixed('darkening whose largest effect is the sharpness loss (−40 IQRs) is still low-light', () => {
  const f = darkening().map((x) => (x.feature === 'sharpness' ? finding('sharpness', -40) : x));
  assert.is(probableCause(f), 'low-light');
});
mixed('darkening with the camera raising its gain (noise_sigma up) is low-light, not noise', () => {
  assert.is(probableCause([...darkening(), finding('noise_sigma', 5)]), 'low-light');
});
mixed('blur with a slight darkening (luma_mean −2%) is blur', () => {
  const f = pattern({ sharpness: -10, edge_density: -6, gradient_mean: -6, luma_mean: -0.6 }, { luma_mean: { relativeChange: -0.02 } });
  assert.is(probableCause(f), 'blur');
});
mixed('a colour cast that also darkens the frame a lot is not a cast: low-light', () => {
  const f = pattern({ r_mean: -2, b_mean: -6, g_mean: -3, luma_mean: -4, luma_p50: -4, dark_fraction: 2 }, { luma_mean: { relativeChange: -0.25 } });
  assert.is(probableCause(f), 'low-light');
});
mixed('a uniform brightening without clipping or detail loss is overexposure, with detail loss it is fog (blur)', () => {
  const lift = { luma_mean: 2, luma_p50: 2, luma_p95: 2, r_mean: 2, g_mean: 2, b_mean: 2 };
  assert.is(probableCause(pattern(lift, { luma_mean: { relativeChange: 0.15 } })), 'overexposure');
  assert.is(probableCause(pattern({ ...lift, sharpness: -4, edge_density: -3, luma_std: -3 }, { luma_mean: { relativeChange: 0.15 } })), 'blur');
});
mixed('prediction changes beside image changes: the image decides', () => {
  assert.is(probableCause([...darkening(), finding('pred_top1_confidence', -5), finding('pred_entropy', 4)]), 'low-light');
});
mixed('a darkening plus large unrelated changes (sharpness and edges up) explains too little → not low-light', () => {
  const f = [...pattern({ luma_mean: -2, luma_p50: -2, sharpness: 8, edge_density: 6, gradient_mean: 6 }, { luma_mean: { relativeChange: -0.1 } })];
  assert.is.not(probableCause(f), 'low-light');
});
mixed('a uniform darkening of a dark scene (dark_fraction +0.13; std and p95 −30% like the mean) is low-light, not occlusion', () => {
  const f = darkening().map((x) => (x.feature === 'dark_fraction' ? { ...x, shift: 0.13 } : x));
  assert.is(probableCause(f), 'low-light');
});
mixed('a new scene that looks like fog but moves the channels apart (b +67%, r −7%) is a scene change', () => {
  // Measured: the coffee camera switched to the chelsea photo.
  const f = pattern(
    { luma_p05: 10, saturation_mean: -10, saturation_std: -10, b_mean: 10, dark_fraction: -10, luma_entropy: -10, colorfulness: -10, luma_std: -10,
      g_mean: 10, luma_p95: -10, luma_p50: 10, luma_mean: 8, edge_density: -3.5, r_mean: -3.3, gradient_mean: -1.8, sharpness: -1.4, noise_sigma: -1.2 },
    { b_mean: { relativeChange: 0.67 }, g_mean: { relativeChange: 0.32 }, r_mean: { relativeChange: -0.07 }, luma_mean: { relativeChange: 0.16 } },
  );
  assert.is(probableCause(f), 'scene-change');
});
mixed('noise_sigma up with the light level up by 50% is not sensor noise', () => {
  const f = pattern({ noise_sigma: 4, sharpness: 3, luma_mean: 5, luma_p50: 5 }, { luma_mean: { relativeChange: 0.5 } });
  assert.is.not(probableCause(f), 'noise');
});
mixed('findings that are not an array are a TypeError', () => {
  assert.throws(() => probableCause(null as never), TypeError);
});
mixed.run();
