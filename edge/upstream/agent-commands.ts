// What MQTT commands do to a running agent. A re-baseline is checked in full
// (digest, catalogue version, decode settings) before anything changes; the
// new baseline is kept in the state directory so a restart keeps using it.
// `reload` re-reads the configuration, whose baselines then win over kept
// re-baselines; other changes are reported as needing a restart.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { decodeBaseline } from '../../src/baseline/baseline-codec.js';
import { decodeSettingsOf, type Baseline } from '../../src/baseline/baseline.js';
import { DriftMonitor, type DriftMonitorOptions } from '../../src/policy/drift-monitor.js';
import { monitoredFeatures } from '../../src/policy/monitored-features.js';
import type { Agent } from '../agent/agent.js';
import { writeFileAtomic } from '../atomic-write.js';
import type { Checkpointer } from '../checkpoint/checkpointer.js';
import { configForDisplay, type AgentConfig, type CameraConfig } from '../config/index.js';
import type { AgentHealth } from '../observability/health.js';
import type { AgentMetrics } from '../observability/metrics.js';
import type { CommandTargets } from './command-handler.js';
import type { Upstream } from './upstream.js';

/** Where a camera's re-baseline is kept: <stateDir>/baselines/<camera>.dwb. */
export const rebaselinePath = (stateDir: string, camera: string): string => join(stateDir, 'baselines', `${camera}.dwb`);

/** A camera's baseline at start: a re-baseline kept in the state directory wins over the configured file. */
export async function readCameraBaseline(config: AgentConfig, camera: CameraConfig): Promise<{ bytes: Uint8Array; path: string; rebaselined: boolean }> {
  const kept = rebaselinePath(config.stateDir, camera.id);
  try {
    return { bytes: new Uint8Array(await readFile(kept)), path: kept, rebaselined: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { bytes: new Uint8Array(await readFile(camera.baseline)), path: camera.baseline, rebaselined: false };
}

export interface AgentCommandParts {
  config: AgentConfig;
  agent: Agent;
  baselines: Map<string, Baseline>;
  checkpointers: ReadonlyMap<string, Checkpointer>;
  upstream: Upstream;
  metrics: AgentMetrics;
  health: AgentHealth;
  log: Logger;
  monitorOptions: (camera: CameraConfig, baseline: Baseline) => DriftMonitorOptions;
  /** Loads the configuration again as at start (same flags and environment). */
  loadConfig: () => AgentConfig;
}

export function agentCommandTargets(parts: AgentCommandParts): CommandTargets {
  const { config } = parts;
  const cameraConfig = (id: string) => config.cameras.find((c) => c.id === id)!;

  async function putInPlace(camera: string, baseline: Baseline, bytes: Uint8Array | null): Promise<void> {
    const current = parts.baselines.get(camera)!;
    const now = decodeSettingsOf(current.header), next = decodeSettingsOf(baseline.header);
    if (now.scale !== next.scale || now.step !== next.step) {
      throw new RangeError(`the baseline was built with decode scale ${next.scale} and step ${next.step}, this camera measures at scale ${now.scale}, step ${now.step}; restart the agent with it, or build one with baseline build --decode-scale ${now.scale} --step ${now.step}`);
    }
    const same = (a: Baseline, b: Baseline) => monitoredFeatures(a).features.join() === monitoredFeatures(b).features.join();
    if (!same(current, baseline)) throw new RangeError('the baseline monitors other features (prediction features differ); restart the agent with it instead');
    const monitor = new DriftMonitor(parts.monitorOptions(cameraConfig(camera), baseline));
    const kept = rebaselinePath(config.stateDir, camera);
    if (bytes) {
      await mkdir(join(config.stateDir, 'baselines'), { recursive: true });
      await writeFileAtomic(kept, bytes, { syncDirectory: true });
    } else {
      await rm(kept, { force: true });
    }
    parts.agent.cameras.get(camera)!.replaceMonitor(monitor);
    parts.baselines.set(camera, baseline);
    parts.metrics.baselineLoaded(camera, baseline.header.digest);
    parts.metrics.alertState(camera, monitor.lifecycle.state);
    parts.health.baselineLoaded(camera, baseline.header.digest);
    await parts.checkpointers.get(camera)?.flush();
    parts.log.info({ camera, baseline: baseline.header.digest }, 'baseline replaced: the camera starts a fresh monitor');
  }

  return {
    cameras: config.cameras.map((c) => c.id),
    async rebaseline(camera, bytes) {
      const baseline = await decodeBaseline(bytes);
      await putInPlace(camera, baseline, bytes);
      await parts.upstream.rebirth();
      return { digest: baseline.header.digest };
    },
    async reload() {
      const next = parts.loadConfig();
      const applied: string[] = [];
      const restartNeeded: string[] = [];
      const before = configForDisplay(config), after = configForDisplay(next);
      for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
        if (key !== 'cameras' && JSON.stringify(before[key]) !== JSON.stringify(after[key])) restartNeeded.push(key);
      }
      const ids = (c: AgentConfig) => c.cameras.map((x) => x.id).join();
      if (ids(config) !== ids(next)) restartNeeded.push('cameras');
      for (const camera of next.cameras) {
        const old = config.cameras.find((c) => c.id === camera.id);
        if (!old) continue;
        for (const key of ['source', 'modelVersion', 'fps'] as const) {
          if (JSON.stringify(old[key]) !== JSON.stringify(camera[key])) restartNeeded.push(`cameras.${camera.id}.${key}`);
        }
        // The configured baseline wins again over a kept re-baseline when its digest differs from the one in use.
        const baseline = await decodeBaseline(new Uint8Array(await readFile(camera.baseline)));
        if (baseline.header.digest !== parts.baselines.get(camera.id)!.header.digest) {
          await putInPlace(camera.id, baseline, null);
          old.baseline = camera.baseline;
          applied.push(`cameras.${camera.id}.baseline`);
        }
      }
      if (applied.length > 0) await parts.upstream.rebirth();
      return { applied, restartNeeded };
    },
    async summaryNow(camera) {
      const cameras = camera === null ? config.cameras.map((c) => c.id) : [camera];
      for (const id of cameras) await parts.upstream.summarize(id, parts.agent.cameras.get(id)!.monitor);
      return { cameras };
    },
    rebirth: () => parts.upstream.rebirth(),
    reply: (command, requestId, outcome) => parts.upstream.reply(command, requestId, outcome),
    counted: (result) => parts.metrics.mqttCommand(result),
  };
}
