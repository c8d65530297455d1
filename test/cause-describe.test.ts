import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { describeFinding, findingFromTest, type FeatureTest } from '../edge/library.js';
import { distribution, finding } from './helpers/findings.js';

const describe = suite('describeFinding');
describe('relative change in % with the unit: "luma_mean −38% (level 0-255)"', () => {
  assert.is(describeFinding(finding('luma_mean', -5, { relativeChange: -0.38, shift: -45, unit: 'level (0-255)' })), 'luma_mean \u221238% (level 0-255)');
  assert.is(describeFinding(finding('noise_sigma', 2, { relativeChange: 0.052, unit: 'level (0-255)' })), 'noise_sigma +5.2% (level 0-255)');
});
describe('the shift in the unit when there is no relative change or it is beyond ±1000%', () => {
  assert.is(describeFinding(finding('dark_fraction', 6, { shift: 0.3125, unit: 'fraction' })), 'dark_fraction +0.313 (fraction)');
  assert.is(describeFinding(finding('bright_fraction', 6, { relativeChange: 40, shift: 0.2, unit: 'fraction' })), 'bright_fraction +0.2 (fraction)');
  assert.is(describeFinding(finding('sharpness', -9, { shift: -1234.5, unit: 'level²' })), 'sharpness \u22121.23e+3 (level²)');
});
describe('a histogram or class mix gives its distance; no unit, no parentheses', () => {
  assert.is(describeFinding(distribution('hue', 0.234)), 'hue JS distance 0.234');
  assert.is(describeFinding(finding('pred_entropy', 3, { relativeChange: 0.5 })), 'pred_entropy +50%');
});
describe.run();

const convert = suite('findingFromTest');
convert('takes the adjusted p-value, the median shift and the catalogue unit', () => {
  const test: FeatureTest = {
    feature: 'luma_mean', kind: 'continuous', statistic: 0.4, pvalue: 1e-8, adjustedPvalue: 2e-7, effectiveSize: 40,
    effect: -3.2, relativeChange: -0.3, direction: 'down', windowMedian: 84, baselineMedian: 120, significant: true,
  };
  assert.equal(findingFromTest(test), {
    feature: 'luma_mean', statistic: 0.4, pvalue: 2e-7, effect: -3.2, shift: -36, relativeChange: -0.3, direction: 'down', unit: 'level (0-255)',
  });
});
convert('a histogram keeps no direction and no shift; its unit is the JS distance', () => {
  const test: FeatureTest = {
    feature: 'hue', kind: 'histogram', statistic: 0.2, pvalue: null, adjustedPvalue: null, effectiveSize: 1e6,
    effect: 0.2, relativeChange: null, direction: null, windowMedian: null, baselineMedian: null, significant: true,
  };
  assert.equal(findingFromTest(test), { feature: 'hue', statistic: 0.2, pvalue: null, effect: 0.2, shift: null, relativeChange: null, direction: null, unit: 'JS distance' });
});
convert.run();
