// Keeps V8's young generation at its initial size (two 1 MiB semi-spaces)
// in the long-running agent. Under a frame stream V8 otherwise doubles the
// semi-spaces up to 16 MiB each: ~30 MiB of resident memory holding 2–3 MiB
// of live objects (docs/memory.md). `--max-semi-space-size` is read only
// when the heap is set up, so it cannot be changed from inside the process;
// the growth factor is read each time V8 would grow the young generation,
// and a factor of 1 leaves it where it is. Starting a worker thread undoes
// it, so it is set again then (v8-flags.ts).
import { setV8Flag } from './v8-flags.js';

export function keepYoungGenerationSmall(nodeOptions: readonly string[] = [...process.execArgv, process.env.NODE_OPTIONS ?? '']): void {
  // An operator who sized the young generation (e.g. --max-semi-space-size=8) keeps that choice.
  if (nodeOptions.some((option) => /semi[-_]space/.test(option))) return;
  setV8Flag('--semi-space-growth-factor=1');
}
