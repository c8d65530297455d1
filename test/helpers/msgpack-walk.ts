// A minimal msgpack structure walker, independent of every msgpack library:
// it lists the type of each value and fails on extension types and on map
// keys that are not strings. Used to check that golden vectors use only the
// standard types every decoder reads the same way.

export interface WalkReport { types: Set<string>; values: number }

export function walkMsgpack(bytes: Uint8Array): WalkReport {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const report: WalkReport = { types: new Set(), values: 0 };
  let at = 0;
  const need = (n: number) => { if (at + n > bytes.length) throw new Error(`truncated at byte ${at}`); };
  const u8 = () => { need(1); return bytes[at++]; };
  const u16 = () => { need(2); const v = view.getUint16(at); at += 2; return v; };
  const u32 = () => { need(4); const v = view.getUint32(at); at += 4; return v; };
  const skip = (n: number) => { need(n); at += n; };
  const value = (asKey: boolean): void => {
    const start = at, b = u8();
    report.values++;
    let type: string;
    if (b <= 0x7f || b >= 0xe0) type = 'int';
    else if (b >= 0xa0 && b <= 0xbf) { type = 'str'; skip(b & 0x1f); }
    else if (b >= 0x80 && b <= 0x8f) { type = 'map'; for (let i = 0; i < (b & 0x0f); i++) { value(true); value(false); } }
    else if (b >= 0x90 && b <= 0x9f) { type = 'array'; for (let i = 0; i < (b & 0x0f); i++) value(false); }
    else {
      switch (b) {
        case 0xc0: type = 'nil'; break;
        case 0xc2: case 0xc3: type = 'bool'; break;
        case 0xc4: type = 'bin'; skip(u8()); break;
        case 0xc5: type = 'bin'; skip(u16()); break;
        case 0xc6: type = 'bin'; skip(u32()); break;
        case 0xca: type = 'float32'; skip(4); break;
        case 0xcb: type = 'float64'; skip(8); break;
        case 0xcc: case 0xd0: type = 'int'; skip(1); break;
        case 0xcd: case 0xd1: type = 'int'; skip(2); break;
        case 0xce: case 0xd2: type = 'int'; skip(4); break;
        case 0xcf: case 0xd3: type = 'int'; skip(8); break;
        case 0xd9: type = 'str'; skip(u8()); break;
        case 0xda: type = 'str'; skip(u16()); break;
        case 0xdb: type = 'str'; skip(u32()); break;
        case 0xdc: { type = 'array'; const n = u16(); for (let i = 0; i < n; i++) value(false); break; }
        case 0xdd: { type = 'array'; const n = u32(); for (let i = 0; i < n; i++) value(false); break; }
        case 0xde: { type = 'map'; const n = u16(); for (let i = 0; i < n; i++) { value(true); value(false); } break; }
        case 0xdf: { type = 'map'; const n = u32(); for (let i = 0; i < n; i++) { value(true); value(false); } break; }
        default: throw new Error(`byte ${start}: type 0x${b.toString(16)} (an extension or reserved type) is not standard data`);
      }
    }
    if (asKey && type !== 'str') throw new Error(`byte ${start}: map key of type ${type}; only string keys are allowed`);
    report.types.add(type);
  };
  value(false);
  if (at !== bytes.length) throw new Error(`${bytes.length - at} trailing bytes after the value`);
  return report;
}

/** A decoded value with every byte array as { $bin: hex }: comparable with deep equality and JSON. */
export function plainOf(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bin: Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('') };
  if (Array.isArray(value)) return value.map(plainOf);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainOf(v)]));
  }
  return value;
}
