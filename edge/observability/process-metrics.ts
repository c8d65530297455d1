// Node's process metrics (CPU, memory, file descriptors, handles, event loop
// lag, heap spaces, GC, version) under the agent's prefix: the set
// prom-client's collectDefaultMetrics registers, each taken from prom-client's
// own file, except the three CPU counters, which are kept here with the same
// names and help. prom-client's CPU counter loads @opentelemetry/api (for
// trace exemplars, which the agent does not use): 51 modules and ~6.5 MiB
// resident in a bare node (with and without it, three runs each), against
// the 96 MB the agent must stay under (docs/memory.md).
import { createRequire } from 'node:module';
import { Counter, type Registry } from './prom-client-parts.js';

type RegisterMetric = (registry: Registry, config: { prefix: string; eventLoopMonitoringPrecision: number }) => void;

const load = createRequire(import.meta.url);
const PROM_CLIENT_METRICS = [
  'processStartTime', 'osMemoryHeap', 'processOpenFileDescriptors', 'processMaxFileDescriptors', 'eventLoopLag',
  ...(typeof process.getActiveResourcesInfo === 'function' ? ['processResources'] : []),
  'processHandles', 'processRequests', 'heapSizeAndUsed', 'heapSpacesSizeAndUsed', 'version', 'gc',
];

export function collectProcessMetrics(registry: Registry, prefix: string): void {
  const config = { prefix, eventLoopMonitoringPrecision: 10 };
  cpuCounters(registry, prefix);
  for (const name of PROM_CLIENT_METRICS) (load(`prom-client/lib/metrics/${name}`) as RegisterMetric)(registry, config);
}

/** process_cpu_{user,system}_seconds_total and their sum, brought up to date from process.cpuUsage() at each scrape. */
function cpuCounters(registry: Registry, prefix: string): void {
  const registers = [registry];
  const system = new Counter({ name: `${prefix}process_cpu_system_seconds_total`, help: 'Total system CPU time spent in seconds.', registers });
  const both = new Counter({ name: `${prefix}process_cpu_seconds_total`, help: 'Total user and system CPU time spent in seconds.', registers });
  let counted = process.cpuUsage();
  new Counter({
    name: `${prefix}process_cpu_user_seconds_total`,
    help: 'Total user CPU time spent in seconds.',
    registers,
    // Registered first, so collected first: this scrape's figures for all three.
    collect() {
      const now = process.cpuUsage();
      const userSeconds = (now.user - counted.user) / 1e6;
      const systemSeconds = (now.system - counted.system) / 1e6;
      counted = now;
      this.inc(userSeconds);
      system.inc(systemSeconds);
      both.inc(userSeconds + systemSeconds);
    },
  });
}
