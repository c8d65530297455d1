// MQTT.js client options from the broker URL, the agent's MQTT settings and
// the environment (docs/mqtt.md). Files (password, CA, client certificate and
// key) are read here, once. No message thrown from here ever holds a password:
// URLs pass through maskUrlCredentials and file errors name only the path.
import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import { maskUrlCredentials } from '../config/mask-secrets.js';

export interface BrokerSettings {
  /** MQTT client id; driftwatch uses the device id (= username = certificate CN). */
  clientId: string;
  username?: string;
  password?: string;
  /** A file holding the password (one trailing newline is ignored). */
  passwordFile?: string;
  /** PEM files for mqtts: the CA that signed the broker's certificate, and this device's certificate and key. */
  ca?: string;
  cert?: string;
  key?: string;
  /** Seconds between PINGREQs when idle; default 30, 1 to 65535. */
  keepaliveS?: number;
  /** Seconds to wait for CONNACK; default 10. */
  connectTimeoutS?: number;
  /** 5 (default) or 4 (MQTT 3.1.1: no reason codes, a denied publish is acknowledged as if delivered). */
  protocolVersion?: 4 | 5;
}

export type MqttEnv = Readonly<Record<string, string | undefined>>;

export const ENV_USERNAME = 'DRIFTWATCH_MQTT_USERNAME';
export const ENV_PASSWORD = 'DRIFTWATCH_MQTT_PASSWORD';
export const ENV_PASSWORD_FILE = 'DRIFTWATCH_MQTT_PASSWORD_FILE';

const DEFAULT_PORTS = { 'mqtt:': 1883, 'mqtts:': 8883 } as const;

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the MQTT ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

function readBytes(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`cannot read the MQTT ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

function passwordFrom(inline: string | undefined, file: string | undefined, where: string): string | undefined {
  if (inline !== undefined && file !== undefined) throw new TypeError(`MQTT ${where}: give a password or a password file, not both`);
  if (file === undefined) return inline;
  const text = readText(file, 'password').replace(/\r?\n$/, '');
  if (text === '') throw new RangeError(`the MQTT password file ${file} is empty`);
  return text;
}

function parseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`MQTT broker URL is not a URL: '${maskUrlCredentials(url)}'`);
  }
  if (parsed.protocol !== 'mqtt:' && parsed.protocol !== 'mqtts:') {
    throw new TypeError(`MQTT broker URL must be mqtt:// or mqtts://, got ${parsed.protocol} in '${maskUrlCredentials(url)}'`);
  }
  if (parsed.hostname === '') throw new TypeError(`MQTT broker URL names no host: '${maskUrlCredentials(url)}'`);
  return parsed;
}

function seconds(value: number | undefined, fallback: number, max: number, what: string): number {
  const s = value ?? fallback;
  if (!Number.isInteger(s) || s < 1 || s > max) throw new RangeError(`MQTT ${what} must be an integer from 1 to ${max} seconds, got ${String(s)}`);
  return s;
}

/**
 * Credentials: settings > environment > URL, for the username and the
 * password separately; at one level an inline password and a password file
 * are exclusive. A password without a username is refused (3.1.1 forbids it).
 */
function credentials(url: URL, settings: BrokerSettings, env: MqttEnv): { username?: string; password?: string } {
  const username = settings.username ?? env[ENV_USERNAME] ?? (url.username !== '' ? decodeURIComponent(url.username) : undefined);
  const password = passwordFrom(settings.password, settings.passwordFile, 'settings')
    ?? passwordFrom(env[ENV_PASSWORD], env[ENV_PASSWORD_FILE], `${ENV_PASSWORD} / ${ENV_PASSWORD_FILE}`)
    ?? (url.password !== '' ? decodeURIComponent(url.password) : undefined);
  if (password !== undefined && username === undefined) throw new TypeError('an MQTT password was given without a username');
  return { username, password };
}

/** Options for `mqtt.connect(options)` (no URL: the password stays out of MQTT.js's URL handling). */
export function brokerOptions(url: string, settings: BrokerSettings, env: MqttEnv = process.env): IClientOptions {
  const parsed = parseUrl(url);
  const protocolVersion = settings.protocolVersion ?? 5;
  if (protocolVersion !== 4 && protocolVersion !== 5) throw new RangeError(`MQTT protocolVersion must be 4 or 5, got ${String(protocolVersion)}`);
  if (settings.clientId === '') throw new TypeError('MQTT client id must not be empty');
  const tls = parsed.protocol === 'mqtts:';
  if (!tls && (settings.ca || settings.cert || settings.key)) throw new TypeError('MQTT TLS files were given for an mqtt:// URL; use mqtts://');
  if ((settings.cert === undefined) !== (settings.key === undefined)) throw new TypeError('MQTT client certificate and key go together: give both or neither');
  const options: IClientOptions = {
    protocol: tls ? 'mqtts' : 'mqtt',
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port !== '' ? Number(parsed.port) : DEFAULT_PORTS[parsed.protocol as keyof typeof DEFAULT_PORTS],
    clientId: settings.clientId,
    protocolVersion,
    clean: true,
    keepalive: seconds(settings.keepaliveS, 30, 65535, 'keepalive'),
    connectTimeout: seconds(settings.connectTimeoutS, 10, 600, 'connect timeout') * 1000,
    // Reconnects are scheduled by MqttLink (backoff.ts); subscriptions are
    // renewed by it after every CONNACK; nothing is queued while offline.
    reconnectPeriod: 0,
    resubscribe: false,
    queueQoSZero: false,
    ...credentials(parsed, settings, env),
  };
  // MQTT 5: Clean Start with session expiry 0, so the broker keeps nothing for us.
  if (protocolVersion === 5) options.properties = { sessionExpiryInterval: 0 };
  if (tls) {
    options.rejectUnauthorized = true;
    if (settings.ca) options.ca = readBytes(settings.ca, 'CA');
    if (settings.cert) options.cert = readBytes(settings.cert, 'certificate');
    if (settings.key) options.key = readBytes(settings.key, 'key');
  }
  return options;
}

/** `host:port` of the broker, for logs (never the credentials). */
export function brokerAddress(options: IClientOptions): string {
  const host = String(options.host).includes(':') ? `[${options.host}]` : String(options.host);
  return `${options.protocol}://${host}:${options.port}`;
}
