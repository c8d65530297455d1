// SIGTERM (and SIGINT) end the agent after one last checkpoint: every
// checkpointer stops its timer and saves the state as it is now, then the
// process exits, 0 when every save succeeded, 1 otherwise.
import type { Checkpointer } from './checkpointer.js';

export interface FlushOnSignalOptions {
  signals?: readonly NodeJS.Signals[];
  /** What ends the process. Default process.exit. */
  exit?: (code: number) => void;
}

/** Installs the handlers; returns a function that removes them. */
export function flushOnSignals(checkpointers: readonly Checkpointer[], options: FlushOnSignalOptions = {}): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let ending = false;
  const handler = (): void => {
    if (ending) return; // a second signal while saving: the save in flight is worth more
    ending = true;
    const saves = checkpointers.map(async (c) => { const before = c.failures; await c.stop({ flush: true }); return c.failures === before; });
    void Promise.all(saves).then((ok) => exit(ok.every(Boolean) ? 0 : 1));
  };
  for (const signal of signals) process.on(signal, handler);
  return () => { for (const signal of signals) process.off(signal, handler); };
}
