// The first drifting check of a long-running agent runs code that no clean
// check touched (findings, causes, the lifecycle's transitions, the alert's
// envelope), and V8 compiles it on the spot: measured, the first alert's
// check took 40-120 ms against 2-8 ms once warm, most of the frame-to-broker
// latency of the first alert. At start, each baseline's monitor path is run
// once on synthetic frames drawn from the baseline itself, then shifted, so
// the first real alert finds the code compiled. Nothing of it is kept.
import type { Baseline } from '../../src/baseline/baseline.js';
import { featureReference } from '../../src/baseline/baseline.js';
import type { AlertEvent } from '../../src/policy/alert-types.js';
import { DriftMonitor, type DriftMonitorOptions } from '../../src/policy/drift-monitor.js';

/** Runs a throwaway monitor (the camera's options) to firing; returns the events it saw, for the caller's own encoders. */
export function warmUpMonitor(options: DriftMonitorOptions): AlertEvent[] {
  const monitor = new DriftMonitor({ ...options, camera: `${options.camera}.warm-up` });
  const names = monitor.windows.features;
  const windowSize = options.window && 'size' in options.window ? options.window.size : 300;
  const checkEvery = monitor.checkEvery;
  // A fixed low-discrepancy sequence: no randomness, the same work every start.
  let u = 0.5;
  const draw = (baseline: Baseline, name: string, shift: number): number => {
    u = (u + 0.6180339887498949) % 1;
    const reference = featureReference(baseline, name);
    if (!reference || reference.count === 0) return 0;
    const spread = reference.std > 0 ? reference.std : 1;
    return reference.sketch.quantile(u) + shift * spread;
  };
  const events: AlertEvent[] = [];
  const total = windowSize + 12 * checkEvery;
  for (let index = 0; index < total && !events.some((e) => e.state === 'firing'); index++) {
    const shift = index < windowSize ? 0 : 3;
    const features: Record<string, number> = {};
    for (const name of names) features[name] = draw(options.baseline, name, shift);
    events.push(...monitor.update({ index, timeMs: index * 100, features }));
  }
  monitor.toJSON();
  return events;
}
