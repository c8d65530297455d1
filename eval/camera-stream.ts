// A seeded camera stream: a photo seen through a camera whose mount jitters by
// sub-pixel amounts and whose exposure wanders (both AR(1), so consecutive
// frames are correlated as in real video), with sensor noise and JPEG, and
// optionally an injected drift. Same spec, same pixels.
import { Ar1 } from './ar1.js';
import { effectsAt, type DriftSpec } from './drift.js';
import { NOISE_TABLE_MASK } from './gaussian-table.js';
import { batchRows, checkFrameHeight, fillPads, frameRow, jpegRoundTrip } from './jpeg-batch.js';
import { basePhoto } from './photo.js';
import { Prng } from './prng.js';
import { renderFrame, type FrameRecipe } from './render-frame.js';
import { DRIFT_SIZE } from './drift.js';

export interface Variation {
  /** Mount jitter: stationary sd of the crop offset in px, and its lag-1 correlation per frame. */
  jitterSd: number;
  jitterPhi: number;
  /** Exposure wander: stationary sd of the gain around 1, and its lag-1 correlation. */
  exposureSd: number;
  exposurePhi: number;
  /** Gaussian sensor noise per channel, in levels. */
  sensorNoiseSigma: number;
  jpegQuality: number;
}

export const DEFAULT_VARIATION: Readonly<Variation> = Object.freeze({
  jitterSd: 0.5, jitterPhi: 0.9, exposureSd: 0.015, exposurePhi: 0.98, sensorNoiseSigma: 2, jpegQuality: 85,
});

/** Crop margin around the frame in the scene, px; the jitter is clipped to ±(margin − 1). */
export const JITTER_MARGIN = 4;

export interface StreamSpec {
  /** File in samples/. */
  photo: string;
  width: number;
  height: number;
  frames: number;
  seed: number;
  variation: Variation;
  drift?: DriftSpec;
}

export interface StreamFrame {
  index: number;
  /** width × height × 3 bytes, valid until the generator resumes. */
  rgb: Uint8Array;
}

export interface StreamOptions {
  /** Frames per JPEG batch (16). */
  batchSize?: number;
  /** Batches in sharp's thread pool while the next is drawn (2). */
  inFlight?: number;
}

class FrameRecipes {
  private readonly random: Prng;
  private readonly jitterX: Ar1;
  private readonly jitterY: Ar1;
  private readonly exposure: Ar1;
  private index = 0;

  constructor(private readonly spec: StreamSpec) {
    const v = spec.variation;
    this.random = new Prng(spec.seed);
    this.jitterX = new Ar1(this.random, v.jitterPhi, v.jitterSd);
    this.jitterY = new Ar1(this.random, v.jitterPhi, v.jitterSd);
    this.exposure = new Ar1(this.random, v.exposurePhi, v.exposureSd);
  }

  async next(): Promise<FrameRecipe> {
    const { spec } = this;
    const { width, height, photo } = spec;
    const effects = effectsAt(spec.drift, this.index++);
    const sceneWidth = width + 2 * JITTER_MARGIN, sceneHeight = height + 2 * JITTER_MARGIN;
    const scene = await basePhoto(photo, sceneWidth, sceneHeight, effects.blurSigma);
    const target = spec.drift?.targetPhoto;
    const second = effects.sceneMix > 0 && target ? await basePhoto(target, sceneWidth, sceneHeight, effects.blurSigma) : undefined;
    const limit = JITTER_MARGIN - 1;
    const clip = (d: number) => Math.max(-limit, Math.min(limit, d));
    const gain = (1 + this.exposure.value) * effects.gain;
    const noise = spec.variation.sensorNoiseSigma;
    const recipe: FrameRecipe = {
      scene, second, mix: effects.sceneMix, width, height,
      originX: JITTER_MARGIN + clip(this.jitterX.value),
      originY: JITTER_MARGIN + clip(this.jitterY.value),
      redGain: gain * effects.redGain, greenGain: gain, blueGain: gain * effects.blueGain,
      noiseSigma: Math.sqrt(noise * noise + effects.extraNoiseSigma * effects.extraNoiseSigma),
      noiseOffset: this.random.uint32() & NOISE_TABLE_MASK,
      occluderWidth: Math.round(effects.occluderWidthFraction * width),
      occluderHeight: height / 2,
      occluderLevel: DRIFT_SIZE.occluderLevel,
    };
    this.jitterX.next();
    this.jitterY.next();
    this.exposure.next();
    return recipe;
  }
}

export function checkSpec(spec: StreamSpec): void {
  checkFrameHeight(spec.height);
  if (!Number.isInteger(spec.width) || spec.width < 3) throw new RangeError(`width must be an integer >= 3; got ${spec.width}`);
  if (!Number.isInteger(spec.frames) || spec.frames < 0) throw new RangeError(`frames must be an integer >= 0; got ${spec.frames}`);
  if (spec.drift?.kind === 'scene-change' && !spec.drift.targetPhoto) throw new RangeError('a scene-change drift needs targetPhoto');
}

/** The stream's frames in order, drawn in batches and JPEG-compressed in sharp's threads. */
export async function* streamFrames(spec: StreamSpec, options: StreamOptions = {}): AsyncGenerator<StreamFrame> {
  checkSpec(spec);
  const batchSize = options.batchSize ?? 16, inFlight = options.inFlight ?? 2;
  const { width, height } = spec;
  const rowBytes = width * 3;
  const recipes = new FrameRecipes(spec);
  const pending: Array<{ first: number; count: number; decoded: Promise<Uint8Array> }> = [];
  let drawn = 0, emitted = 0;
  while (emitted < spec.frames) {
    while (drawn < spec.frames && pending.length < inFlight) {
      const count = Math.min(batchSize, spec.frames - drawn);
      const rows = batchRows(height, count);
      const tall = new Uint8ClampedArray(rows * rowBytes);
      for (let i = 0; i < count; i++) renderFrame(await recipes.next(), tall, frameRow(height, i) * rowBytes);
      fillPads(tall, width, height, count);
      pending.push({ first: drawn, count, decoded: jpegRoundTrip(tall, width, rows, spec.variation.jpegQuality) });
      drawn += count;
    }
    const batch = pending.shift()!;
    const decoded = await batch.decoded;
    for (let i = 0; i < batch.count; i++) {
      const start = frameRow(height, i) * rowBytes;
      yield { index: batch.first + i, rgb: decoded.subarray(start, start + height * rowBytes) };
    }
    emitted += batch.count;
  }
}
