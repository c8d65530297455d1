// Lets the measuring thread yield the CPU to the thread that forwards
// inference calls. On Linux a thread is a task of its own: setpriority() on
// pid 0 from inside a worker thread changes that thread's nice value only,
// so the kernel prefers the proxy's event loop whenever both want a core.
// Elsewhere (macOS, Windows) the same call would lower the whole process,
// proxy included, so it is not made.
import { platform, setPriority } from 'node:os';

/** The nice value a measuring worker gives itself: the lowest priority. */
export const MEASURE_THREAD_NICE = 19;

/** Lowers the calling thread's priority on Linux; true when it was applied. */
export function lowerThisThreadsPriority(nice = MEASURE_THREAD_NICE): boolean {
  if (platform() !== 'linux') return false;
  try {
    setPriority(0, nice);
    return true;
  } catch {
    // A runtime without setpriority (or a sandbox refusing it): measuring still works, only at normal priority.
    return false;
  }
}
