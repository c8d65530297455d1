// `driftwatch run`: the long-running agent. Configuration (flags > env >
// file > defaults, docs/configuration.md) is validated before anything
// starts; baselines are loaded, monitors restored from the state directory,
// sources started; alert transitions go to stdout as JSON lines, logs to
// stderr. SIGTERM/SIGINT stop the sources, finish queued frames, save a last
// checkpoint and exit 0.
import { mkdir, readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { decodeBaseline } from '../../src/baseline/baseline-codec.js';
import { decodeSettingsOf, type Baseline } from '../../src/baseline/baseline.js';
import { predictionFeatures } from '../../src/predictions/prediction-features.js';
import { parsePrediction } from '../../src/predictions/prediction-record.js';
import type { DriftMonitor, DriftMonitorOptions } from '../../src/policy/drift-monitor.js';
import { alertBody } from '../../src/envelope/alert-body.js';
import { encodeEnvelope } from '../../src/envelope/envelope.js';
import { Agent, type AlertSink } from '../agent/agent.js';
import { warmUpMonitor } from '../agent/warm-up.js';
import { alertLine } from '../alert-line.js';
import { Checkpointer } from '../checkpoint/checkpointer.js';
import { CheckpointStore } from '../checkpoint/checkpoint-store.js';
import { AlertLedger } from '../alerts/alert-ledger.js';
import { restoreCamera, type CameraRestore } from '../alerts/restore-camera.js';
import type { ConfigOrigin, ConfigProblem } from '../config/config-error.js';
import { ConfigError, loadAgentConfig, renderRunHelp, runHelpRequested, type AgentConfig, type CameraConfig } from '../config/index.js';
import { loadKernels } from '../library.js';
import { AgentHealth } from '../observability/health.js';
import { createLogger } from '../observability/logger.js';
import { AgentMetrics } from '../observability/metrics.js';
import type { CommandIO } from '../command-io.js';
import { agentCommandTargets, readCameraBaseline, rebaselinePath } from '../upstream/agent-commands.js';
import { CommandHandler } from '../upstream/command-handler.js';
import type { Upstream } from '../upstream/upstream.js';

/** What tests and the demo change: where input comes from and how the run ends. */
export interface RunEnvironment {
  env?: Readonly<Record<string, string | undefined>>;
  stdin?: Readable;
  /** Resolves when the agent should stop (default: SIGTERM or SIGINT). */
  stopSignal?: Promise<unknown>;
  /** Called once the agent runs, with it (the demo uses this to feed frames). */
  onStarted?: (agent: Agent) => void | Promise<void>;
  /** Log lines' destination (default stderr). */
  logDestination?: Parameters<typeof createLogger>[0]['destination'];
}

/** The monitor's options for one camera from the configuration. */
export function monitorOptions(config: AgentConfig, camera: CameraConfig, baseline: Baseline): DriftMonitorOptions {
  return {
    camera: camera.id, baseline,
    checkEvery: config.checkEvery,
    window: { kind: 'sliding-count', size: config.window },
    falseAlertsPer30Days: 30 / config.falseAlarm.perDays,
    falseAlarmFps: config.falseAlarm.fps,
    lifecycle: { modelVersion: camera.modelVersion },
  };
}

async function loadBaselines(config: AgentConfig): Promise<Map<string, Baseline>> {
  const baselines = new Map<string, Baseline>();
  const problems: ConfigProblem[] = [];
  for (const [i, camera] of config.cameras.entries()) {
    try {
      const { bytes } = await readCameraBaseline(config, camera);
      baselines.set(camera.id, await decodeBaseline(bytes));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      const key = `cameras[${i}].baseline`;
      problems.push({ key, origin: originOf(config.origins[key]), message: `cannot use ${camera.baseline}: ${reason}` });
    }
  }
  // Features are only comparable when measured as the baseline's were: same decode scale and step.
  for (const [i, camera] of config.cameras.entries()) {
    const baseline = baselines.get(camera.id);
    if (!baseline) continue;
    const built = decodeSettingsOf(baseline.header);
    const origin = config.origins.decodeScale;
    if (origin !== undefined && origin !== 'default' && config.decodeScale !== built.scale) {
      problems.push({ key: 'decodeScale', origin: originOf(origin), message: `${config.decodeScale} differs from the decode scale ${built.scale} that cameras[${i}].baseline (${camera.baseline}) was built with; features would not be comparable` });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return baselines;
}

function originOf(text: string | undefined): ConfigOrigin {
  if (text === undefined || text === 'default') return { kind: 'default' };
  if (text.startsWith('--')) return { kind: 'flag', name: text };
  if (text.startsWith('DRIFTWATCH_')) return { kind: 'env', name: text };
  return { kind: 'file', file: text };
}

// A transition delivered again after a crash says so: it may have been printed once before.
function stdoutSink(io: CommandIO): AlertSink {
  return { alert: (event, device, delivery) => io.out(JSON.stringify({ ...alertLine(event), device, ...(delivery?.recovered ? { recovered: true } : {}) })) };
}

function signalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
      resolve(signal);
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
  });
}

function predictionFeaturesOf(predictions: unknown, frame: { width: number; height: number }, minDetectionScore: number): Record<string, number> {
  const values = predictionFeatures(parsePrediction(predictions), frame, { minDetectionScore });
  return Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
}

export async function runAgent(argv: string[], io: CommandIO, environment: RunEnvironment = {}): Promise<number> {
  if (runHelpRequested(argv)) {
    io.out(renderRunHelp());
    return 0;
  }
  let config: AgentConfig;
  let baselines: Map<string, Baseline>;
  try {
    config = loadAgentConfig({ argv, env: environment.env ?? process.env });
    baselines = await loadBaselines(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.error(`driftwatch run: bad configuration:\n${error.message}`);
    return 2;
  }
  const log = createLogger({ level: config.log.level, device: config.device, destination: environment.logDestination });
  const kernels = await loadKernels();
  await mkdir(config.stateDir, { recursive: true });
  const store = new CheckpointStore(config.stateDir);
  const monitors = new Map<string, DriftMonitor>();
  const restores = new Map<string, CameraRestore>();
  for (const camera of config.cameras) {
    const baseline = baselines.get(camera.id)!;
    if (baselines.get(camera.id) && (await readCameraBaseline(config, camera)).rebaselined) log.warn({ camera: camera.id, baseline: rebaselinePath(config.stateDir, camera.id) }, 'using the baseline a rebaseline command put in place (a reload command returns to the configured one)');
    const restore = await restoreCamera(store, config.stateDir, `camera-${camera.id}`, monitorOptions(config, camera, baseline));
    const { start, replay, opened } = restore;
    restores.set(camera.id, restore);
    monitors.set(camera.id, restore.monitor);
    const clog = log.child({ camera: camera.id });
    if (start.kind === 'restored') clog.info({ bytes: start.bytes, alert: start.monitor.lifecycle.state, frames: start.monitor.windows.frames.seen }, 'monitor restored from its checkpoint');
    else if (start.why === 'set-aside') clog.warn({ reason: start.reason, setAside: start.setAsidePath }, `checkpoint not used, starting fresh: ${start.message}`);
    else clog.info('no checkpoint: starting fresh');
    if (opened.setAside) clog.warn({ setAside: opened.setAside.path }, `alert journal set aside, its sound records used: ${opened.setAside.message}`);
    if (opened.tornBytes > 0) clog.info({ bytes: opened.tornBytes }, 'alert journal: a torn last record (a crash mid-write) was dropped');
    if (replay.skipped > 0) clog.warn({ records: replay.skipped }, 'alert journal: records of another shape skipped');
    if (restore.lifecycleRefused) clog.warn(`alert journal: its alert state does not fit the monitor, not used: ${restore.lifecycleRefused}`);
    else if (replay.newer.length > 0) clog.info({ transitions: replay.newer.length, undelivered: replay.undelivered.length, alert: restore.monitor.lifecycle.state }, 'alert state brought forward from the journal');
    clog.info({ baseline: baseline.header.digest, threshold: start.monitor.sequentialOptions === false ? null : start.monitor.sequentialOptions.threshold ?? null, thresholdFrom: start.monitor.thresholdSource, tauFrom: baseline.temporal ? 'baseline' : 'first window' }, 'watching');
  }
  // Compile the alert path before the first real alert needs it (warm-up.ts).
  const warmStarted = performance.now();
  let warmEvents = 0;
  for (const camera of config.cameras) {
    const events = warmUpMonitor(monitorOptions(config, camera, baselines.get(camera.id)!));
    warmEvents += events.length;
    for (const event of events) encodeEnvelope({ v: 1, dev: config.device, cam: event.camera, bdSeq: 0, seq: 0, ts: 0, kind: 'alert', hist: false, body: alertBody(event, { site: config.site }) });
  }
  log.debug({ ms: Math.round(performance.now() - warmStarted), events: warmEvents }, 'alert path warmed up');
  const metrics = new AgentMetrics({ cameras: config.cameras.map((c) => c.id) });
  const health = new AgentHealth(config.cameras.map((c) => c.id), config.device);
  const checkpointers = new Map<string, Checkpointer>();
  const ledgers = new Map<string, AlertLedger>();
  let commands: CommandHandler | null = null;
  let upstream: Upstream | null = null;
  if (config.sinks.mqtt !== null) {
    try {
      // The MQTT client (~10 MiB resident) is loaded only when a broker is configured.
      const { openUpstream } = await import('../upstream/open-upstream.js');
      upstream = await openUpstream(config, {
        baselines, monitors, log, metrics, env: environment.env ?? process.env,
        onCommand: (name, payload) => { void commands?.receive(name, payload); },
      });
    } catch (error) {
      log.error({ err: { message: (error as Error).message } }, 'cannot set up MQTT');
      return 1;
    }
  }
  const sinks: AlertSink[] = config.sinks.stdout ? [stdoutSink(io)] : [];
  if (upstream) sinks.push(upstream);
  const agent = new Agent({
    config, kernels, baselines, log, metrics, health, monitors,
    sinks, observer: upstream ?? undefined,
    stdin: environment.stdin,
    // Detections are counted with the threshold the baseline was built with.
    predictionFeatures: (camera, predictions, frame) => predictionFeaturesOf(predictions, frame, baselines.get(camera)!.minDetectionScore ?? 0),
    journal: {
      record: (camera, events, monitor) => ledgers.get(camera)!.record(events, monitor.lifecycle.toJSON()),
      delivered: (camera, counter) => ledgers.get(camera)!.delivered(counter),
    },
  });
  const stampAlert = upstream ? upstream.stampAlert.bind(upstream) : null;
  for (const camera of config.cameras) {
    const restore = restores.get(camera.id)!;
    const ledger = new AlertLedger({ camera: camera.id, journal: restore.journal, counter: restore.replay.counter, stamp: stampAlert });
    ledgers.set(camera.id, ledger);
    // A checkpoint says which journaled transitions it covers, and is never taken while one is being journaled.
    let covers = 0;
    checkpointers.set(camera.id, new Checkpointer({
      store, name: `camera-${camera.id}`, intervalMs: config.checkpointIntervalS * 1000,
      settled: () => ledger.settled(),
      snapshot: () => ({ ...agent.cameras.get(camera.id)!.monitor.toJSON(), alertJournal: (covers = ledger.counter) }),
      onError: (error) => { metrics.checkpointWritten('error'); log.error({ camera: camera.id, err: error }, 'checkpoint not saved'); },
      onSaved: () => {
        metrics.checkpointWritten('ok');
        ledger.compact(covers).catch((error: Error) => log.warn({ camera: camera.id, err: { message: error.message } }, 'alert journal not emptied after the checkpoint (it is kept and read again at start)'));
      },
    }).start());
  }
  // What a crashed run journaled but did not finish delivering goes out first, then a checkpoint covers it.
  for (const camera of config.cameras) {
    const { replay } = restores.get(camera.id)!;
    for (const record of replay.undelivered) await agent.deliverRecovered(record);
    if (replay.newer.length > 0) await checkpointers.get(camera.id)!.flush();
  }
  if (upstream) {
    upstream.monitorOf = (camera) => agent.cameras.get(camera)!.monitor;
    commands = new CommandHandler(agentCommandTargets({
      config, agent, baselines, checkpointers, upstream, metrics, health, log,
      monitorOptions: (camera, baseline) => monitorOptions(config, camera, baseline),
      loadConfig: () => loadAgentConfig({ argv, env: environment.env ?? process.env }),
    }), log);
    await upstream.start();
  }
  const stop = environment.stopSignal ?? signalled();
  try {
    await agent.start();
  } catch (error) {
    log.error({ err: error }, 'the agent could not start');
    await agent.stop().catch(() => undefined);
    await upstream?.stop().catch(() => undefined);
    return 1;
  }
  await environment.onStarted?.(agent);
  const reason = await stop;
  log.info({ reason: typeof reason === 'string' ? reason : 'stop requested' }, 'stopping: finishing queued frames, saving checkpoints');
  await agent.stop();
  await commands?.idle();
  const saved = await Promise.all([...checkpointers.values()].map(async (c) => { const before = c.failures; await c.stop({ flush: true }); return c.failures === before; }));
  await Promise.all([...ledgers.values()].map((ledger) => ledger.close()));
  // Alerts are in the outbox (durable) already: a short wait sends what it can, the rest goes at the next start.
  await upstream?.stop();
  log.info({ saved: saved.every(Boolean) }, 'stopped');
  return saved.every(Boolean) ? 0 : 1;
}
