// A subscriber tool's connection: MQTT.js connects (and reconnects and
// resubscribes on its own), every message is decoded and checked
// (decode-message.ts), and the caller gets either a decoded message or the
// topic and the error. Connection trouble is reported once per outage, never
// with credentials.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { maskUrlCredentials } from '../config/mask-secrets.js';
import { decodeMessage, type Received, type ReceivedKind } from './decode-message.js';

export interface SubscriberOptions {
  client: IClientOptions;
  /** Topic filters and their QoS. */
  filters: Record<string, { qos: 0 | 1 }>;
  kinds: readonly ReceivedKind[];
  onMessage(message: Received): void;
  onUndecodable(topic: string, error: unknown): void;
  /** Connection news for stderr: connected, lost, refused. */
  onStatus(line: string): void;
  /** The broker granted the subscriptions (once, after the first connection). */
  onSubscribed?(): void;
  /** The broker refused us for good (bad credentials, not authorized): the tool should stop. */
  onFatal(error: Error): void;
}

// CONNACK codes after which retrying cannot help: bad user name or password, not authorized.
const REFUSALS = new Set([4, 5, 134, 135]);

export class Subscriber {
  private client: MqttClient | undefined;
  private up = false;
  private everConnected = false;
  /** Whether this outage was reported already. */
  private reported = false;

  constructor(private readonly options: SubscriberOptions) {}

  /** Connected to the broker now. */
  get connected(): boolean {
    return this.up;
  }

  start(): void {
    const o = this.options;
    const client = mqtt.connect(o.client);
    this.client = client;
    client.on('connect', () => {
      this.up = true;
      this.reported = false;
      if (this.everConnected) o.onStatus('reconnected to the broker');
      else {
        client.subscribe(o.filters, (error, granted) => {
          if (error) return o.onFatal(new Error(`subscribe failed: ${maskUrlCredentials(error.message)}`));
          const refused = (granted ?? []).filter((g) => g.qos >= 0x80);
          if (refused.length > 0) return o.onFatal(new Error(`the broker refused the subscription to ${refused.map((g) => g.topic).join(', ')} (reason code ${refused[0].qos})`));
          o.onStatus(`subscribed to ${Object.keys(o.filters).join(', ')}`);
          o.onSubscribed?.();
        });
      }
      this.everConnected = true;
    });
    client.on('message', (topic, payload) => {
      let message: Received;
      try {
        message = decodeMessage(topic, new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength), o.kinds);
      } catch (error) {
        o.onUndecodable(topic, error);
        return;
      }
      o.onMessage(message);
    });
    client.on('error', (error: Error & { code?: unknown }) => {
      const code = typeof error.code === 'number' ? error.code : undefined;
      if (code !== undefined && REFUSALS.has(code)) {
        o.onFatal(new Error(`the broker refused the connection: ${maskUrlCredentials(error.message)} (reason code ${code})`));
        return;
      }
      if (this.reported) return;
      this.reported = true;
      o.onStatus(`broker connection: ${maskUrlCredentials(error.message)}; retrying`);
    });
    client.on('offline', () => {
      if (this.up && !this.reported) o.onStatus('lost the broker; reconnecting');
      this.up = false;
      this.reported = true;
    });
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync(true).catch(() => undefined);
  }
}
