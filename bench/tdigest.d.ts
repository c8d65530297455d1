// Types for the parts of the `tdigest` package (plain CommonJS, untyped) that the sketch benchmark uses.
declare module 'tdigest' {
  export class TDigest {
    constructor(delta?: number | false, K?: number, CX?: number);
    push(x: number): void;
    compress(): void;
    percentile(p: number): number;
    toArray(): Array<{ mean: number; n: number }>;
    size(): number;
  }
  const tdigest: { TDigest: typeof TDigest };
  export default tdigest;
}
