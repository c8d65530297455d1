// The broker flags `watch` and `collect` share, and the MQTT.js options they
// make (through edge/mqtt/broker-options.ts: credentials from the URL or
// DRIFTWATCH_MQTT_USERNAME / DRIFTWATCH_MQTT_PASSWORD, TLS files, MQTT 5).
// Unlike the agent, these tools let MQTT.js reconnect and resubscribe on its
// own: they hold no outbox and have nothing to replay.
import { randomBytes } from 'node:crypto';
import type { IClientOptions } from 'mqtt';
import { brokerOptions, type MqttEnv } from '../mqtt/broker-options.js';
import { maskUrlCredentials } from '../config/mask-secrets.js';
import { UsageError } from '../command-io.js';

export const connectionFlags = {
  mqtt: { type: 'string' },
  'mqtt-ca': { type: 'string' },
  'mqtt-cert': { type: 'string' },
  'mqtt-key': { type: 'string' },
  'mqtt-protocol': { type: 'string' },
} as const;

export interface ConnectionValues {
  mqtt?: string;
  'mqtt-ca'?: string;
  'mqtt-cert'?: string;
  'mqtt-key'?: string;
  'mqtt-protocol'?: string;
}

export const connectionHelp = `Broker:
  --mqtt <url>        mqtt://host:1883 or mqtts://host:8883; required. user:password@
                      in the URL is allowed (never printed); DRIFTWATCH_MQTT_USERNAME
                      and DRIFTWATCH_MQTT_PASSWORD (or _PASSWORD_FILE) override it
  --mqtt-ca <file>    PEM CA of the broker's certificate (mqtts://; default: system CAs)
  --mqtt-cert <file>  PEM client certificate (mqtts://, with --mqtt-key)
  --mqtt-key <file>   PEM key of the client certificate
  --mqtt-protocol <5|4>  MQTT 5 (default) or 4 (3.1.1, for brokers without MQTT 5;
                      shared subscriptions then depend on the broker)`;

/** Milliseconds between reconnect attempts after the connection is lost. */
export const RECONNECT_MS = 2000;
/**
 * MQTT 5 Maximum Packet Size asked of the broker: it does not send us larger
 * messages (a summary of the whole catalogue is ~10 KB; docs/payload.md).
 */
export const MAX_PACKET_BYTES = 1024 * 1024;

export function protocolOption(text: string | undefined): 4 | 5 {
  if (text === undefined || text === '5') return 5;
  if (text === '4') return 4;
  throw new UsageError(`--mqtt-protocol must be 5 or 4, got '${text}'`);
}

/** A fresh client id: `<tool>-<8 hex digits>` (two watchers must not take each other's session). */
export function toolClientId(tool: string): string {
  return `driftwatch-${tool}-${randomBytes(4).toString('hex')}`;
}

/** MQTT.js options for a subscriber tool; bad values are UsageErrors naming the flag. */
export function connectionOptions(values: ConnectionValues, tool: string, env: MqttEnv): { options: IClientOptions; broker: string } {
  if (!values.mqtt) throw new UsageError('give the broker: --mqtt <url> (mqtt://host:1883)');
  let options: IClientOptions;
  try {
    options = brokerOptions(values.mqtt, {
      clientId: toolClientId(tool),
      ca: values['mqtt-ca'], cert: values['mqtt-cert'], key: values['mqtt-key'],
      protocolVersion: protocolOption(values['mqtt-protocol']),
    }, env);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // Messages from broker-options never hold a password; mask again anyway.
    const message = maskUrlCredentials((error as Error).message);
    if (error instanceof TypeError || error instanceof RangeError) throw new UsageError(`--mqtt: ${message}`);
    throw new Error(message);
  }
  if (options.protocolVersion === 5) options.properties = { ...options.properties, maximumPacketSize: MAX_PACKET_BYTES };
  return {
    options: { ...options, reconnectPeriod: RECONNECT_MS, resubscribe: true },
    broker: maskUrlCredentials(values.mqtt),
  };
}
