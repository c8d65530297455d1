// Keeps V8's old generation near its live size in the long-running agent.
// After each full (mark-compact) GC, V8 lets the old generation grow to a
// multiple of what survived before collecting it again; the multiple is
// chosen from its measured GC and mutator speeds, up to 4. The agent keeps
// ~10–12 MiB live and promotes ~1 KiB of short-lived objects a frame,
// whatever the source; in a 200,000-frame soak through the http: source V8
// let the old generation reach 40 MiB used, and the agent 100 MiB resident,
// before collecting it back to 12 MiB (docs/memory.md): garbage, not a
// leak, but over the 96 MB bound.
// `--heap-growing-percent` fixes the factor; V8 reads it every time it sets
// the next limit, so it takes effect from inside the process. The limit is
// still at least the live size plus 8 MiB (V8's minimum step).
import { setFlagsFromString } from 'node:v8';
import { setV8Flag } from './v8-flags.js';

/** V8's own factor for its conservative growing mode: 1.3. */
export const HEAP_GROWING_PERCENT = 30;

export function keepOldGenerationTight(
  nodeOptions: readonly string[] = [...process.execArgv, process.env.NODE_OPTIONS ?? ''],
  setFlags: (flags: string) => void = setFlagsFromString,
): boolean {
  // An operator who chose the factor keeps that choice.
  if (nodeOptions.some((option) => /heap[-_]growing[-_]percent/.test(option))) return false;
  setV8Flag(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`, setFlags);
  return true;
}
