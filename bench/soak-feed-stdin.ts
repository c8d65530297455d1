// Soak feeder for `stdin:frames`: length-prefixed records on the agent's
// stdin, paced by the pipe (the stdin source keeps at most 8 frames in flight).
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { encodeFrameRecord } from '../edge/sources/stdin-records.js';
import type { SoakFeeder, SoakFrame } from './soak-feeder.js';

export class StdinFeeder implements SoakFeeder {
  readonly source = 'stdin:frames';
  readonly stdin = true;
  private pipe: Writable | undefined;
  /** Records encoded once per distinct frame, not once per send. */
  private readonly records = new Map<SoakFrame, Buffer>();

  attach(target: { stdin: NodeJS.WritableStream | null }): void {
    if (!target.stdin) throw new Error('the stdin feeder needs the agent stdin as a pipe');
    this.pipe = target.stdin as Writable;
  }

  async send(_sequence: number, frame: SoakFrame): Promise<void> {
    let record = this.records.get(frame);
    if (!record) this.records.set(frame, record = encodeFrameRecord(frame.jpeg, { predictions: frame.predictions }));
    if (!this.pipe!.write(record)) await once(this.pipe!, 'drain');
  }

  async finish(): Promise<void> {
    this.pipe!.end();
  }
}
