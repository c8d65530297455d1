// The long-running agent: sources offer frames to per-camera bounded queues;
// one loop per camera takes them in order through its CameraPipeline;
// alert events are journaled, then go to the sinks; metrics, health and
// checkpoints follow.
// Nothing a frame or a source does can stop it: every failure is counted,
// logged without payloads, and the loop goes on.
import type { Logger } from 'pino';
import { decodeSettingsOf, type Baseline } from '../../src/baseline/baseline.js';
import type { DecodeScale } from '../decode.js';
import type { Kernels } from '../../src/kernels.js';
import type { AlertEvent } from '../../src/policy/alert-types.js';
import { DriftMonitor } from '../../src/policy/drift-monitor.js';
import type { Readable } from 'node:stream';
import type { AgentConfig } from '../config/index.js';
import { ListenServer } from '../http/listen-server.js';
import type { AgentHealth } from '../observability/health.js';
import type { AgentMetrics } from '../observability/metrics.js';
import { observabilityRoutes } from '../observability/routes.js';
import { QueueClosedError } from '../queue/frame-queue.js';
import { createSource, type CountedSource } from '../sources/create-source.js';
import type { IncomingFrame, SettleOutcome, SourceError } from '../sources/frame-source.js';
import { HttpIngestSource } from '../sources/http-source.js';
import { CameraPipeline, type FrameOutcome } from './camera-pipeline.js';
import { InProcessMeasurer, type FrameMeasurer } from './frame-measurer.js';
import { BACKGROUND_NICE, lowerThisThreadsPriority } from './thread-priority.js';
import { CameraRouter } from './camera-router.js';
import type { RecordedTransition, StampedAlert, TransitionRecord } from '../alerts/transition-record.js';

/** How an alert event reaches a sink. */
export interface AlertDelivery {
  /** Its MQTT envelope, stamped when it was journaled (null without MQTT or without a journal). */
  stamped: StampedAlert | null;
  /** Whether the journal holds it durably (false when the append failed). */
  journaled: boolean;
  /** Delivered again at start from the journal of a run that crashed before delivering it (it may have been delivered once). */
  recovered: boolean;
}

/** Where alert events go (stdout JSON lines, MQTT). */
export interface AlertSink {
  alert(event: AlertEvent, device: string, delivery?: AlertDelivery): void | Promise<void>;
}

/** Makes a frame's alert events durable before any sink has them (the alert journal, docs/checkpoints.md). */
export interface TransitionJournal {
  /** Called in the same turn as the check that made the events; resolves once they are on disk (never rejects). */
  record(camera: string, events: AlertEvent[], monitor: DriftMonitor): Promise<RecordedTransition>;
  /** After every sink had them: a restart need not deliver them again. */
  delivered(camera: string, counter: number): Promise<void>;
}

/** Sees each camera's admitted frames and completed checks (the MQTT summaries are built from these). */
export interface CheckObserver {
  admitted(camera: string, index: number, features: Readonly<Record<string, number>>): void;
  /** After a check, once its alert events are published. */
  checked(camera: string, monitor: DriftMonitor): void | Promise<void>;
}

/** What the agent needs that the command builds: loaded kernels and baselines, logs, metrics, sinks. */
export interface AgentParts {
  config: AgentConfig;
  kernels: Kernels;
  baselines: ReadonlyMap<string, Baseline>;
  log: Logger;
  metrics: AgentMetrics;
  health: AgentHealth;
  sinks: AlertSink[];
  /** Monitors restored from checkpoints (or made fresh), by camera; the agent makes fresh ones for any missing. */
  monitors?: ReadonlyMap<string, DriftMonitor>;
  /** The stream a stdin: source reads (default process.stdin). */
  stdin?: Readable;
  /**
   * Journals each frame's alert events before they are published, so that a
   * crash neither loses an alert nor lets the restarted agent fire it again.
   */
  journal?: TransitionJournal;
  /** Per-frame features from a camera's predictions (the catalogue's pred_* features); throws on a malformed answer. */
  predictionFeatures?: (camera: string, predictions: unknown, frame: { width: number; height: number }) => Record<string, number>;
  observer?: CheckObserver;
}

/** Tapped frames a proxy relay thread may hand over beyond what the queues hold: those in measuring and in messages. */
const TAPS_BEYOND_QUEUES = 8;
const round = (ms: number): number => Math.round(ms * 10) / 10;

export class Agent {
  readonly server: ListenServer;
  private readonly router: CameraRouter;
  private readonly pipelines = new Map<string, CameraPipeline>();
  private readonly sources: CountedSource[] = [];
  private readonly rejected = new Map<string, number>();
  private readonly loops: Promise<void>[] = [];
  private started = false;
  private readonly measurer: FrameMeasurer;
  private stopping: Promise<void> | null = null;

  constructor(private readonly parts: AgentParts) {
    const { config } = parts;
    this.measurer = new InProcessMeasurer(parts.kernels);
    this.server = new ListenServer(config.listen, {
      onError: (error, where) => parts.log.error({ err: { message: error.message }, method: where.method, path: where.path }, 'HTTP handler failed'),
    });
    this.router = new CameraRouter(config.cameras.map((c) => c.id), config.queue, (camera, reason) => {
      // A frame refused at shutdown is left with its source (a dir: file stays for the next start).
      if (camera !== null && reason === 'queue_full') parts.metrics.frameRejected(camera, 'queue_full');
    });
    for (const camera of config.cameras) {
      const baseline = parts.baselines.get(camera.id);
      if (!baseline) throw new RangeError(`no baseline loaded for camera '${camera.id}'`);
      // Each camera is measured as its baseline was: its decode scale and pixel step.
      const built = decodeSettingsOf(baseline.header);
      this.pipelines.set(camera.id, new CameraPipeline({
        camera: camera.id, baseline, kernels: parts.kernels,
        step: built.step, decode: { scale: built.scale as DecodeScale },
        restored: parts.monitors?.get(camera.id),
        monitor: {
          checkEvery: config.checkEvery,
          window: { kind: 'sliding-count', size: config.window },
          falseAlertsPer30Days: 30 / config.falseAlarm.perDays,
          falseAlarmFps: config.falseAlarm.fps,
          lifecycle: { modelVersion: camera.modelVersion },
        },
        predictionFeatures: parts.predictionFeatures && ((predictions, frame) => parts.predictionFeatures!(camera.id, predictions, frame)),
        measurer: this.measurer,
        record: parts.journal && ((events, monitor) => parts.journal!.record(camera.id, events, monitor)),
        onAdmitted: parts.observer && ((index, features) => parts.observer!.admitted(camera.id, index, features)),
      }));
      this.rejected.set(camera.id, 0);
      parts.metrics.baselineLoaded(camera.id, baseline.header.digest);
      parts.health.baselineLoaded(camera.id, baseline.header.digest);
      parts.metrics.alertState(camera.id, this.pipelines.get(camera.id)!.monitor.lifecycle.state);
    }
  }

  /** Pipelines by camera (for checkpoints and tests). */
  get cameras(): ReadonlyMap<string, CameraPipeline> { return this.pipelines; }

  /** Starts the sources, the HTTP server and one loop per camera. Resolves when all run. */
  async start(): Promise<void> {
    if (this.started) throw new Error('the agent is already started');
    this.started = true;
    const { parts } = this;
    const routes = observabilityRoutes({ metrics: parts.metrics, health: parts.health });
    this.server.route('GET', '/metrics', (req, res) => { routes(req, res); });
    this.server.route('GET', '/healthz', (req, res) => { routes(req, res); });
    const logs = new Map(parts.config.cameras.map((c) => [c.id, parts.log.child({ camera: c.id })]));
    const onError = (cameras: readonly string[]) => (error: SourceError): void => {
      // Origins name files and peers, never payloads.
      parts.log[error.fatal ? 'error' : 'warn']({ cameras, origin: error.origin, reason: error.reason }, error.message);
      if (error.fatal) for (const camera of cameras) parts.health.sourceStopped(camera, error.message);
    };
    // One http: ingest route serves every camera configured with http:.
    const httpCameras = parts.config.cameras.filter((c) => c.source.kind === 'http').map((c) => c.id);
    if (httpCameras.length > 0) this.sources.push(new HttpIngestSource(this.server, { cameras: httpCameras, onError: onError(httpCameras) }));
    const owners = new Map<CountedSource, string[]>(this.sources.map((s) => [s, httpCameras]));
    // A proxy may tap frames for any camera (X-Camera-Id): it may hand over as many as all queues hold, and a few more.
    const maxTapsAhead = parts.config.queue.maxFrames * parts.config.cameras.length + TAPS_BEYOND_QUEUES;
    for (const camera of parts.config.cameras) {
      if (camera.source.kind === 'http') continue;
      const source = createSource({ ...camera.source, camera: camera.id }, { server: this.server, stdin: parts.stdin, onError: onError([camera.id]), maxTapsAhead });
      this.sources.push(source);
      owners.set(source, [camera.id]);
    }
    for (const source of this.sources) {
      await source.start(this.router);
      for (const camera of owners.get(source)!) {
        parts.health.sourceRunning(camera);
        logs.get(camera)!.info({ source: source.kind }, 'source started');
      }
    }
    const address = await this.server.listen();
    // With a proxy: source the relay thread (started by listen, at this
    // thread's priority) forwards inference calls; everything this thread
    // does (decoding, the monitor, metrics, MQTT) comes second on a busy CPU.
    if (parts.config.cameras.some((c) => c.source.kind === 'proxy') && lowerThisThreadsPriority(BACKGROUND_NICE)) {
      parts.log.info({ nice: BACKGROUND_NICE }, 'the agent thread yields the CPU to the proxy relay thread');
    }
    parts.log.info({ listen: `${address.host}:${address.port}` }, 'listening (GET /metrics, GET /healthz, and http:/proxy: sources)');
    for (const camera of parts.config.cameras) this.loops.push(this.loop(camera.id, logs.get(camera.id)!));
  }

  /** Where the server listens (after start). */
  get address(): { host: string; port: number } { return this.server.boundAddress(); }

  /** Stops the sources, finishes the frames already queued, and closes the server. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.parts.health.shuttingDown();
      for (const source of this.sources) await source.stop().catch(() => undefined);
      this.router.close();
      await Promise.all(this.loops);
      await this.server.close();
      await this.measurer.close();
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
      const checked = check !== null && outcome.checkSeconds !== null;
      if (checked) metrics.checkResult(camera, check, outcome.checkSeconds!);
      // Alerts first: the check's summary (a bulk message, an fsync of its own) must not delay them.
      if (outcome.events.length > 0) await this.deliver(camera, outcome, log);
      if (checked) await this.observeCheck(camera, log);
    }
  }

  /** Journaled first (the events' record, fdatasynced), then to every sink, then marked delivered. */
  private async deliver(camera: string, outcome: FrameOutcome & { ok: true }, log: Logger): Promise<void> {
    const recorded = outcome.recorded ? await outcome.recorded : null;
    if (recorded?.error) log.error({ err: { message: recorded.error.message } }, 'alert not journaled: publishing it anyway (a crash before the next checkpoint may lose it or fire it again)');
    const timing = { frameMs: round(outcome.seconds * 1000), checkMs: round((outcome.checkSeconds ?? 0) * 1000), journalMs: round(recorded?.journalMs ?? 0) };
    for (const [i, event] of outcome.events.entries()) await this.publish(event, log, timing, { stamped: recorded?.stamped[i] ?? null, journaled: recorded !== null && recorded.error === null, recovered: false });
    if (recorded && !recorded.error) await this.markDelivered(camera, recorded.counter, log);
  }

  /**
   * Delivers again, before start, a transition a crashed run journaled but
   * did not finish delivering: each sink gets it marked recovered (MQTT
   * re-spools it under its original key).
   */
  async deliverRecovered(record: TransitionRecord): Promise<void> {
    const log = this.parts.log.child({ camera: record.camera });
    for (const { event, stamped } of record.events) {
      log.warn({ alert: event.id, state: event.state, frame: event.frame, causeRevised: event.causeRevised, counter: record.counter }, 'alert transition recovered from the journal: delivering it again');
      await this.toSinks(event, log, { stamped, journaled: true, recovered: true });
    }
    await this.markDelivered(record.camera, record.counter, log);
  }

  private async markDelivered(camera: string, counter: number, log: Logger): Promise<void> {
    try {
      await this.parts.journal?.delivered(camera, counter);
    } catch (error) {
      log.warn({ err: { message: (error as Error).message } }, 'could not mark an alert delivered in the journal (a restart may deliver it again)');
    }
  }

  private async observeCheck(camera: string, log: Logger): Promise<void> {
    try {
      await this.parts.observer?.checked(camera, this.pipelines.get(camera)!.monitor);
    } catch (error) {
      log.error({ err: { message: (error as Error).message } }, 'the check observer failed');
    }
  }

  private async publish(event: AlertEvent, log: Logger, timing: Record<string, number>, delivery: AlertDelivery): Promise<void> {
    if (!event.causeRevised) this.parts.metrics.alertState(event.camera, event.state);
    // Where an alert's latency went: the frame (decode, measure, check) and its journal record, written before it is sent.
    log.info({ alert: event.id, state: event.state, cause: event.cause, frame: event.frame, causeRevised: event.causeRevised, ...timing }, 'alert transition');
    await this.toSinks(event, log, delivery);
  }

  private async toSinks(event: AlertEvent, log: Logger, delivery: AlertDelivery): Promise<void> {
    for (const sink of this.parts.sinks) {
      try {
        await sink.alert(event, this.parts.config.device, delivery);
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
