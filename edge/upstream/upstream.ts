// The agent's MQTT side: every alert transition and every check's summary
// becomes an envelope in the durable outbox (alerts in the priority lane),
// and the publisher drains the outbox to the broker, deleting an entry only
// on its PUBACK. State (retained, with the Will) and birth go out on every
// connect; commands come in on cmd/# and are answered on reply.
import type { Logger } from 'pino';
import type { Baseline } from '../../src/baseline/baseline.js';
import { decodeSettingsOf } from '../../src/baseline/baseline.js';
import { CATALOGUE_VERSION } from '../../src/catalogue.js';
import { alertBody } from '../../src/envelope/alert-body.js';
import { markHistorical, type EnvelopeKind } from '../../src/envelope/envelope.js';
import { birthBody, replyBody, stateBody } from '../../src/envelope/lifecycle-bodies.js';
import { topicFor } from '../../src/envelope/topics.js';
import type { AlertEvent } from '../../src/policy/alert-types.js';
import type { DriftMonitor } from '../../src/policy/drift-monitor.js';
import type { AlertDelivery, AlertSink, CheckObserver } from '../agent/agent.js';
import type { StampedAlert } from '../alerts/transition-record.js';
import type { AgentConfig } from '../config/index.js';
import type { MqttEnv } from '../mqtt/broker-options.js';
import { MqttLink } from '../mqtt/mqtt-link.js';
import { OutboxPublisher } from '../mqtt/outbox-publisher.js';
import type { AgentMetrics } from '../observability/metrics.js';
import type { Outbox, OutboxLane, OutboxMessage } from '../outbox/outbox.js';
import type { BdSeqStore } from './bdseq-store.js';
import { CameraSummaries } from './camera-summaries.js';
import { EnvelopeStamper } from './envelope-stamper.js';

export interface UpstreamOptions {
  config: AgentConfig;
  /** The baseline each camera is compared with now (a re-baseline replaces entries). */
  baselines: Map<string, Baseline>;
  /** The features each camera's windows hold (its monitor's). */
  features: ReadonlyMap<string, readonly string[]>;
  outbox: Outbox;
  bdSeq: BdSeqStore;
  log: Logger;
  metrics: AgentMetrics;
  agentVersion: string;
  configHash: string;
  env?: MqttEnv;
  /** Commands: the name and raw bytes; the handler answers through reply(). */
  onCommand: (name: string, payload: Uint8Array) => void;
  now?: () => number;
}

const LANES: Record<EnvelopeKind, OutboxLane> = { alert: 'priority', reply: 'priority', birth: 'priority', state: 'priority', summary: 'bulk' };

/** A stamped alert not yet in the outbox, and what waits for it. */
interface Unspooled { payload: Uint8Array; spooled: Promise<void>; done: () => void }

export class Upstream implements AlertSink, CheckObserver {
  readonly link: MqttLink;
  private readonly publisher: OutboxPublisher;
  private readonly stamper: EnvelopeStamper;
  private readonly summaries = new Map<string, CameraSummaries>();
  private readonly now: () => number;
  /** Appends in progress, so stop() waits for them. */
  private readonly appending = new Set<Promise<unknown>>();
  /**
   * Alerts stamped but not yet appended (their journal record is being
   * written), in stamp order. A message stamped later is appended only after
   * them, so the outbox never holds a seq whose predecessor a crash may still
   * lose: a gap in seq keeps meaning a dropped message.
   */
  private readonly unspooled: Unspooled[] = [];

  constructor(private readonly options: UpstreamOptions) {
    const { config } = options;
    this.now = options.now ?? Date.now;
    this.stamper = new EnvelopeStamper(config.device, this.now);
    for (const camera of config.cameras) {
      this.summaries.set(camera.id, new CameraSummaries(camera.id, options.features.get(camera.id)!, { site: config.site, model: camera.modelVersion }));
    }
    const mqtt = config.mqtt;
    this.link = new MqttLink({
      url: config.sinks.mqtt!,
      brokerOptions: {
        ...(mqtt.username !== null ? { username: mqtt.username } : {}),
        ...(mqtt.passwordFile !== null ? { passwordFile: mqtt.passwordFile } : {}),
        ...(mqtt.ca !== null ? { ca: mqtt.ca } : {}),
        ...(mqtt.cert !== null ? { cert: mqtt.cert } : {}),
        ...(mqtt.key !== null ? { key: mqtt.key } : {}),
        protocolVersion: mqtt.protocol,
      },
      device: config.device,
      log: options.log,
      env: options.env,
      metrics: {
        connected: (up: boolean) => options.metrics.mqttConnected(up),
        published: () => options.metrics.mqttPublish('ok'),
        publishDenied: () => options.metrics.mqttPublish('denied'),
      },
      // Every connection starts a new epoch, durable before the CONNECT.
      nextBdSeq: async () => {
        const bdSeq = await options.bdSeq.next();
        this.stamper.startEpoch(bdSeq);
        return bdSeq;
      },
      onCommand: (name, payload) => options.onCommand(name, payload),
      willPayload: (bdSeq) => this.stamper.stampConnection('state', stateBody({ online: false, bdSeq, ts: Math.round(this.now()) })),
      onlinePayload: (bdSeq) => this.stamper.stampConnection('state', stateBody({ online: true, bdSeq, ts: Math.round(this.now()) })),
      birthPayload: () => this.stamper.stampConnection('birth', this.birth()),
    });
    this.link.on('connected', () => options.metrics.mqttConnect('ok'));
    this.link.on('retry', ({ kind }) => options.metrics.mqttConnect(kind === 'credentials' ? 'refused' : 'failed'));
    this.publisher = new OutboxPublisher({
      outbox: options.outbox, link: this.link, log: options.log,
      metrics: { acked: () => options.metrics.outbox(options.outbox.stats()) },
      // Made in an earlier epoch than the current connection's: replayed from the spool.
      prepare: (entry, historical) => (historical ? markHistorical(entry.payload) : entry.payload),
    });
  }

  /** Takes this run's first epoch (messages made before the first connection carry it), then connects. */
  async start(): Promise<void> {
    this.stamper.startEpoch(await this.options.bdSeq.next());
    this.publisher.start();
    this.link.start();
  }

  // AlertSink. With the alert journal the envelope was stamped (and journaled) already;
  // one recovered from a crashed run's journal goes back under its key, unless still spooled.
  async alert(event: AlertEvent, _device?: string, delivery?: AlertDelivery): Promise<void> {
    if (delivery?.recovered && delivery.stamped) await this.respoolAlert(delivery.stamped);
    else if (delivery?.stamped) await this.spoolAlert(delivery.stamped, { journaled: delivery.journaled });
    else await this.spoolAlert(this.stampAlert(event));
  }

  /** The alert's envelope under its key, now; spoolAlert() must follow (messages stamped later wait for it). */
  stampAlert(event: AlertEvent): StampedAlert {
    const payload = this.stamper.stamp('alert', event.camera, alertBody(event, { site: this.options.config.site }));
    let done!: () => void;
    const spooled = new Promise<void>((resolve) => { done = resolve; });
    this.unspooled.push({ payload, spooled, done });
    return { topic: topicFor(this.options.config.device, 'alert', event.camera), payload };
  }

  /**
   * Appends a stamped alert to the outbox (priority lane), after the messages
   * stamped before it; resolves once the append is durable. `journaled`: its
   * bytes are in the alert journal, so it may be published sooner (append()).
   */
  async spoolAlert(stamped: StampedAlert, options: { journaled?: boolean } = {}): Promise<void> {
    const index = this.unspooled.findIndex((u) => u.payload === stamped.payload);
    if (index < 0) throw new RangeError('spoolAlert() takes an alert from stampAlert(), once');
    const mine = this.unspooled[index];
    try {
      await Promise.all(this.unspooled.slice(0, index).map((u) => u.spooled));
      await this.append({ topic: stamped.topic, payload: stamped.payload, lane: 'priority' }, { journaled: options.journaled });
    } finally {
      this.unspooled.splice(this.unspooled.indexOf(mine), 1);
      mine.done();
    }
  }

  /**
   * Puts back an alert a crashed run journaled under its original key (it is
   * published with hist set, being older than the connection). Skipped when
   * the outbox still holds it; else a copy may reach the broker twice, under
   * the same key. Resolves true when appended.
   */
  async respoolAlert(stamped: StampedAlert): Promise<boolean> {
    // Priority entries come first: those are the ones an alert can be among.
    const pending = await this.options.outbox.next(this.options.outbox.stats().lanes.priority.entries);
    if (pending.some((entry) => entry.topic === stamped.topic && sameBytes(entry.payload, stamped.payload))) return false;
    await this.append({ topic: stamped.topic, payload: stamped.payload, lane: 'priority' });
    return true;
  }

  /** The camera's current monitor (set by the command once the agent exists): summaries made between checks read it. */
  monitorOf: ((camera: string) => DriftMonitor) | null = null;

  // CheckObserver
  admitted(camera: string, index: number, features: Readonly<Record<string, number>>): void {
    const summaries = this.summaries.get(camera);
    if (!summaries) return;
    // Until the window is full there are no checks: a summary still covers at
    // most one check interval, so no summary outgrows the others (8 KB).
    if (summaries.pending >= this.options.config.checkEvery && this.monitorOf) {
      const appended = this.summarize(camera, this.monitorOf(camera)).catch((error: Error) => this.options.log.error({ camera, err: { message: error.message } }, 'summary not spooled'));
      this.appending.add(appended);
      void appended.finally(() => this.appending.delete(appended));
    }
    summaries.admitted(index, features);
  }

  async checked(camera: string, monitor: DriftMonitor): Promise<void> {
    await this.summarize(camera, monitor);
  }

  /** A summary of the frames since the camera's last one, now (summary-now, and after each check). */
  async summarize(camera: string, monitor: DriftMonitor): Promise<void> {
    const summaries = this.summaries.get(camera);
    const baseline = this.options.baselines.get(camera);
    if (!summaries || !baseline) throw new RangeError(`unknown camera '${camera}'`);
    await this.enqueue('summary', camera, summaries.take(monitor, baseline, this.options.config.window));
  }

  /** The answer to a command, on .../reply. */
  async reply(command: string, requestId: string | null, outcome: { ok: true; result?: unknown } | { ok: false; error: string }): Promise<void> {
    await this.enqueue('reply', null, replyBody({
      command, requestId, ok: outcome.ok, error: outcome.ok ? null : outcome.error, result: outcome.ok ? outcome.result ?? null : null,
    }));
  }

  /** Birth again (the rebirth command, or after a re-baseline changed what it says). */
  async rebirth(): Promise<void> {
    await this.enqueue('birth', null, this.birth());
  }

  get connected(): boolean { return this.link.connected; }

  /** Waits (up to `ms`) for the outbox to drain, then publishes offline and disconnects. */
  async stop(ms = 3000): Promise<void> {
    // The frames since each camera's last summary are not left out.
    for (const [camera, summaries] of this.summaries) {
      if (summaries.pending > 0 && this.monitorOf) await this.summarize(camera, this.monitorOf(camera)).catch(() => undefined);
    }
    await Promise.all(this.appending);
    await this.publisher.drained(ms).catch(() => undefined);
    await this.publisher.stop();
    await this.link.stop();
    this.options.metrics.mqttConnected(false);
    this.options.metrics.outbox(this.options.outbox.stats());
    await this.options.outbox.close();
  }

  private birth() {
    const { config, baselines } = this.options;
    return birthBody({
      agentVersion: this.options.agentVersion, site: config.site, catalogue: CATALOGUE_VERSION, configHash: this.options.configHash,
      cameras: config.cameras.map((camera) => {
        const baseline = baselines.get(camera.id)!;
        const decode = decodeSettingsOf(baseline.header);
        return { id: camera.id, model: camera.modelVersion, baseline: baseline.header.digest, decodeScale: decode.scale as 1 | 2 | 4 | 8, step: decode.step };
      }),
    });
  }

  private async enqueue(kind: EnvelopeKind, camera: string | null, body: unknown): Promise<void> {
    const topic = kind === 'summary' || kind === 'alert' ? topicFor(this.options.config.device, kind, camera!)
      : topicFor(this.options.config.device, kind as 'birth' | 'reply');
    const payload = this.stamper.stamp(kind, camera, body);
    await Promise.all(this.unspooled.map((u) => u.spooled));
    await this.append({ topic, payload, lane: LANES[kind] });
  }

  /**
   * `journaled`: the message's exact bytes are durable in the alert journal
   * already, so the publisher may send it before the outbox append is
   * durable too (the outbox indexes it at once). A crash before that append
   * is durable gets it re-spooled from the journal under the same key: at
   * worst a copy, never a loss. Otherwise it is published only once durable.
   */
  private async append(message: OutboxMessage, options: { journaled?: boolean } = {}): Promise<void> {
    const appended = this.options.outbox.append(message);
    if (options.journaled) this.publisher.notify();
    this.appending.add(appended);
    try {
      await appended;
    } finally {
      this.appending.delete(appended);
    }
    this.options.metrics.outbox(this.options.outbox.stats());
    this.publisher.notify();
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
