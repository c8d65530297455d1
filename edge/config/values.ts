// The kinds of value an option takes: each parses text (flags, environment)
// or a file's value, and says in its error what it accepts and what it got.
import { isIPv4, isIPv6 } from 'node:net';
import { resolve } from 'node:path';
import { ValueProblem } from './config-error.js';
import { maskUrlCredentials } from './mask-secrets.js';

export interface ValueContext {
  /** The value is text from a flag or variable, not a typed value from a file. */
  text: boolean;
  /** Folder relative paths are resolved against: the config file's, else the working directory. */
  baseDir: string;
}

export interface ValueType<T> {
  /** What the value may be, in words, for errors, --help and the docs. */
  readonly accepts: string;
  parse(raw: unknown, context: ValueContext): T;
  /** The value as an operator would write it. */
  show(value: T): string;
}

export function got(raw: unknown): string {
  if (typeof raw === 'string') return `'${maskUrlCredentials(raw)}'`;
  if (raw === null || raw === undefined) return String(raw);
  if (typeof raw === 'object') return Array.isArray(raw) ? 'a list' : 'a mapping';
  return `${typeof raw} ${String(raw)}`;
}

function fail(accepts: string, raw: unknown, hint = ''): never {
  throw new ValueProblem(`must be ${accepts}, got ${got(raw)}${hint}`);
}

// A file's number must be a number: `"25"` in YAML is a string by choice.
function numeric(raw: unknown, context: ValueContext, accepts: string): number {
  if (typeof raw === 'number') return raw;
  if (context.text && typeof raw === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw.trim())) return Number(raw);
  return fail(accepts, raw);
}

export function integer(min: number, max = Number.MAX_SAFE_INTEGER): ValueType<number> {
  const accepts = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
  return {
    accepts,
    parse(raw, context) {
      const value = numeric(raw, context, accepts);
      if (!Number.isInteger(value) || value < min || value > max) fail(accepts, raw);
      return value;
    },
    show: String,
  };
}

/** A finite number in (low, high]. */
export function positiveNumber(high = Number.MAX_VALUE): ValueType<number> {
  const accepts = high === Number.MAX_VALUE ? 'a number > 0' : `a number in (0, ${high}]`;
  return {
    accepts,
    parse(raw, context) {
      const value = numeric(raw, context, accepts);
      if (!(value > 0 && value <= high) || !Number.isFinite(value)) fail(accepts, raw);
      return value;
    },
    show: String,
  };
}

export function oneOf<T extends string | number>(choices: readonly T[]): ValueType<T> {
  const accepts = `one of ${choices.join(', ')}`;
  return {
    accepts,
    parse(raw, context) {
      const value = typeof choices[0] === 'number' && context.text && typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (!choices.includes(value as T)) fail(accepts, raw);
      return value as T;
    },
    show: String,
  };
}

export const boolean: ValueType<boolean> = {
  accepts: 'true or false',
  parse(raw, context) {
    if (typeof raw === 'boolean') return raw;
    if (context.text && typeof raw === 'string') {
      const word = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(word)) return true;
      if (['false', '0', 'no', 'off'].includes(word)) return false;
    }
    return fail('true or false', raw);
  },
  show: String,
};

function string(raw: unknown, accepts: string): string {
  if (typeof raw === 'string') return raw;
  return fail(accepts, raw, typeof raw === 'number' ? ' (quote it in YAML to keep it a string)' : '');
}

/** Device and camera ids: they become MQTT topic levels, so a safe charset. */
export const identifier: ValueType<string> = {
  accepts: "1 to 64 characters, each a letter, a digit, '_', '.' or '-'",
  parse(raw) {
    const value = string(raw, 'a string');
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(value)) fail("1 to 64 characters, each a letter, a digit, '_', '.' or '-'", raw);
    return value;
  },
  show: String,
};

/** A file or folder; relative paths are resolved against the context's folder. */
export const path: ValueType<string> = {
  accepts: 'a path',
  parse(raw, context) {
    const value = string(raw, 'a path');
    if (value.trim() === '' || value.includes('\0')) fail('a non-empty path', raw);
    return resolve(context.baseDir, value);
  },
  show: String,
};

/** A free label such as a model version: printable, at most 128 characters. */
export const label: ValueType<string> = {
  accepts: 'printable text of 1 to 128 characters',
  parse(raw) {
    const value = string(raw, 'a string');
    if (value.length < 1 || value.length > 128 || /[\u0000-\u001f\u007f]/.test(value)) fail('printable text of 1 to 128 characters', raw);
    return value;
  },
  show: String,
};

/** `null` in a file, or empty text, means "none". */
export function nullable<T>(type: ValueType<T>): ValueType<T | null> {
  return {
    accepts: `${type.accepts}, or none`,
    parse: (raw, context) => (raw === null || (context.text && raw === '') ? null : type.parse(raw, context)),
    show: (value) => (value === null ? 'none' : type.show(value)),
  };
}

const UNITS: Record<string, number> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** Bytes as an integer or with a binary unit: 65536, 64KiB, 64 MiB, 1GiB. */
export function byteSize(min: number): ValueType<number> {
  const accepts = `a size >= ${min} bytes (an integer, or with B, KiB, MiB or GiB)`;
  return {
    accepts,
    parse(raw, context) {
      let bytes: number;
      if (typeof raw === 'number') bytes = raw;
      else if (typeof raw === 'string') {
        const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw.trim());
        const unit = match && UNITS[(match[2] || 'b').toLowerCase()];
        if (!match || !unit || (!context.text && match[2] === '')) fail(accepts, raw);
        bytes = Number(match[1]) * unit;
      } else fail(accepts, raw);
      if (!Number.isSafeInteger(bytes) || bytes < min) fail(accepts, raw);
      return bytes;
    },
    show(bytes) {
      for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
        if (bytes % size === 0) return `${bytes / size}${unit}`;
      }
      return String(bytes);
    },
  };
}

export interface ListenAddress {
  host: string;
  port: number;
}

function validHostname(host: string): boolean {
  if (host.length > 253) return false;
  return host.split('.').every((part) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(part));
}

/** host:port, [ipv6]:port; port 0 asks the system for a free port. */
export const listenAddress: ValueType<ListenAddress> = {
  accepts: 'host:port (an IPv4 address, a host name or [an IPv6 address]; :port alone for all interfaces; port 0 to 65535)',
  parse(raw) {
    const accepts = 'host:port';
    const value = string(raw, accepts);
    const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value.trim());
    if (!match) return fail(accepts, raw);
    // ':9464' is every interface, as the listen server itself reads it.
    const host = match[1] ?? (match[2] || '0.0.0.0');
    const port = Number(match[3]);
    if (port > 65535) throw new ValueProblem(`port must be 0 to 65535, got ${port} in ${got(raw)}`);
    const valid = match[1] !== undefined ? isIPv6(host) : /^[\d.]+$/.test(host) ? isIPv4(host) : validHostname(host);
    if (!valid) throw new ValueProblem(`'${host}' is not an IPv4 address, a host name or a bracketed IPv6 address, in ${got(raw)}`);
    return { host, port };
  },
  show: ({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`,
};

/** An MQTT broker URL; credentials may be in it (formatConfig masks them). */
export const mqttUrl: ValueType<string> = {
  accepts: 'an mqtt:// or mqtts:// URL',
  parse(raw) {
    const value = string(raw, 'an mqtt:// or mqtts:// URL');
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return fail('an mqtt:// or mqtts:// URL', raw);
    }
    if (url.protocol !== 'mqtt:' && url.protocol !== 'mqtts:') throw new ValueProblem(`must be an mqtt:// or mqtts:// URL, got scheme ${url.protocol}`);
    if (url.hostname === '') throw new ValueProblem('must name a broker host (mqtt://host:1883)');
    return value;
  },
  show: String,
};
