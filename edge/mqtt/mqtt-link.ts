// One device's connection to the broker: a fresh MQTT.js client per attempt
// (so its in-memory stores never carry messages across connections; the
// outbox is the only buffer), the Will / online state / birth sequence, the
// command subscription, PUBACK results, and reconnects on our own backoff.
import { EventEmitter } from 'node:events';
import mqtt, { type IClientOptions, type IClientPublishOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { Backoff, isCredentialsRefusal, type FailureKind } from './backoff.js';
import { brokerAddress, brokerOptions, type BrokerSettings, type MqttEnv } from './broker-options.js';
import { contentType, deviceTopics, type DeviceTopics } from './topics.js';
import { InFlightPublishes, LinkDownError, type PublishResult } from './in-flight.js';

export { LinkDownError, type PublishResult } from './in-flight.js';

export type PublishProperties = NonNullable<IClientPublishOptions['properties']>;
export type CommandProperties = IPublishPacket['properties'];

export interface MqttLinkMetrics {
  connected?(up: boolean): void;
  publishDenied?(): void;
  published?(): void;
  reconnects?(): void;
}

export interface MqttLinkOptions {
  url: string;
  /** Everything but the client id, which is the device id. */
  brokerOptions?: Omit<BrokerSettings, 'clientId'>;
  device: string;
  log: Logger;
  metrics?: MqttLinkMetrics;
  /** The next birth/death sequence number; the agent persists it. Called before every connect. */
  nextBdSeq: () => Promise<number>;
  onCommand: (name: string, payload: Uint8Array, properties: CommandProperties) => void;
  /** The offline state (the Will, and what stop() publishes). */
  willPayload: (bdSeq: number) => Uint8Array;
  onlinePayload: (bdSeq: number) => Uint8Array;
  birthPayload: (bdSeq: number) => Uint8Array;
  backoff?: Backoff;
  env?: MqttEnv;
  /** Most ms stop() waits for the offline state's PUBACK and the DISCONNECT. Default 3000. */
  stopTimeoutMs?: number;
}

export interface PublishOptions {
  qos?: 1;
  retain?: boolean;
  /** Sets the MQTT 5 content type hint application/vnd.driftwatch.<kind>+msgpack;v=1. */
  kind?: string;
  properties?: PublishProperties;
}

export interface MqttLinkEvents {
  connected: [{ bdSeq: number }];
  disconnected: [{ bdSeq: number }];
  /** An attempt or a connection failed; the next attempt is in delayMs. */
  retry: [{ delayMs: number; kind: FailureKind; reasonCode?: number; reason: string }];
}

const bytes = (payload: Uint8Array): Buffer => Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T | undefined> =>
  Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref())]);

export class MqttLink extends EventEmitter<MqttLinkEvents> {
  readonly topics: DeviceTopics;
  private readonly options: MqttLinkOptions;
  private readonly clientOptions: IClientOptions;
  private readonly protocolVersion: 4 | 5;
  private readonly backoff: Backoff;
  private readonly log: Logger;
  private client: MqttClient | null = null;
  private inFlight: InFlightPublishes | null = null;
  private ready = false;
  private running = false;
  private bdSeq = -1;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(options: MqttLinkOptions) {
    super();
    this.options = options;
    this.topics = deviceTopics(options.device);
    this.clientOptions = brokerOptions(options.url, { ...options.brokerOptions, clientId: options.device }, options.env);
    this.protocolVersion = this.clientOptions.protocolVersion === 4 ? 4 : 5;
    this.backoff = options.backoff ?? new Backoff();
    this.log = options.log.child({ broker: brokerAddress(this.clientOptions) });
  }

  /** True once the online state and birth are acknowledged and commands subscribed, until the connection ends. */
  get connected(): boolean {
    return this.ready;
  }

  /** The bdSeq of the current (or last) connection; -1 before the first. */
  get currentBdSeq(): number {
    return this.bdSeq;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.attempt();
  }

  /** QoS 1; resolves on PUBACK; rejects with LinkDownError at once when not connected, or when the connection ends first. */
  publish(topic: string, payload: Uint8Array, options: PublishOptions = {}): Promise<PublishResult> {
    if (!this.ready || !this.client || !this.inFlight) return Promise.reject(new LinkDownError());
    return this.send(this.client, this.inFlight, topic, payload, options);
  }

  private send(client: MqttClient, inFlight: InFlightPublishes, topic: string, payload: Uint8Array, options: PublishOptions): Promise<PublishResult> {
    const properties: PublishProperties = { ...options.properties };
    if (options.kind) properties.contentType = contentType(options.kind);
    return inFlight.track(topic, (done) => {
      client.publish(topic, bytes(payload), { qos: 1, retain: options.retain ?? false, properties }, (error) => done(error));
    }).then((result) => {
      if (result.ok) this.options.metrics?.published?.();
      else {
        this.log.warn({ topic, reasonCode: result.reasonCode, reason: result.reason }, 'MQTT broker refused a publish');
        this.options.metrics?.publishDenied?.();
      }
      return result;
    });
  }

  /** Publishes the offline state, disconnects cleanly (so the Will is not sent) and stops reconnecting. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    if (!client) return;
    const timeoutMs = this.options.stopTimeoutMs ?? 3000;
    // Also while the online state and birth are still being announced: the
    // online state may already be retained, and a clean DISCONNECT suppresses
    // the Will, so only our own offline state can replace it.
    if (client.connected && this.inFlight) {
      const offline = this.send(client, this.inFlight, this.topics.state, this.options.willPayload(this.bdSeq), { retain: true, kind: 'state' });
      await withTimeout(offline.catch(() => undefined), timeoutMs);
    }
    this.detach(client);
    await withTimeout(new Promise<void>((resolve) => client.end(false, {}, () => resolve())), timeoutMs);
    client.end(true);
    this.log.info({ bdSeq: this.bdSeq }, 'MQTT link stopped');
  }

  private async attempt(): Promise<void> {
    this.retryTimer = null;
    if (!this.running) return;
    let bdSeq: number;
    try {
      bdSeq = await this.options.nextBdSeq();
    } catch (error) {
      this.log.error({ err: error }, 'could not get the next bdSeq; not connecting');
      return this.retry('error', 'bdSeq unavailable');
    }
    if (!this.running) return;
    this.bdSeq = bdSeq;
    const client = mqtt.connect({
      ...this.clientOptions,
      manualConnect: true,
      will: {
        topic: this.topics.state, payload: bytes(this.options.willPayload(bdSeq)), qos: 1, retain: true,
        ...(this.protocolVersion === 5 ? { properties: { contentType: contentType('state') } } : {}),
      },
    });
    const inFlight = new InFlightPublishes();
    let refusal: { code: number; message: string } | null = null;
    let failure = 'connection closed';
    this.client = client;
    this.inFlight = inFlight;
    client.on('connect', () => void this.announce(client, inFlight, bdSeq));
    client.on('message', (topic, payload, packet) => this.command(client, topic, payload, packet));
    client.on('error', (error: Error & { code?: unknown }) => {
      // A numeric code before any CONNACK success is the CONNACK's refusal.
      if (typeof error.code === 'number' && !client.connected) refusal = { code: error.code, message: error.message };
      failure = error.message;
    });
    client.on('disconnect', (packet) => { failure = `broker sent DISCONNECT (reason ${packet.reasonCode ?? 0})`; });
    client.on('close', () => {
      if (this.client !== client) return;
      this.detach(client);
      client.end(true);
      if (!this.running) return;
      if (refusal && isCredentialsRefusal(refusal.code, this.protocolVersion)) return this.retry('credentials', refusal.message, refusal.code);
      this.retry('error', refusal?.message ?? failure, refusal?.code);
    });
    this.log.debug({ bdSeq }, 'MQTT connecting');
    client.connect();
  }

  /** Online state, then birth, then the command subscription; only then is the link `connected`. */
  private async announce(client: MqttClient, inFlight: InFlightPublishes, bdSeq: number): Promise<void> {
    this.backoff.connected();
    try {
      const online = await this.send(client, inFlight, this.topics.state, this.options.onlinePayload(bdSeq), { retain: true, kind: 'state' });
      const birth = await this.send(client, inFlight, this.topics.birth, this.options.birthPayload(bdSeq), { kind: 'birth' });
      const granted = await client.subscribeAsync(this.topics.commands, { qos: 1 });
      if (!online.ok || !birth.ok || granted.some((g) => g.qos >= 0x80)) this.log.warn({ bdSeq }, 'MQTT connected but the broker refused the online state, birth or command subscription; check its ACL');
    } catch {
      return; // the connection ended meanwhile: 'close' handles it
    }
    if (this.client !== client) return;
    this.ready = true;
    this.options.metrics?.connected?.(true);
    this.log.info({ bdSeq, protocolVersion: this.protocolVersion }, 'MQTT connected');
    this.emit('connected', { bdSeq });
  }

  private command(client: MqttClient, topic: string, payload: Buffer, packet: IPublishPacket): void {
    if (this.client !== client || !topic.startsWith(this.topics.commandPrefix)) return;
    const name = topic.slice(this.topics.commandPrefix.length);
    try {
      this.options.onCommand(name, new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength), packet.properties);
    } catch (error) {
      this.log.error({ command: name, err: error }, 'MQTT command handler failed');
    }
  }

  /** Forgets the client: pending publishes reject with LinkDownError, `connected` turns false. */
  private detach(client: MqttClient): void {
    if (this.client !== client) return;
    const wasReady = this.ready;
    this.client = null;
    this.ready = false;
    this.inFlight?.fail(new LinkDownError());
    this.inFlight = null;
    if (wasReady) {
      this.options.metrics?.connected?.(false);
      this.emit('disconnected', { bdSeq: this.bdSeq });
    }
  }

  private retry(kind: FailureKind, reason: string, reasonCode?: number): void {
    const delayMs = this.backoff.nextDelayMs(kind);
    const fields = { reasonCode, reason, retryInMs: delayMs };
    if (kind === 'credentials') this.log.error(fields, 'MQTT broker refused the credentials; retrying later');
    else this.log.warn(fields, 'MQTT connection failed or ended; reconnecting');
    this.options.metrics?.reconnects?.();
    this.emit('retry', { delayMs, kind, reasonCode, reason });
    this.retryTimer = setTimeout(() => void this.attempt(), delayMs);
  }
}
