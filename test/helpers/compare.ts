// Comparing kernel output with a reference: integer-valued results must be
// equal, moments within a relative tolerance.
import * as assert from 'uvu/assert';

// Features whose value is an exact integer ratio, so any correct
// implementation gives the same double.
export const EXACT_FEATURES = new Set([
  'width', 'height', 'aspect_ratio', 'luma_mean', 'luma_p05', 'luma_p50', 'luma_p95',
  'dark_fraction', 'bright_fraction', 'r_mean', 'g_mean', 'b_mean', 'edge_density',
]);

export function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
}

export function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  const error = relativeError(actual, expected);
  assert.ok(Number.isFinite(actual), `${what}: got ${actual}`);
  assert.ok(error <= tolerance, `${what}: got ${actual}, expected ${expected} (relative error ${error.toExponential(2)} > ${tolerance})`);
}

export function assertFeatures(actual: Record<string, number>, expected: Record<string, number>, what: string, tolerance = 1e-9): void {
  for (const [name, value] of Object.entries(expected)) {
    if (EXACT_FEATURES.has(name)) assert.is(actual[name], value, `${what}: ${name}`);
    else assertClose(actual[name], value, tolerance, `${what}: ${name}`);
  }
}
