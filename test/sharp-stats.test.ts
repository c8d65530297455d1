// Channel means and standard deviations against a second, independent
// implementation: libvips' stats() through sharp, on the same raw buffers.
import { suite } from 'uvu';
import sharp from 'sharp';
import { BUILDS, loadBuild } from './helpers/builds.js';
import { assertClose } from './helpers/compare.js';
import { photo } from './helpers/frames.js';

const stats = suite('channel statistics against sharp stats()');

for (const build of BUILDS) {
  stats(`${build} build: channel means, and each channel's std fed as a gray frame`, async () => {
    const kernels = await loadBuild(build);
    for (const name of ['astronaut.png', 'coffee.png', 'rocket.jpg', 'camera.png']) {
      const frame = await photo(name, 'rgb');
      const { width, height } = frame;
      const reference = await sharp(frame.data, { raw: { width, height, channels: 3 } }).stats();
      const ours = kernels.frameStats(frame.data, frame).features;
      const n = width * height;
      ['r_mean', 'g_mean', 'b_mean'].forEach((feature, c) => {
        assertClose(ours[feature as 'r_mean'], reference.channels[c].mean, 1e-12, `${name} ${feature}`);
        const plane = new Uint8Array(n);
        for (let i = 0; i < n; i++) plane[i] = frame.data[3 * i + c];
        const gray = kernels.frameStats(plane, { width, height, format: 'gray' }).features;
        assertClose(gray.luma_mean, reference.channels[c].mean, 1e-12, `${name} channel ${c} mean`);
        // libvips reports the sample standard deviation (n - 1).
        const populationStd = reference.channels[c].stdev * Math.sqrt((n - 1) / n);
        assertClose(gray.luma_std, populationStd, 1e-9, `${name} channel ${c} std`);
      });
    }
  });
}

stats.run();
