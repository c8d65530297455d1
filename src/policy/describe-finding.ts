// One finding as a short human line: "luma_mean −38% (level 0-255)".

import type { Finding } from './finding.js';

/** Beyond ±1000% a relative change says more about a near-zero baseline than about the change: show the shift. */
const MAX_RELATIVE = 10;

const MINUS = '\u2212';

function signed(value: number, text: string): string {
  return `${value < 0 ? MINUS : '+'}${text}`;
}

function percent(relative: number): string {
  const p = Math.abs(relative) * 100;
  return `${p >= 10 ? p.toFixed(0) : p.toFixed(1)}%`;
}

function magnitude(value: number): string {
  const a = Math.abs(value);
  if (a === 0) return '0';
  if (a >= 1000 || a < 0.001) return a.toExponential(2);
  return String(Number(a.toPrecision(3)));
}

/**
 * The relative change when it is known and within ±1000% ("luma_mean −38%
 * (level 0-255)"), else the shift in the feature's unit ("dark_fraction +0.31
 * (fraction)"); a histogram or class mix gives its distance ("hue JS distance 0.23").
 */
export function describeFinding(finding: Finding): string {
  const unit = finding.unit.replace(/[()]/g, '');
  const suffix = unit ? ` (${unit})` : '';
  const { relativeChange: rel, shift } = finding;
  if (rel !== null && Number.isFinite(rel) && Math.abs(rel) <= MAX_RELATIVE) return `${finding.feature} ${signed(rel, percent(rel))}${suffix}`;
  if (shift !== null && Number.isFinite(shift)) return `${finding.feature} ${signed(shift, magnitude(shift))}${suffix}`;
  return `${finding.feature} JS distance ${magnitude(finding.effect)}`;
}
