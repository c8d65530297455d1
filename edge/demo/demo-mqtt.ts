// The demo's MQTT side: the broker (the one configured with --mqtt or
// DRIFTWATCH_MQTT_URL, MQTT 5; else an embedded aedes broker, MQTT 3.1.1) and
// an in-process watcher that prints what arrives there as `[mqtt] …` lines,
// as `driftwatch watch` would. The agent publishes to the same broker: the
// demo passes the arguments in agentArgs to `driftwatch run`.
import type { CommandIO } from '../command-io.js';
import { connectionOptions } from '../mqtt-tools/connection-flags.js';
import { undecodableLine } from '../mqtt-tools/decode-message.js';
import { Subscriber } from '../mqtt-tools/subscriber.js';
import { watchFilters, watchKinds } from '../mqtt-tools/watch-filters.js';
import { humanLine, jsonLine } from '../mqtt-tools/watch-lines.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';

export interface DemoMqttOptions {
  /** The demo agent's device id: the watcher shows only its messages. */
  device: string;
  /** The broker to use; undefined: start an embedded one. */
  url?: string;
  env: Readonly<Record<string, string | undefined>>;
  /** JSON lines (--json) instead of readable ones. */
  json: boolean;
  /** Where the watcher's lines go. */
  print(line: string): void;
  /** Status and problems (stderr). */
  io: CommandIO;
}

export interface DemoMqtt {
  /** For `driftwatch run`: --mqtt <url> [--mqtt-protocol 4]. */
  agentArgs: string[];
  /** The broker's address for people, credentials masked. */
  broker: string;
  embedded: EmbeddedBroker | undefined;
  /** Resolves once the watcher's subscriptions are granted. */
  subscribed: Promise<void>;
  /**
   * Waits until the agent's own offline state arrives (it publishes it after
   * draining its outbox, so every alert it sent came before it), at most `ms`.
   * Returns at once when the watcher never saw the agent online: then nothing
   * is on its way.
   */
  drained(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startDemoMqtt(options: DemoMqttOptions): Promise<DemoMqtt> {
  const embedded = options.url === undefined ? await startEmbeddedBroker() : undefined;
  const url = embedded?.url ?? options.url!;
  const protocol = embedded ? '4' : '5';
  let subscriber: Subscriber | undefined;
  try {
    const { options: client, broker } = connectionOptions({ mqtt: url, 'mqtt-protocol': protocol }, 'demo-watch', options.env);
    let subscribedNow: () => void = () => undefined;
    const subscribed = new Promise<void>((resolve) => { subscribedNow = resolve; });
    const selection = { device: options.device, camera: undefined, birth: false };
    // A retained offline state from an earlier run arrives before this agent's online one and does not count.
    let onlineSeen = false;
    let offlineNow: () => void = () => undefined;
    const offline = new Promise<void>((resolve) => { offlineNow = resolve; });
    subscriber = new Subscriber({
      client, filters: watchFilters(selection), kinds: watchKinds(selection),
      onMessage: (message) => {
        options.print(`[mqtt] ${options.json ? jsonLine(message) : humanLine(message)}`);
        if (message.kind !== 'state') return;
        if (message.body.online) onlineSeen = true;
        else if (onlineSeen) offlineNow();
      },
      onUndecodable: (topic, error) => options.io.error(`[mqtt] ${undecodableLine(topic, error)}`),
      onStatus: (line) => options.io.error(`[mqtt] ${line}`),
      onFatal: (error) => options.io.error(`[mqtt] ${error.message}; the demo goes on without the MQTT view`),
      onSubscribed: () => subscribedNow(),
    });
    subscriber.start();
    const started = subscriber;
    return {
      agentArgs: ['--mqtt', url, ...(embedded ? ['--mqtt-protocol', '4'] : [])],
      broker: embedded ? `${broker} (embedded aedes broker, MQTT 3.1.1)` : broker,
      embedded,
      subscribed,
      drained: async (ms) => {
        if (!onlineSeen) return;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([offline, new Promise((resolve) => { timer = setTimeout(resolve, ms); })]);
        clearTimeout(timer);
      },
      stop: async () => {
        await started.stop();
        await embedded?.close();
      },
    };
  } catch (error) {
    await subscriber?.stop();
    await embedded?.close();
    throw error;
  }
}
