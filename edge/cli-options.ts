// Option values shared by the commands.
import { UsageError } from './command-io.js';

export function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${name} must be a positive integer, got '${text}'`);
  return value;
}

/** --decode-scale: 1, 2, 4 or 8 (docs/decode.md). */
export function decodeScale(text: string | undefined, fallback: 1 | 2 | 4 | 8): 1 | 2 | 4 | 8 {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (value !== 1 && value !== 2 && value !== 4 && value !== 8) throw new UsageError(`--decode-scale must be 1, 2, 4 or 8, got '${text}'`);
  return value;
}

/** --decode-scale where `auto` is allowed too (baseline build): 'auto' when not given. */
export function decodeScaleOrAuto(text: string | undefined): 1 | 2 | 4 | 8 | 'auto' {
  if (text === undefined || text === 'auto') return 'auto';
  try {
    return decodeScale(text, 1);
  } catch {
    throw new UsageError(`--decode-scale must be 1, 2, 4, 8 or auto, got '${text}'`);
  }
}

/** A number of seconds in (0, 86400] (--timeout, --print-every); undefined when not given. */
export function positiveSeconds(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || value > 86_400) {
    throw new UsageError(`${name} must be a number of seconds in (0, 86400], got '${text}'`);
  }
  return value;
}
