#!/usr/bin/env node
// Builds the demo's bundled baseline, samples/demo/coffee-cam.dwb: 1,200
// stable frames (2 minutes at 10 fps) of the demo camera (edge/demo/demo-stream.ts),
// JPEG-encoded and decoded as the agent will see them, time-ordered (--stream:
// τ and the CUSUM calibration are stored). Deterministic: same code, same file.
// Usage (after npm run build): node scripts/build-demo-baseline.mjs
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaselineBuilder, encodeBaseline, loadKernels } from '../dist/edge/library.js';
import { decodeImage } from '../dist/edge/decode.js';
import { DEMO_BASELINE_FRAMES, DEMO_BASELINE_SEED, DEMO_CAMERA, demoJpegFrames } from '../dist/edge/demo/demo-stream.js';

const out = fileURLToPath(new URL('../samples/demo/coffee-cam.dwb', import.meta.url));
const kernels = await loadKernels();
const builder = new BaselineBuilder({ timeOrdered: { fps: DEMO_CAMERA.fps } });
for await (const { index, jpeg } of demoJpegFrames({ frames: DEMO_BASELINE_FRAMES, seed: DEMO_BASELINE_SEED })) {
  const frame = await decodeImage(jpeg, `frame ${index}`);
  builder.addFrame(kernels.frameStats(frame.data, { width: frame.width, height: frame.height, format: frame.format }));
  if (index % 200 === 0) process.stderr.write(`frame ${index}\n`);
}
const content = builder.build({
  source: `demo camera ${DEMO_CAMERA.id}: ${DEMO_BASELINE_FRAMES} stable frames of samples/${DEMO_CAMERA.photo}, seed ${DEMO_BASELINE_SEED}`,
  createdAt: Date.UTC(2026, 10, 21),
  model: null,
});
const { bytes, digest } = await encodeBaseline(content);
await mkdir(dirname(out), { recursive: true });
await writeFile(out, bytes);
console.log(`wrote ${out}: ${bytes.length} bytes, ${digest}`);
