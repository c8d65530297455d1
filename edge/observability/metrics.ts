// The agent's Prometheus metrics, on a registry of its own (several agents
// may share a process, in tests), with a small typed API for the agent loop
// and the GET /metrics handler. Names and labels: docs/observability.md.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from './prom-client-parts.js';
import { collectProcessMetrics } from './process-metrics.js';
import type { CheckResult } from '../../src/policy/check.js';
import { ALERT_STATES, type AlertState } from '../../src/policy/alert-types.js';
import type { FeatureTest } from '../../src/policy/feature-test.js';
import type { OutboxDropReason, OutboxLane, OutboxStats } from '../outbox/outbox.js';
import {
  CHECKPOINT_RESULTS, METRIC_FEATURES, REJECT_REASONS, rejectReason,
  type CheckpointResult, type FeatureStatistic,
} from './metric-labels.js';

export const METRIC_PREFIX = 'driftwatch_';
const OUTBOX_LANES: readonly OutboxLane[] = ['priority', 'bulk'];
const OUTBOX_DROP_REASONS: readonly OutboxDropReason[] = ['bytes', 'entries', 'age', 'corrupt'];

export interface AgentMetricsOptions {
  /** The configured camera ids: the only values of the camera label. */
  cameras: readonly string[];
  /** Process and Node.js metrics (CPU, memory, event loop), prefixed driftwatch_. Default true. */
  defaultMetrics?: boolean;
}

function seconds(value: number, what: string): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw new RangeError(`${what} must be a finite number of seconds >= 0, got ${String(value)}`);
  return value;
}

function count(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be an integer >= 0, got ${String(value)}`);
  return value;
}

function statistics(test: FeatureTest): [FeatureStatistic, number][] {
  const values: [FeatureStatistic, number][] = [['effect', test.effect]];
  if (test.kind === 'continuous') values.push(['ks_d', test.statistic]);
  if (test.kind === 'categorical') values.push(['chi_square', test.statistic]);
  if (test.pvalue !== null) values.push(['p_value', test.pvalue]);
  if (test.adjustedPvalue !== null) values.push(['adjusted_p_value', test.adjustedPvalue]);
  return values;
}

export class AgentMetrics {
  readonly registry = new Registry();
  private readonly cameras: ReadonlySet<string>;
  private readonly framesProcessed: Counter<'camera'>;
  private readonly framesRejected: Counter<'camera' | 'reason'>;
  private readonly featureStatistic: Gauge<'camera' | 'feature' | 'statistic'>;
  private readonly alertStateGauge: Gauge<'camera' | 'state'>;
  private readonly checkSeconds: Histogram<'camera'>;
  private readonly frameSeconds: Histogram<'camera'>;
  private readonly queueDepthGauge: Gauge<'camera'>;
  private readonly outboxDepthGauge: Gauge;
  private readonly mqttConnectedGauge: Gauge;
  private readonly outboxBytesGauge: Gauge;
  private readonly outboxDropped: Counter<'lane' | 'reason'>;
  private readonly mqttPublished: Counter<'result'>;
  private readonly mqttConnects: Counter<'result'>;
  private readonly mqttCommands: Counter<'result'>;
  private readonly baselineInfo: Gauge<'camera' | 'digest'>;
  private readonly checkpointWrites: Counter<'result'>;
  /** Feature-statistic series last set per camera, so that a check drops what it no longer reports. */
  private readonly featureSeries = new Map<string, Set<string>>();
  private readonly baselineDigests = new Map<string, string>();
  private readonly dropsSeen = new Map<string, number>();

  constructor(options: AgentMetricsOptions) {
    if (!options || !Array.isArray(options.cameras) || options.cameras.length === 0) throw new TypeError('options.cameras must list the configured camera ids');
    this.cameras = new Set(options.cameras);
    const registers = [this.registry];
    const name = (suffix: string) => METRIC_PREFIX + suffix;
    this.framesProcessed = new Counter({ name: name('frames_processed_total'), help: 'Frames measured and given to the drift monitor.', labelNames: ['camera'], registers });
    this.framesRejected = new Counter({ name: name('frames_rejected_total'), help: `Frames not measured, by reason (${REJECT_REASONS.join(', ')}).`, labelNames: ['camera', 'reason'], registers });
    this.featureStatistic = new Gauge({ name: name('feature_statistic'), help: "The latest check's statistics per feature: ks_d, chi_square, p_value, adjusted_p_value, effect.", labelNames: ['camera', 'feature', 'statistic'], registers });
    this.alertStateGauge = new Gauge({ name: name('alert_state'), help: "1 for the camera's current alert state, 0 for the others.", labelNames: ['camera', 'state'], registers });
    this.checkSeconds = new Histogram({ name: name('check_duration_seconds'), help: 'Time a drift check took.', labelNames: ['camera'], buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers });
    this.frameSeconds = new Histogram({ name: name('frame_processing_seconds'), help: 'Time from a frame leaving the queue to its features reaching the monitor (decode included).', labelNames: ['camera'], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], registers });
    this.queueDepthGauge = new Gauge({ name: name('queue_depth_frames'), help: "Frames waiting in the camera's queue.", labelNames: ['camera'], registers });
    this.outboxDepthGauge = new Gauge({ name: name('outbox_depth_messages'), help: 'MQTT messages waiting in the outbox (spooled, not yet acknowledged by the broker).', registers });
    this.outboxBytesGauge = new Gauge({ name: name('outbox_bytes'), help: 'Payload bytes waiting in the outbox.', registers });
    this.outboxDropped = new Counter({ name: name('outbox_dropped_total'), help: `Messages dropped from the outbox unsent, by lane (${OUTBOX_LANES.join(', ')}) and reason (${OUTBOX_DROP_REASONS.join(', ')}).`, labelNames: ['lane', 'reason'], registers });
    this.mqttConnectedGauge = new Gauge({ name: name('mqtt_connected'), help: '1 while connected to the MQTT broker.', registers });
    this.mqttPublished = new Counter({ name: name('mqtt_publishes_total'), help: 'QoS 1 publishes answered by the broker, by result (ok, denied: a PUBACK reason code >= 128 such as 135 not authorized).', labelNames: ['result'], registers });
    this.mqttConnects = new Counter({ name: name('mqtt_connects_total'), help: 'Connection attempts, by result (ok, refused: the broker refused them, e.g. bad credentials; failed: no answer).', labelNames: ['result'], registers });
    this.mqttCommands = new Counter({ name: name('mqtt_commands_total'), help: 'Commands received on cmd/#, by result (ok, rejected).', labelNames: ['result'], registers });
    this.baselineInfo = new Gauge({ name: name('baseline_info'), help: "1 for the digest of the baseline each camera is compared with.", labelNames: ['camera', 'digest'], registers });
    this.checkpointWrites = new Counter({ name: name('checkpoint_writes_total'), help: 'Checkpoint writes, by result.', labelNames: ['result'], registers });
    if (options.defaultMetrics !== false) collectProcessMetrics(this.registry, METRIC_PREFIX);

    // Every series a dashboard needs exists from the start, at zero.
    this.outboxDepthGauge.set(0);
    this.mqttConnectedGauge.set(0);
    this.outboxBytesGauge.set(0);
    for (const lane of OUTBOX_LANES) for (const reason of OUTBOX_DROP_REASONS) this.outboxDropped.inc({ lane, reason }, 0);
    for (const result of ['ok', 'denied']) this.mqttPublished.inc({ result }, 0);
    for (const result of ['ok', 'refused', 'failed']) this.mqttConnects.inc({ result }, 0);
    for (const result of ['ok', 'rejected']) this.mqttCommands.inc({ result }, 0);
    for (const result of CHECKPOINT_RESULTS) this.checkpointWrites.inc({ result }, 0);
    for (const camera of this.cameras) {
      this.framesProcessed.inc({ camera }, 0);
      for (const reason of REJECT_REASONS) this.framesRejected.inc({ camera, reason }, 0);
      this.queueDepthGauge.set({ camera }, 0);
      this.frameSeconds.zero({ camera });
      this.checkSeconds.zero({ camera });
      this.alertState(camera, 'ok');
    }
  }

  private camera(camera: string): string {
    if (!this.cameras.has(camera)) throw new RangeError(`unknown camera '${String(camera)}': metrics carry only the configured cameras (${[...this.cameras].join(', ')})`);
    return camera;
  }

  frameProcessed(camera: string, processingSeconds: number): void {
    const labels = { camera: this.camera(camera) };
    this.frameSeconds.observe(labels, seconds(processingSeconds, 'processingSeconds'));
    this.framesProcessed.inc(labels);
  }

  /** A reason outside REJECT_REASONS is counted as 'other', never as a new label. */
  frameRejected(camera: string, reason: string): void {
    this.framesRejected.inc({ camera: this.camera(camera), reason: rejectReason(reason) });
  }

  /** A check's per-feature statistics (features outside the catalogue are left out), and its duration when given. */
  checkResult(camera: string, result: CheckResult, durationSeconds?: number): void {
    this.camera(camera);
    if (!result || !Array.isArray(result.tests)) throw new TypeError('result must be a CheckResult with a tests array');
    if (durationSeconds !== undefined) this.checkSeconds.observe({ camera }, seconds(durationSeconds, 'durationSeconds'));
    const previous = this.featureSeries.get(camera) ?? new Set<string>();
    const current = new Set<string>();
    for (const test of result.tests) {
      if (!METRIC_FEATURES.has(test.feature)) continue;
      for (const [statistic, value] of statistics(test)) {
        this.featureStatistic.set({ camera, feature: test.feature, statistic }, value);
        current.add(`${test.feature}\u0000${statistic}`);
      }
    }
    for (const series of previous) {
      if (current.has(series)) continue;
      const [feature, statistic] = series.split('\u0000');
      this.featureStatistic.remove({ camera, feature, statistic });
    }
    this.featureSeries.set(camera, current);
  }

  alertState(camera: string, state: AlertState): void {
    this.camera(camera);
    if (!ALERT_STATES.includes(state)) throw new RangeError(`state must be one of ${ALERT_STATES.join(', ')}, got ${String(state)}`);
    for (const s of ALERT_STATES) this.alertStateGauge.set({ camera, state: s }, s === state ? 1 : 0);
  }

  queueDepth(camera: string, frames: number): void {
    this.queueDepthGauge.set({ camera: this.camera(camera) }, count(frames, 'frames'));
  }

  outboxDepth(messages: number): void {
    this.outboxDepthGauge.set(count(messages, 'messages'));
  }

  mqttConnected(connected: boolean): void {
    this.mqttConnectedGauge.set(connected ? 1 : 0);
  }

  /** The outbox's current size and its drops since it was opened (counters follow the outbox's own totals). */
  outbox(stats: OutboxStats): void {
    this.outboxDepthGauge.set(count(stats.entries, 'entries'));
    this.outboxBytesGauge.set(count(stats.bytes, 'bytes'));
    for (const lane of OUTBOX_LANES) {
      for (const reason of OUTBOX_DROP_REASONS) {
        const total = stats.dropped[lane][reason];
        const key = `${lane}/${reason}`;
        const seen = this.dropsSeen.get(key) ?? 0;
        if (total > seen) this.outboxDropped.inc({ lane, reason }, total - seen);
        this.dropsSeen.set(key, Math.max(seen, total));
      }
    }
  }

  mqttPublish(result: 'ok' | 'denied'): void {
    this.mqttPublished.inc({ result });
  }

  mqttConnect(result: 'ok' | 'refused' | 'failed'): void {
    this.mqttConnects.inc({ result });
  }

  mqttCommand(result: 'ok' | 'rejected'): void {
    this.mqttCommands.inc({ result });
  }

  /** The baseline a camera is compared with; a new digest replaces the camera's old series. */
  baselineLoaded(camera: string, digest: string): void {
    this.camera(camera);
    if (typeof digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(digest)) throw new RangeError(`digest must be 'sha256:' and 64 hex digits, got ${String(digest)}`);
    const old = this.baselineDigests.get(camera);
    if (old !== undefined && old !== digest) this.baselineInfo.remove({ camera, digest: old });
    this.baselineInfo.set({ camera, digest }, 1);
    this.baselineDigests.set(camera, digest);
  }

  checkpointWritten(result: CheckpointResult): void {
    if (!CHECKPOINT_RESULTS.includes(result)) throw new RangeError(`result must be one of ${CHECKPOINT_RESULTS.join(', ')}, got ${String(result)}`);
    this.checkpointWrites.inc({ result });
  }

  /** The exposition text, as GET /metrics serves it. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** GET (or HEAD) /metrics; mount it on the path yourself. */
  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed: use GET\n');
      return;
    }
    this.registry.metrics().then(
      (body) => {
        res.writeHead(200, { 'content-type': this.registry.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`metrics could not be collected: ${(error as Error).message}\n`);
      },
    );
  };
}
