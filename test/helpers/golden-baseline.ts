// A small baseline whose every input is fixed (no kernels, no clock), so its
// encoded bytes can be pinned as a golden fixture.
import { BaselineBuilder } from '../../src/baseline/baseline-builder.js';
import type { BaselineContent } from '../../src/baseline/baseline-codec.js';
import { SCALAR_FEATURE_NAMES, type ScalarFeatureName } from '../../src/catalogue.js';

export const GOLDEN_BASELINE_FILE = 'test/fixtures/baseline-golden.dwb';

export function goldenBaselineContent(catalogueVersion?: number): BaselineContent {
  const builder = new BaselineBuilder({ maxCategories: 4 });
  for (let frame = 0; frame < 50; frame++) {
    const features = {} as Record<ScalarFeatureName, number>;
    SCALAR_FEATURE_NAMES.forEach((name, i) => { features[name] = i * 10 + ((frame * 7 + i) % 13) / 4; });
    const luma = new Array<number>(256).fill(0);
    luma[(frame * 5) % 256] = 100;
    const hue = new Array<number>(36).fill(0);
    hue[frame % 36] = 40;
    builder.addFrame({ features, histograms: { luma, hue } });
  }
  for (const label of ['cat', 'dog', 'cat', 'bird', 'fish', 'newt', 'cat']) builder.addPrediction({ kind: 'classifier', classes: [label] });
  const content = builder.build({ source: 'golden fixture', createdAt: 1_790_000_000_000, model: { id: 'resnet50', version: '1.2.0' } });
  if (catalogueVersion !== undefined) content.header.catalogueVersion = catalogueVersion;
  return content;
}
