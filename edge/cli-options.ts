// Option values shared by the commands.
import { UsageError } from './command-io.js';

export function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${name} must be a positive integer, got '${text}'`);
  return value;
}
