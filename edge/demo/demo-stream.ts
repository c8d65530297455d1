// The demo's camera: a sample photo seen through the scenario harness's
// simulated camera (sub-pixel mount jitter, exposure wander, sensor noise;
// docs/scenarios.md), 320×240 at 10 fps, written as JPEG files. The bundled
// baseline (samples/demo/) was built from a stable stretch of this camera
// with another seed (scripts/build-demo-baseline.mjs).
import { writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { DEFAULT_VARIATION, streamFrames, type StreamSpec } from '../../eval/camera-stream.js';
import type { DriftKind } from '../../eval/drift.js';

export const DEMO_CAMERA = { id: 'coffee-cam', photo: 'coffee.png', width: 320, height: 240, fps: 10 } as const;
export const DEMO_JPEG_QUALITY = 90;
/** Seed of the stable stretch the bundled baseline was built from; the demo stream uses another. */
export const DEMO_BASELINE_SEED = 4242;
export const DEMO_BASELINE_FRAMES = 1200;

export interface DemoStreamOptions {
  frames: number;
  seed: number;
  /** An abrupt drift from this frame on. */
  drift?: { kind: DriftKind; startFrame: number; targetPhoto?: string };
}

export function demoSpec(options: DemoStreamOptions): StreamSpec {
  return {
    photo: DEMO_CAMERA.photo, width: DEMO_CAMERA.width, height: DEMO_CAMERA.height,
    frames: options.frames, seed: options.seed, variation: DEFAULT_VARIATION,
    ...(options.drift ? { drift: { ...options.drift, onset: 'abrupt' as const, rampFrames: 0 } } : {}),
  };
}

/** The stream's frames as JPEG bytes, in order. */
export async function* demoJpegFrames(options: DemoStreamOptions): AsyncGenerator<{ index: number; jpeg: Buffer }> {
  const { width, height } = DEMO_CAMERA;
  for await (const frame of streamFrames(demoSpec(options))) {
    const jpeg = await sharp(frame.rgb, { raw: { width, height, channels: 3 } }).jpeg({ quality: DEMO_JPEG_QUALITY }).toBuffer();
    yield { index: frame.index, jpeg };
  }
}

/**
 * Writes the stream into `folder` as a camera would: each frame to a dotfile
 * first, then renamed to frame-NNNNNN.jpg, `fps` frames per second of wall time.
 */
export async function writeDemoStream(folder: string, options: DemoStreamOptions & { fps: number; onFrame?: (index: number) => void }): Promise<void> {
  const started = performance.now();
  for await (const { index, jpeg } of demoJpegFrames(options)) {
    const name = `frame-${String(index).padStart(6, '0')}.jpg`;
    await writeFile(join(folder, `.${name}.part`), jpeg);
    await rename(join(folder, `.${name}.part`), join(folder, name));
    options.onFrame?.(index);
    const due = started + ((index + 1) * 1000) / options.fps;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
