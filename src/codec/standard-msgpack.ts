// msgpack that any decoder in any language reads: no msgpackr records or
// bundled strings, no extensions for undefined or other JS types, string keys.
// Integers stay integers; other numbers are float64.
// The pure entry: msgpackr's main entry under Node and Deno probes for a native
// addon (and reads the environment), which the core must not need.
import { Packr } from 'msgpackr/pack';

const packr = new Packr({
  useRecords: false,
  structuredClone: false,
  moreTypes: false,
  bundleStrings: false,
  encodeUndefinedAsNil: true,
  mapsAsObjects: true,
  int64AsType: 'number',
});

export function packStandard(value: unknown): Uint8Array {
  const bytes = packr.pack(value);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function unpackStandard(bytes: Uint8Array): unknown {
  return packr.unpack(bytes);
}
