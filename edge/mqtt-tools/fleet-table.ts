// `driftwatch collect`'s readable fleet view: one row per camera with its
// summaries, frames, alert state and the mean and median of a few features.
import { safeText } from './safe-text.js';
import type { Collector } from './collector.js';

/** Features shown in the table when the summaries carry them. */
export const TABLE_FEATURES = ['luma_mean', 'luma_std', 'saturation_mean'] as const;

function number(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toPrecision(3);
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
}

export function fleetTable(collector: Collector, now: Date = new Date()): string {
  const { counts } = collector;
  const head = `${now.toISOString().replace(/\.\d{3}Z$/, 'Z')}  fleet: ${collector.cameras.size} cameras; `
    + `${counts.received} received, ${counts.accepted} summaries, ${counts.duplicates} duplicates, ${counts.undecodable} undecodable`;
  const groups = collector.fleet.groups('camera');
  const header = ['camera', 'summaries', 'frames', 'alert', ...TABLE_FEATURES.map((f) => `${f} mean/p50`)];
  const rows = [...collector.cameras.keys()].sort().map((key) => {
    const group = groups[key];
    const camera = collector.cameras.get(key)!;
    const features = TABLE_FEATURES.map((name) => {
      const f = group?.features[name];
      return f ? `${number(f.mean)}/${number(f.quantiles?.p50)}` : '-';
    });
    const alert = camera.alert.state === 'ok' ? 'ok' : `${camera.alert.state}${camera.alert.id ? ` (${camera.alert.id})` : ''}`;
    return [key, String(group?.summaries ?? 0), String(camera.frames), alert, ...features].map(safeText);
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...(rows.length ? [pad(header, widths), ...rows.map((r) => pad(r, widths))] : [])].join('\n');
}
