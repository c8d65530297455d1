// Stamps every message the agent makes with (dev, bdSeq, seq): bdSeq is the
// epoch (taken at start and at every connection, durable before use), seq
// counts the spooled messages within it (summary, alert, reply, a commanded
// birth), all kinds together, from 1. The key is fixed when the message is
// made and spooled, so a message re-sent after a reconnect or a crash carries
// the same key and consumers drop the copy. A connection's own messages (the
// online state, its birth, the Will) are published directly, and the Will
// perhaps never: they carry seq 0 so they leave no gap in the count.
import { encodeEnvelope, type EnvelopeKind } from '../../src/envelope/envelope.js';

export class EnvelopeStamper {
  private bdSeq: number | null = null;
  private seq = 0;
  /** seq of the latest spooled message in this epoch (0: none yet). */
  get lastSeq(): number { return this.seq; }

  constructor(readonly device: string, private readonly now: () => number = Date.now) {}

  /** Starts a new epoch (after BdSeqStore.next()): seq restarts at 0. */
  startEpoch(bdSeq: number): void {
    if (!Number.isSafeInteger(bdSeq) || bdSeq < 0) throw new RangeError(`bdSeq must be an integer >= 0; got ${String(bdSeq)}`);
    if (this.bdSeq !== null && bdSeq <= this.bdSeq) throw new RangeError(`bdSeq must increase: ${bdSeq} after ${this.bdSeq}`);
    this.bdSeq = bdSeq;
    this.seq = 0;
  }

  get epoch(): number | null { return this.bdSeq; }

  /** The encoded envelope of a new spooled message (seq 1, 2, ...). */
  stamp(kind: EnvelopeKind, camera: string | null, body: unknown): Uint8Array {
    if (this.bdSeq === null) throw new Error('no bdSeq yet: startEpoch() first');
    return encodeEnvelope({ v: 1, dev: this.device, cam: camera, bdSeq: this.bdSeq, seq: ++this.seq, ts: Math.round(this.now()), kind, hist: false, body });
  }

  /** A connection's own message (online or offline state, birth at connect): seq 0 of its epoch. */
  stampConnection(kind: 'state' | 'birth', body: unknown): Uint8Array {
    if (this.bdSeq === null) throw new Error('no bdSeq yet: startEpoch() first');
    return encodeEnvelope({ v: 1, dev: this.device, cam: null, bdSeq: this.bdSeq, seq: 0, ts: Math.round(this.now()), kind, hist: false, body });
  }
}
