// The agent's MQTT side as `driftwatch run` builds it when a broker is
// configured: the outbox in <stateDir>/outbox, the bdSeq file, the link.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Baseline } from '../../src/baseline/baseline.js';
import type { DriftMonitor } from '../../src/policy/drift-monitor.js';
import { configForDisplay, type AgentConfig } from '../config/index.js';
import type { AgentMetrics } from '../observability/metrics.js';
import { FileOutbox } from '../outbox/file-outbox.js';
import { DEFAULT_OUTBOX_LIMITS } from '../outbox/outbox-limits.js';
import { BdSeqStore } from './bdseq-store.js';
import { Upstream } from './upstream.js';

const packageVersion = (JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The MQTT side when a broker is configured: outbox in <stateDir>/outbox, bdSeq, link, publisher. */
export async function openUpstream(config: AgentConfig, parts: { baselines: Map<string, Baseline>; monitors: ReadonlyMap<string, DriftMonitor>; log: Logger; metrics: AgentMetrics; env: Readonly<Record<string, string | undefined>>; onCommand: (name: string, payload: Uint8Array) => void }): Promise<Upstream> {
  const outbox = await FileOutbox.open(join(config.stateDir, 'outbox'), {
    maxBytes: config.outbox.maxBytes, maxEntries: DEFAULT_OUTBOX_LIMITS.maxEntries, maxAgeMs: config.outbox.maxAgeS * 1000,
  });
  const configHash = 'sha256:' + createHash('sha256').update(JSON.stringify(configForDisplay(config))).digest('hex');
  return new Upstream({
    config, baselines: parts.baselines, outbox, bdSeq: new BdSeqStore(config.stateDir), log: parts.log, metrics: parts.metrics,
    features: new Map([...parts.monitors].map(([id, monitor]) => [id, monitor.windows.features])),
    agentVersion: packageVersion, configHash, env: parts.env, onCommand: parts.onCommand,
  });
}

