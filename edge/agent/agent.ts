// The long-running agent: sources offer frames to per-camera bounded queues;
// one loop per camera takes them in order through its CameraPipeline;
// alert events go to the sinks; metrics, health and checkpoints follow.
// Nothing a frame or a source does can stop it: every failure is counted,
// logged without payloads, and the loop goes on.
import type { Logger } from 'pino';
import type { Baseline } from '../../src/baseline/baseline.js';
import type { Kernels } from '../../src/kernels.js';
import type { AlertEvent } from '../../src/policy/alert-types.js';
import { DriftMonitor } from '../../src/policy/drift-monitor.js';
import type { AgentConfig, CameraConfig } from '../config/index.js';
import { ListenServer } from '../http/listen-server.js';
import type { AgentMetrics } from '../observability/metrics.js';
import { QueueClosedError } from '../queue/frame-queue.js';
import type { FrameSource, IncomingFrame, SettleOutcome, SourceError } from '../sources/frame-source.js';
import { CameraPipeline, type FrameOutcome } from './camera-pipeline.js';
import { CameraRouter } from './camera-router.js';

/** Where alert events go (stdout JSON lines now; MQTT in a later issue). */
export interface AlertSink {
  alert(event: AlertEvent, device: string): void | Promise<void>;
}

/** What the agent needs that the command builds: loaded kernels and baselines, logs, metrics, sources. */
export interface AgentParts {
  config: AgentConfig;
  kernels: Kernels;
  baselines: ReadonlyMap<string, Baseline>;
  log: Logger;
  metrics: AgentMetrics;
  sinks: AlertSink[];
  /** Builds each camera's source; http and proxy sources register on the server. */
  createSource(camera: CameraConfig, server: ListenServer, onError: (error: SourceError) => void): FrameSource;
  /** Monitors restored from checkpoints, by camera (the agent makes fresh ones for the others). */
  restored?: ReadonlyMap<string, DriftMonitor>;
  /** Per-frame features from predictions (the catalogue's pred_* features). */
  predictionFeatures?: (predictions: unknown, frame: { width: number; height: number }) => Record<string, number>;
}

export interface CameraStatus {
  camera: string;
  frames: number;
  rejected: number;
  alertState: string;
  sourceRunning: boolean;
}

export class Agent {
  readonly server: ListenServer;
  private readonly router: CameraRouter;
  private readonly pipelines = new Map<string, CameraPipeline>();
  private readonly sources = new Map<string, FrameSource>();
  private readonly rejected = new Map<string, number>();
  private readonly loops: Promise<void>[] = [];
  private started = false;
  private stopping: Promise<void> | null = null;

  constructor(private readonly parts: AgentParts) {
    const { config } = parts;
    this.server = new ListenServer(config.listen, {
      onError: (error, where) => parts.log.error({ err: { message: error.message }, method: where.method, path: where.path }, 'HTTP handler failed'),
    });
    this.router = new CameraRouter(config.cameras.map((c) => c.id), config.queue);
    for (const camera of config.cameras) {
      const baseline = parts.baselines.get(camera.id);
      if (!baseline) throw new RangeError(`no baseline loaded for camera '${camera.id}'`);
      this.pipelines.set(camera.id, new CameraPipeline({
        camera: camera.id, baseline, kernels: parts.kernels,
        restored: parts.restored?.get(camera.id),
        monitor: {
          checkEvery: config.checkEvery,
          window: { kind: 'sliding-count', size: config.window },
          falseAlertsPer30Days: 30 / config.falseAlarm.perDays,
          falseAlarmFps: config.falseAlarm.fps,
          lifecycle: { modelVersion: camera.modelVersion },
        },
        predictionFeatures: parts.predictionFeatures,
      }));
      this.rejected.set(camera.id, 0);
      parts.metrics.baselineLoaded(camera.id, baseline.header.digest);
      parts.metrics.alertState(camera.id, this.pipelines.get(camera.id)!.monitor.lifecycle.state);
    }
  }

  /** Pipelines by camera (for checkpoints and tests). */
  get cameras(): ReadonlyMap<string, CameraPipeline> { return this.pipelines; }

  /** Starts the HTTP server, the sources and one loop per camera. Resolves when all run. */
  async start(): Promise<void> {
    if (this.started) throw new Error('the agent is already started');
    this.started = true;
    const { parts } = this;
    this.server.route('GET', '/metrics', (req, res) => parts.metrics.handler(req, res));
    this.server.route('GET', '/healthz', (_req, res) => {
      const health = this.health();
      res.writeHead(health.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(health));
    });
    const address = await this.server.listen();
    parts.log.info({ listen: `${address.host}:${address.port}` }, 'listening for /metrics, /healthz and HTTP sources');
    for (const camera of parts.config.cameras) {
      const log = parts.log.child({ camera: camera.id });
      const source = parts.createSource(camera, this.server, (error) => {
        // Origins name files and peers, never payloads.
        log[error.fatal ? 'error' : 'warn']({ origin: error.origin, reason: error.reason }, error.message);
      });
      this.sources.set(camera.id, source);
      await source.start(this.router);
      log.info({ source: source.kind }, 'source started');
      this.loops.push(this.loop(camera.id, log));
    }
  }

  /** Ready when every camera has its baseline and a running source. */
  health(): { ready: boolean; cameras: CameraStatus[] } {
    const cameras = [...this.pipelines.values()].map((p) => ({
      camera: p.camera, frames: p.frames, rejected: this.rejected.get(p.camera) ?? 0,
      alertState: p.monitor.lifecycle.state, sourceRunning: this.sources.get(p.camera)?.running ?? false,
    }));
    return { ready: this.started && this.stopping === null && cameras.every((c) => c.sourceRunning), cameras };
  }

  /** Stops the sources, finishes the frames already queued, and closes the server. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const source of this.sources.values()) await source.stop().catch(() => undefined);
      this.router.close();
      await Promise.all(this.loops);
      await this.server.close();
    })();
    return this.stopping;
  }

  private async loop(camera: string, log: Logger): Promise<void> {
    const queue = this.router.queue(camera);
    const pipeline = this.pipelines.get(camera)!;
    const { metrics } = this.parts;
    for (;;) {
      let frame: IncomingFrame;
      try {
        frame = await queue.take();
      } catch (error) {
        if (error instanceof QueueClosedError) return;
        throw error;
      }
      metrics.queueDepth(camera, queue.depth);
      let outcome: FrameOutcome;
      try {
        outcome = await pipeline.process(frame);
      } catch (error) {
        // The pipeline returns its failures; a throw here is a bug, and still must not stop the camera.
        outcome = { ok: false, reason: 'monitor', message: `${frame.origin}: ${(error as Error).message}` };
      }
      await this.settle(frame, outcome.ok ? 'processed' : 'rejected', log);
      if (!outcome.ok) {
        this.rejected.set(camera, (this.rejected.get(camera) ?? 0) + 1);
        metrics.frameRejected(camera, outcome.reason);
        log.warn({ origin: frame.origin, reason: outcome.reason }, outcome.message);
        continue;
      }
      metrics.frameProcessed(camera, outcome.seconds);
      const check = pipeline.monitor.lastCheck;
      if (check && outcome.checkSeconds !== null) metrics.checkResult(camera, check, outcome.checkSeconds);
      for (const event of outcome.events) await this.publish(event, log);
    }
  }

  private async publish(event: AlertEvent, log: Logger): Promise<void> {
    if (!event.causeRevised) this.parts.metrics.alertState(event.camera, event.state);
    log.info({ alert: event.id, state: event.state, cause: event.cause, frame: event.frame, causeRevised: event.causeRevised }, 'alert transition');
    for (const sink of this.parts.sinks) {
      try {
        await sink.alert(event, this.parts.config.device);
      } catch (error) {
        log.error({ alert: event.id, err: { message: (error as Error).message } }, 'an alert sink failed');
      }
    }
  }

  private async settle(frame: IncomingFrame, outcome: SettleOutcome, log: Logger): Promise<void> {
    if (!frame.settle) return;
    try {
      await frame.settle(outcome);
    } catch (error) {
      log.warn({ origin: frame.origin, err: { message: (error as Error).message } }, 'could not settle the frame with its source');
    }
  }
}
