// The parts of prom-client the agent uses, each from its own file.
// prom-client's index also loads its Pushgateway (node:https, node:zlib and
// with them node:tls and node:crypto), its cluster aggregator (node:cluster,
// node:child_process) and Summary, none of which the agent uses: 2.3–2.7 MiB
// more resident at start (`require('prom-client')` against its registry,
// counter, gauge, histogram and default metrics files in a bare node, three
// runs each), against the 96 MB the agent must stay under (docs/memory.md).
// The index re-exports these same modules, so the classes are the package's
// own (test/observability-metrics checks the global registry stays empty).
// Types come from the package's declarations. The default metrics:
// process-metrics.ts.
import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';

const load = createRequire(import.meta.url);

export const Registry: typeof PromClient.Registry = load('prom-client/lib/registry');
export type Registry = PromClient.Registry;
export const Counter: typeof PromClient.Counter = load('prom-client/lib/counter');
export type Counter<T extends string = string> = PromClient.Counter<T>;
export const Gauge: typeof PromClient.Gauge = load('prom-client/lib/gauge');
export type Gauge<T extends string = string> = PromClient.Gauge<T>;
export const Histogram: typeof PromClient.Histogram = load('prom-client/lib/histogram');
export type Histogram<T extends string = string> = PromClient.Histogram<T>;
