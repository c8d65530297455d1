// Keeps the garbage in the agent's V8 heap (its main thread) to about a
// mebibyte: every 250 ms it looks at the heap's used size and, once that has
// grown by more than TRIM_STEP_BYTES since the last collection, runs a full
// collection. V8's own pacing lets the old generation grow by at least 2–8
// MiB past what survived (old-generation.ts) and the heap's pages with it;
// through the proxy: source, with a second heap in the relay thread, those
// excursions were the peaks over the 96 MB bound (docs/memory.md). The agent
// promotes ~1 KiB a frame, so at 30 frames/s this collects about every 30 s;
// a full collection of its ~11 MiB heap takes a few milliseconds on the
// measuring thread, never on the relay's.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const TRIM_STEP_BYTES = 1024 * 1024;
export const TRIM_CHECK_MS = 250;

export class HeapTrim {
  private floor: number;
  /** Full collections run so far. */
  collections = 0;

  constructor(private readonly collect: () => void, private readonly usedBytes: () => number, readonly stepBytes = TRIM_STEP_BYTES) {
    this.floor = usedBytes();
  }

  /** Collects when the heap has grown by more than a step since the last collection; returns whether it did. */
  check(): boolean {
    if (this.usedBytes() <= this.floor + this.stepBytes) return false;
    this.collect();
    this.collections += 1;
    this.floor = this.usedBytes();
    return true;
  }
}

/**
 * V8's full collection, reached from inside the process: `--expose-gc` set at
 * run time gives `gc` to contexts created after it. Undefined where that does
 * not work (a runtime without node:vm's V8 contexts, such as Deno).
 */
export function fullCollection(): (() => void) | undefined {
  const global = (globalThis as { gc?: unknown }).gc;
  if (typeof global === 'function') return global as () => void;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts trimming for the life of the process (the timer does not keep it alive); undefined where it cannot. */
export function trimHeapWhileRunning(): HeapTrim | undefined {
  const collect = fullCollection();
  if (!collect) return undefined;
  const trim = new HeapTrim(collect, () => getHeapStatistics().used_heap_size);
  setInterval(() => trim.check(), TRIM_CHECK_MS).unref();
  return trim;
}
