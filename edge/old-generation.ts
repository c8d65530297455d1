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

/**
 * 1.1. At 1.3 (V8's own factor for its conservative growing mode) the proxy:
 * soak peaked at 90.7-91.4 MiB over 30,000 frames, at 1.1 at 90.1-90.5
 * (BENCHMARKS.md, 2026-12-02); a full GC then comes every ~2 MiB of
 * promoted garbage, ~2,000 frames, and takes a few milliseconds.
 */
export const HEAP_GROWING_PERCENT = 10;

export function keepOldGenerationTight(
  nodeOptions: readonly string[] = [...process.execArgv, process.env.NODE_OPTIONS ?? ''],
  setFlags: (flags: string) => void = setFlagsFromString,
): boolean {
  // An operator who chose the factor keeps that choice.
  if (nodeOptions.some((option) => /heap[-_]growing[-_]percent/.test(option))) return false;
  setV8Flag(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`, setFlags);
  return true;
}

/**
 * For the proxy's relay thread (proxy-thread.ts), which gives the agent a
 * second V8 heap and a second malloc arena: V8's optimize-for-size mode.
 * Among other things it lowers the minimum step by which the old generation
 * may grow between full GCs from 8 MiB to 2 MiB and compacts fragmented pages
 * more readily. V8 reads it whenever it sets a limit, so it takes effect from
 * inside the process. Measured on the proxy: soak (docs/memory.md): the agent's
 * old generation held 13.4 MiB instead of 18, the relay thread's 6.9 instead
 * of 9.3. With one heap (the other sources) it made no difference. An operator
 * who set it either way keeps that choice.
 */
export function favourMemoryOverSpeed(
  nodeOptions: readonly string[] = [...process.execArgv, process.env.NODE_OPTIONS ?? ''],
  setFlags: (flags: string) => void = setFlagsFromString,
): boolean {
  if (nodeOptions.some((option) => /optimize[-_]for[-_]size/.test(option))) return false;
  setV8Flag('--optimize-for-size', setFlags);
  return true;
}
