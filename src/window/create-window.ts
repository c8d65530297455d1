// One spec type per window kind, so a window can be described in options and
// built the same way for every feature of a camera.
import type { FeatureWindow } from './feature-window.js';
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
