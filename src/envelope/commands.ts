// Commands the agent accepts on driftwatch/v1/<device>/cmd/<name>: each a
// standard msgpack map (JSON is not accepted), checked for size before it is
// decoded and field by field after. Pure: a baseline path is not read here.
import { PayloadError, field, readBin, readMap, readString, type Fields } from './payload-error.js';
import { packWire, unpackWire } from './wire.js';

export const COMMAND_NAMES = ['rebaseline', 'reload', 'summary-now', 'rebirth'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export type Command =
  | { name: 'rebaseline'; camera: string; requestId: string | null; baseline: Uint8Array; path: null }
  | { name: 'rebaseline'; camera: string; requestId: string | null; baseline: null; path: string }
  | { name: 'reload'; requestId: string | null }
  | { name: 'summary-now'; camera: string | null; requestId: string | null }
  | { name: 'rebirth'; requestId: string | null };

export type CommandErrorCode = 'too-large' | 'bad-msgpack' | 'unknown-command' | 'bad-field';

export class CommandError extends Error {
  override name = 'CommandError';
  constructor(readonly code: CommandErrorCode, message: string) { super(message); }
}

const isCommandName = (name: unknown): name is CommandName => (COMMAND_NAMES as readonly unknown[]).includes(name);

function optional<T>(m: Fields, key: string, read: (value: unknown, path: string) => T): T | null {
  const value = field(m, key);
  return value === undefined || value === null ? null : read(value, key);
}

const requestIdOf = (m: Fields) => optional(m, 'requestId', (v, p) => readString(v, p, 128));
const cameraOf = (v: unknown, p: string) => readString(v, p, 64);

function fields(name: CommandName, m: Fields): Command {
  const requestId = requestIdOf(m);
  switch (name) {
    case 'rebaseline': {
      const camera = cameraOf(field(m, 'camera'), 'camera');
      const baseline = optional(m, 'baseline', readBin);
      const path = optional(m, 'path', (v, p) => readString(v, p, 4096));
      if ((baseline === null) === (path === null)) {
        throw new PayloadError('payload: rebaseline needs exactly one of baseline (bin: a baseline file\'s bytes) and path (string)');
      }
      if (path !== null && path.length === 0) throw new PayloadError('payload: path must be a non-empty string');
      return baseline !== null ? { name, camera, requestId, baseline, path: null } : { name, camera, requestId, baseline: null, path: path! };
    }
    case 'summary-now': return { name, camera: optional(m, 'camera', cameraOf), requestId };
    case 'reload': case 'rebirth': return { name, requestId };
  }
}

/**
 * One command from its topic's last level and its payload. Checks, in order:
 * the name, the size (before decoding), the msgpack, the fields. An empty
 * payload (0 bytes) stands for an empty map. Throws CommandError only.
 */
export function parseCommand(name: string, bytes: Uint8Array, limits: { maxBytes: number }): Command {
  if (!limits || !Number.isSafeInteger(limits.maxBytes) || limits.maxBytes < 1) {
    throw new TypeError(`limits.maxBytes must be a positive integer; got ${String(limits?.maxBytes)}`);
  }
  if (!isCommandName(name)) {
    throw new CommandError('unknown-command', `command ${JSON.stringify(String(name).slice(0, 64))} is not one of ${COMMAND_NAMES.join(', ')}`);
  }
  if (!(bytes instanceof Uint8Array)) throw new CommandError('bad-msgpack', `${name}: the payload must be bytes`);
  if (bytes.length > limits.maxBytes) {
    throw new CommandError('too-large', `${name}: the payload is ${bytes.length} bytes, over the limit of ${limits.maxBytes}`);
  }
  let decoded: unknown = {};
  if (bytes.length > 0) {
    try { decoded = unpackWire(bytes, name); } catch (error) { throw new CommandError('bad-msgpack', (error as Error).message); }
  }
  try {
    return fields(name, readMap(decoded, 'the payload'));
  } catch (error) {
    if (error instanceof PayloadError) throw new CommandError('bad-field', `${name}: ${error.message.replace(/^payload: /, '')}`);
    throw error;
  }
}

/** A command's payload as the agent expects it (for operators' tools, tests and golden vectors). */
export function encodeCommand(command: Command): Uint8Array {
  if (command === null || typeof command !== 'object' || !isCommandName(command.name)) throw new TypeError('encodeCommand needs a Command');
  const { name, ...rest } = command;
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) if (value !== null && value !== undefined) payload[key] = value;
  const bytes = packWire(payload);
  parseCommand(name, bytes, { maxBytes: Number.MAX_SAFE_INTEGER });
  return bytes;
}
