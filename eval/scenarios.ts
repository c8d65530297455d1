// The scenarios `npm run eval` runs: per camera (a photo), a reference
// stretch, a long stable stream, and each drift abrupt and gradual.
import { DEFAULT_VARIATION, type StreamSpec } from './camera-stream.js';
import { DRIFT_KINDS, type DriftKind, type DriftOnset, type DriftSpec } from './drift.js';

export const FPS = 10;
export const FRAME_WIDTH = 320;
export const FRAME_HEIGHT = 240;
/** Reference stretch per camera: 6,000 frames (10 min at 10 fps). */
export const REFERENCE_FRAMES = 6000;
/** Drift streams: 1,000 stable frames, then the drift; gradual ones reach full size 1,000 frames later. */
export const DRIFT_START = 1000;
export const RAMP_FRAMES = 1000;
export const DRIFT_STREAM_FRAMES = 3000;
export const DEFAULT_STABLE_FRAMES = 100_000;

/** The cameras, and for each the photo its scene change switches to. */
export const CAMERAS = [
  { photo: 'coffee.png', sceneChangeTo: 'chelsea.png' },
  { photo: 'astronaut.png', sceneChangeTo: 'rocket.jpg' },
  { photo: 'chelsea.png', sceneChangeTo: 'coffee.png' },
  { photo: 'rocket.jpg', sceneChangeTo: 'astronaut.png' },
  { photo: 'hubble_deep_field.jpg', sceneChangeTo: 'coffee.png' },
] as const;
export const DEFAULT_DRIFT_CAMERAS = ['coffee'];

export interface Camera {
  name: string;
  photo: string;
  sceneChangeTo: string;
  reference: StreamSpec;
}

export interface Scenario {
  name: string;
  camera: string;
  spec: StreamSpec;
  drift?: DriftSpec;
}

export function cameraName(photo: string): string {
  return photo.replace(/\.[a-z]+$/i, '').replace(/_/g, '-');
}

function streamSpec(photo: string, frames: number, seed: number, drift?: DriftSpec): StreamSpec {
  return { photo, width: FRAME_WIDTH, height: FRAME_HEIGHT, frames, seed, variation: { ...DEFAULT_VARIATION }, ...(drift ? { drift } : {}) };
}

// Seeds: reference 1000 + i, stable 2000 + i, drift 3000 + i for camera i. All
// drift streams of a camera share a seed, so they agree frame for frame before the drift.
export function cameras(): Camera[] {
  return CAMERAS.map(({ photo, sceneChangeTo }, i) => ({
    name: cameraName(photo), photo, sceneChangeTo, reference: streamSpec(photo, REFERENCE_FRAMES, 1000 + i),
  }));
}

export interface ScenarioOptions {
  stableFrames?: number;
  driftCameras?: readonly string[];
  driftKinds?: readonly DriftKind[];
}

export function scenarios(options: ScenarioOptions = {}): Scenario[] {
  const all = cameras();
  const stableFrames = options.stableFrames ?? DEFAULT_STABLE_FRAMES;
  const perCamera = Math.ceil(stableFrames / all.length);
  const driftCameras = options.driftCameras ?? DEFAULT_DRIFT_CAMERAS;
  const list: Scenario[] = [];
  all.forEach((camera, i) => {
    if (perCamera > 0) list.push({ name: `stable-${camera.name}`, camera: camera.name, spec: streamSpec(camera.photo, perCamera, 2000 + i) });
  });
  for (const name of driftCameras) {
    const i = all.findIndex((c) => c.name === name);
    if (i < 0) throw new RangeError(`unknown camera ${name}; cameras: ${all.map((c) => c.name).join(', ')}`);
    const camera = all[i];
    for (const kind of options.driftKinds ?? DRIFT_KINDS) {
      for (const onset of ['abrupt', 'gradual'] as DriftOnset[]) {
        const drift: DriftSpec = {
          kind, onset, startFrame: DRIFT_START, rampFrames: onset === 'gradual' ? RAMP_FRAMES : 0,
          ...(kind === 'scene-change' ? { targetPhoto: camera.sceneChangeTo } : {}),
        };
        list.push({ name: `${kind}-${onset}-${camera.name}`, camera: camera.name, spec: streamSpec(camera.photo, DRIFT_STREAM_FRAMES, 3000 + i, drift), drift });
      }
    }
  }
  return list;
}
