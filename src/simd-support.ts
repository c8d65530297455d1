// Whether this engine validates WebAssembly SIMD, asked of the engine itself
// with the smallest module that uses a v128 value.

// (module (func (result v128) (v128.const i64x2 0 0)))
const PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, // code section: one body of 20 bytes, no locals
  0xfd, 0x0c, ...new Array<number>(16).fill(0), // v128.const 0
  0x0b, // end
]);

let cached: boolean | undefined;

export function simdSupported(): boolean {
  if (cached === undefined) {
    try {
      cached = WebAssembly.validate(PROBE);
    } catch {
      cached = false;
    }
  }
  return cached;
}
