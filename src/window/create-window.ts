// One spec type per window kind, so a window can be described in options and
// built the same way for every feature of a camera.
import { Fields, within } from '../codec/checkpoint-fields.js';
import { WINDOW_CHECKPOINT, type FeatureWindow } from './feature-window.js';
import { SlidingCountWindow, TumblingCountWindow } from './count-windows.js';
import { SlidingTimeWindow, TumblingTimeWindow } from './time-windows.js';

export type WindowSpec =
  | { kind: 'sliding-count'; size: number }
  | { kind: 'tumbling-count'; size: number }
  | { kind: 'sliding-time'; durationMs: number; capacity?: number }
  | { kind: 'tumbling-time'; durationMs: number; capacity?: number };

export function createWindow(spec: WindowSpec): FeatureWindow {
  if (spec === null || typeof spec !== 'object') throw new TypeError('window spec must be an object with a kind');
  switch (spec.kind) {
    case 'sliding-count': return new SlidingCountWindow(spec);
    case 'tumbling-count': return new TumblingCountWindow(spec);
    case 'sliding-time': return new SlidingTimeWindow(spec);
    case 'tumbling-time': return new TumblingTimeWindow(spec);
    default:
      throw new RangeError(
        `window kind must be one of 'sliding-count', 'tumbling-count', 'sliding-time', 'tumbling-time'; got ${String((spec as { kind: unknown }).kind)}`,
      );
  }
}

/** Rebuilds a window from its toJSON() output; `path` names it in errors. */
export function windowFromJSON(json: unknown, path = 'window'): FeatureWindow {
  const fields = Fields.envelope(json, path, WINDOW_CHECKPOINT.type, WINDOW_CHECKPOINT.version);
  const spec = fields.object('spec');
  const window = within(spec.path, () => createWindow(spec.record as unknown as WindowSpec));
  window.restoreState(fields.object('state'));
  return window;
}
