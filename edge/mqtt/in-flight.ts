// The publishes of one connection waiting for their PUBACK. MQTT.js keeps
// QoS 1 callbacks pending across a dropped socket (to resend them itself);
// we do not resend from its memory, so when the connection ends every
// pending publish is failed here at once and the outbox publishes it again.
import { ReasonCodes } from 'mqtt';

export type PublishResult = { ok: true } | { ok: false; reasonCode: number; reason: string };

/** The link is not connected (or the connection ended before the PUBACK): the message is still in the outbox. */
export class LinkDownError extends Error {
  constructor(message = 'MQTT link is not connected') {
    super(message);
    this.name = 'LinkDownError';
  }
}

type Settle = { resolve: (result: PublishResult) => void; reject: (error: Error) => void };

export class InFlightPublishes {
  private readonly pending = new Set<Settle>();
  private failed: Error | null = null;

  get size(): number {
    return this.pending.size;
  }

  /**
   * Runs `start(done)`, where `done(error)` is MQTT.js's publish callback. A
   * reason code >= 0x80 on the PUBACK gives { ok: false }; any other error
   * (no reason code: the connection closed) rejects with LinkDownError.
   */
  track(topic: string, start: (done: (error?: Error) => void) => void): Promise<PublishResult> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<PublishResult>((resolve, reject) => {
      const settle: Settle = { resolve, reject };
      this.pending.add(settle);
      const done = (error?: Error): void => {
        if (!this.pending.delete(settle)) return; // already failed by fail()
        if (!error) return resolve({ ok: true });
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'number' && code >= 0x80) {
          return resolve({ ok: false, reasonCode: code, reason: (ReasonCodes as Record<number, string>)[code] ?? 'unknown reason' });
        }
        reject(new LinkDownError(`MQTT publish to ${topic} did not complete: ${error.message}`));
      };
      try {
        start(done);
      } catch (error) {
        done(error as Error);
      }
    });
  }

  /** Rejects every pending publish and any later one. */
  fail(error: Error): void {
    this.failed = error;
    for (const settle of this.pending) settle.reject(error);
    this.pending.clear();
  }
}
