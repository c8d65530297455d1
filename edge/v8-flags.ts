// The V8 flags the agent sets at run time (young-generation.ts,
// old-generation.ts), kept so that they can be set again. Starting a worker
// thread undoes them for the whole process: on Node 20, with
// --semi-space-growth-factor=1 set (at run time or on the command line), the
// main thread's young generation stayed at 2 MiB until a worker started and
// then grew to 32 MiB; set again once the worker runs, it stays at 2 MiB
// (test/v8-flags.test.ts). So each of the agent's workers sets them again
// itself as it starts (its module code runs after its bootstrap), from the
// list passed in its workerData (v8Flags()).
import { setFlagsFromString } from 'node:v8';

const applied: string[] = [];

export function setV8Flag(flag: string, setFlags: (flags: string) => void = setFlagsFromString): void {
  setFlags(flag);
  if (setFlags === setFlagsFromString && !applied.includes(flag)) applied.push(flag);
}

/** The flags set so far, for a worker's workerData. */
export function v8Flags(): string[] {
  return [...applied];
}

/** Sets flags again (in a worker, as it starts). */
export function applyV8Flags(flags: readonly string[]): void {
  for (const flag of flags) setFlagsFromString(flag);
}
