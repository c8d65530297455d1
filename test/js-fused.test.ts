// The benchmark's plain-JS peer computes the same catalogue (so the speed
// comparison is fair): checked against the reference on real photos.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { jsFusedFrameStats } from '../bench/js-fused-frame-stats.js';
import { referenceFrameStats } from './reference/frame-reference.js';
import { assertFeatures } from './helpers/compare.js';
import { photo } from './helpers/frames.js';

const peer = suite('plain-JS benchmark peer');

peer('matches the reference on photos in every format', async () => {
  for (const name of ['coffee.png', 'camera.png', 'rocket.jpg']) {
    for (const format of ['rgba', 'rgb', 'gray'] as const) {
      const frame = await photo(name, format);
      const ours = jsFusedFrameStats(frame.data, frame.width, frame.height, frame.channels);
      const expected = referenceFrameStats(frame);
      assert.equal(Array.from(ours.luma), expected.histograms.luma);
      assert.equal(Array.from(ours.hue), expected.histograms.hue);
      // One-pass moments (s2/n - mean²) lose a few digits; 1e-7 is plenty to show it is the same catalogue.
      assertFeatures(ours.features, expected.features, frame.name, 1e-7);
    }
  }
});

peer.run();
