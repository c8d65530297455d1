// Text that came over MQTT is untrusted: a camera id or a finding could carry
// terminal escape sequences (ESC [ ... m, OSC 8 links, a clear-screen), line
// breaks that forge extra output lines, or bidirectional overrides that make
// a line read differently than it is. These helpers make such text inert
// before it reaches a terminal or a log: each such character is written as a
// visible escape (\x1b, \u202e), everything else is kept as is.

// C0 controls, DEL, C1 controls, line/paragraph separators, bidi embeddings,
// overrides and isolates, and the BOM / zero-width no-break space.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/** `text` with every control or bidi character written as \xNN or \uNNNN. */
export function safeText(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
  });
}

/**
 * A JSON line that is still valid JSON and is inert on a terminal:
 * JSON.stringify escapes C0 controls but leaves DEL, C1 controls (0x9b is a
 * CSI on some terminals) and the bidi characters as they are.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, jsonReplacer).replace(UNSAFE, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}

/** bigint (msgpack int64) as a number when exact, else a decimal string; bytes as base64. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return { base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value instanceof Map) return Object.fromEntries(value);
  return value;
}
