// Resolves on the first SIGTERM or SIGINT, and stops listening for them.
import { UsageError } from '../command-io.js';

export function signalled(): { promise: Promise<NodeJS.Signals>; cancel(): void } {
  let handler: (signal: NodeJS.Signals) => void = () => undefined;
  const promise = new Promise<NodeJS.Signals>((resolve) => {
    handler = (signal) => { cancel(); resolve(signal); };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
  });
  const cancel = () => { process.off('SIGTERM', handler); process.off('SIGINT', handler); };
  return { promise, cancel };
}

/** Seconds as a positive finite number (a --timeout or --print-every value). */
export function secondsOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || value > 86_400) {
    throw new UsageError(`${name} must be a number of seconds in (0, 86400], got '${text}'`);
  }
  return value;
}
