// How often this machine's CPU stops running a busy thread, and for how long
// (not part of `npm run bench`; for issue 6's p99, which such gaps set):
//   taskset -c 1 node dist/bench/vcpu-gaps.js [--seconds 10]
// One thread reads the clock in a tight loop; a gap between two reads is time
// the loop did not run: the guest kernel ran something else (an interrupt,
// another task) or, on a VM, the host did not run this vCPU at all. Run it on
// an otherwise idle machine; under `chrt -f 50` (root, with
// /proc/sys/kernel/sched_rt_runtime_us at -1 for the run) the guest's own tasks
// cannot take the CPU either, so what is left is the host's. Prints the gaps
// above 0.05, 0.2, 0.5, 1 and 2 ms, the longest, the share of time lost, and
// the steal time the guest kernel counted meanwhile (/proc/stat, all CPUs).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' } } });
const seconds = Number(values.seconds);
if (!(seconds > 0 && seconds <= 600)) throw new RangeError('--seconds must be in (0, 600]');

/** Steal time of all CPUs so far, in ms (the 8th value of /proc/stat's cpu line, in 1/100 s), or undefined off Linux. */
function stealMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0].trim().split(/\s+/);
    return Number(fields[8]) * 10;
  } catch {
    return undefined;
  }
}

const thresholds = [0.05, 0.2, 0.5, 1, 2];
const counts = thresholds.map(() => 0);
let longest = 0, lost = 0;
const stealBefore = stealMs();
const start = performance.now(), end = start + seconds * 1000;
let last = start;
for (;;) {
  const now = performance.now();
  const gap = now - last;
  last = now;
  if (gap > thresholds[0]) {
    lost += gap;
    if (gap > longest) longest = gap;
    for (let i = 0; i < thresholds.length; i++) if (gap > thresholds[i]) counts[i]++;
  }
  if (now >= end) break;
}
const elapsed = last - start, stealAfter = stealMs();
const steal = stealBefore === undefined || stealAfter === undefined ? 'unknown' : `${stealAfter - stealBefore} ms`;
process.stdout.write(`${(elapsed / 1000).toFixed(1)} s spinning: gaps ${thresholds.map((t, i) => `> ${t} ms ${counts[i]}`).join(', ')}; longest ${longest.toFixed(2)} ms; ${((100 * lost) / elapsed).toFixed(2)}% of the time lost; steal counted meanwhile (all CPUs) ${steal}\n`);
