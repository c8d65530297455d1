// What a log line may carry: passwords in URLs masked, values under secret
// names (password, token, key, authorization, ...) replaced, and payloads
// (image bytes, request bodies, prediction records) left out.
import { maskUrlCredentials } from '../config/mask-secrets.js';

export const REDACTED = '[redacted]';

const SECRET_NAME = /^(key|auth|authorization|proxy-authorization|cookie|set-cookie|credentials?)$|password|passwd|secret|token|api[-_]?key|private[-_]?key/i;
const PAYLOAD_NAME = /^(body|raw[-_]?body|payload|image|frame[-_]?bytes|bytes|prediction|predictions)$/i;
const MAX_DEPTH = 6;
const MAX_ITEMS = 50;

function binarySize(value: unknown): number | null {
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  return null;
}

function errorFields(error: Error, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const fields: Record<string, unknown> = { type: error.name, message: maskUrlCredentials(error.message) };
  if (error.stack) fields.stack = maskUrlCredentials(error.stack);
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) fields.code = redactForLog(code, seen, depth + 1);
  if (error.cause !== undefined) fields.cause = redactForLog(error.cause, seen, depth + 1);
  return fields;
}

/** A copy of `value` that is safe to log. */
export function redactForLog(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (typeof value === 'string') return maskUrlCredentials(value);
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  const bytes = binarySize(value);
  if (bytes !== null) return `[binary: ${bytes} bytes]`;
  if (value instanceof URL) return maskUrlCredentials(value.href);
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  try {
    if (value instanceof Error) return errorFields(value, seen, depth);
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_ITEMS).map((item) => redactForLog(item, seen, depth + 1));
      if (value.length > MAX_ITEMS) items.push(`[${value.length - MAX_ITEMS} more]`);
      return items;
    }
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if (SECRET_NAME.test(key)) copy[key] = field === null || field === undefined ? field : REDACTED;
      // A payload's size or flag is useful; its contents are not logged.
      else if (PAYLOAD_NAME.test(key) && typeof field !== 'number' && typeof field !== 'boolean') copy[key] = field === null || field === undefined ? field : '[omitted payload]';
      else copy[key] = redactForLog(field, seen, depth + 1);
    }
    return copy;
  } finally {
    seen.delete(value);
  }
}
