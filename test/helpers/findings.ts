// Findings for the cause and lifecycle tests, written as feature → effect.
import type { Finding } from '../../src/policy/finding.js';

export interface FindingExtras { relativeChange?: number | null; shift?: number | null; unit?: string }

/** A continuous finding whose direction is the sign of effect (median shift in baseline IQRs). */
export function finding(feature: string, effect: number, extras: FindingExtras = {}): Finding {
  return {
    feature, statistic: 0.3, pvalue: 1e-6, effect,
    shift: extras.shift === undefined ? effect : extras.shift,
    relativeChange: extras.relativeChange === undefined ? null : extras.relativeChange,
    direction: effect >= 0 ? 'up' : 'down', unit: extras.unit ?? '',
  };
}

/** A histogram or class-mix finding: effect is the Jensen–Shannon distance, no direction. */
export function distribution(feature: string, distance: number): Finding {
  return { feature, statistic: distance, pvalue: null, effect: distance, shift: null, relativeChange: null, direction: null, unit: 'JS distance' };
}

/** Findings from a table of feature → effect. */
export function pattern(effects: Record<string, number>, extras: Record<string, FindingExtras> = {}): Finding[] {
  return Object.entries(effects).map(([name, effect]) => finding(name, effect, extras[name]));
}
