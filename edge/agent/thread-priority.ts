// Lets the agent's own thread yield the CPU to the proxy's relay thread,
// which forwards inference calls. On Linux a thread is a task of its own:
// setpriority() on pid 0 changes the calling thread's nice value only, so
// the kernel prefers the relay thread whenever both want a core (threads
// started later inherit the lowered value; the relay thread is started
// first). Elsewhere (macOS, Windows) the same call would lower the whole
// process, relay included, so it is not made.
import { platform, setPriority } from 'node:os';

/** The nice value the agent's thread takes beside a relay thread: the lowest priority. */
export const BACKGROUND_NICE = 19;

/** Lowers the calling thread's priority on Linux; true when it was applied. */
export function lowerThisThreadsPriority(nice = BACKGROUND_NICE): boolean {
  if (platform() !== 'linux') return false;
  try {
    setPriority(0, nice);
    return true;
  } catch {
    // A runtime without setpriority (or a sandbox refusing it): everything still works, only at normal priority.
    return false;
  }
}
