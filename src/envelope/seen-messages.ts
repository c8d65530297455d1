// Which (dev, bdSeq, seq) a collector has already taken, in bounded memory.
// Per (dev, bdSeq): a high-water mark `next` (every seq below it was seen)
// and the seqs seen above it (out of order), at most MAX_PENDING of them; per
// device the MAX_CONNECTIONS most recent bdSeqs. What falls outside is
// treated as seen (refused): see docs/payload.md, "Deduplication".

export const MAX_PENDING = 1024;
export const MAX_CONNECTIONS = 16;

class Connection {
  next = 0;
  pending = new Set<number>();

  /** True the first time seq is offered. */
  take(seq: number): boolean {
    if (seq < this.next || this.pending.has(seq)) return false;
    this.pending.add(seq);
    this.advance();
    if (this.pending.size > MAX_PENDING) {
      // Give up waiting for the gap below the oldest pending seq: a seq from it that arrives later counts as seen.
      this.next = Math.min(...this.pending);
      this.advance();
    }
    return true;
  }

  private advance(): void {
    while (this.pending.delete(this.next)) this.next++;
  }
}

export class SeenMessages {
  private devices = new Map<string, Map<number, Connection>>();

  /** True when (dev, bdSeq, seq) is new (and records it); false for a repeat or a forgotten connection. */
  take(dev: string, bdSeq: number, seq: number): boolean {
    let connections = this.devices.get(dev);
    if (!connections) this.devices.set(dev, connections = new Map());
    let connection = connections.get(bdSeq);
    if (!connection) {
      if (connections.size >= MAX_CONNECTIONS) {
        const oldest = Math.min(...connections.keys());
        if (bdSeq < oldest) return false;
        connections.delete(oldest);
      }
      connections.set(bdSeq, connection = new Connection());
    }
    return connection.take(seq);
  }

  /** Would take() accept it? (Changes nothing.) */
  has(dev: string, bdSeq: number, seq: number): boolean {
    const connections = this.devices.get(dev);
    const connection = connections?.get(bdSeq);
    if (!connection) return connections !== undefined && connections.size >= MAX_CONNECTIONS && bdSeq < Math.min(...connections.keys());
    return seq < connection.next || connection.pending.has(seq);
  }
}
