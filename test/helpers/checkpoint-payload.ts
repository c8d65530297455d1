// What the checkpoint child process saves, so the test can check every number it reads back.

/** The payload of save number `seq`: 100,000 numbers, about 900 kB of msgpack. */
export function loopPayload(seq: number): number[] {
  return Array.from({ length: 100_000 }, (_, i) => seq * 1e6 + i + 0.5);
}
