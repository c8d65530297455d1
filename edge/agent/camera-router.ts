// The sink every source offers to: one bounded queue per configured camera,
// so a burst on one camera cannot starve another. A frame for a camera the
// agent does not watch is refused and counted, never queued.
import { FrameQueue, type FrameQueueOptions } from '../queue/frame-queue.js';
import type { FrameSink, IncomingFrame } from '../sources/frame-source.js';

export class CameraRouter implements FrameSink {
  readonly queues: ReadonlyMap<string, FrameQueue>;
  private unknown = 0;

  /** `onDrop` hears of every refused frame: its camera (null when not configured) and whether the queue was full or closed. */
  constructor(cameras: readonly string[], options: FrameQueueOptions = {}, private readonly onDrop?: (camera: string | null, reason: 'queue_full' | 'closed') => void) {
    this.queues = new Map(cameras.map((camera) => [camera, new FrameQueue(options)]));
  }

  offer(frame: IncomingFrame): boolean {
    const queue = this.queues.get(frame.camera);
    if (!queue) {
      this.unknown++;
      this.onDrop?.(null, 'queue_full');
      return false;
    }
    const accepted = queue.offer(frame);
    if (!accepted) this.onDrop?.(frame.camera, queue.isClosed ? 'closed' : 'queue_full');
    return accepted;
  }

  refuseIfFull(camera: string): boolean {
    const queue = this.queues.get(camera);
    if (!queue) {
      this.unknown++;
      this.onDrop?.(null, 'queue_full');
      return true;
    }
    if (!queue.isFull) return false;
    this.onDrop?.(camera, queue.isClosed ? 'closed' : 'queue_full');
    return true;
  }

  /** FrameSink.countRefused: a frame the source did not make, counted as if offered to a full queue. */
  countRefused(camera: string): void {
    const queue = this.queues.get(camera);
    if (!queue) {
      this.unknown++;
      this.onDrop?.(null, 'queue_full');
      return;
    }
    queue.refuse();
    this.onDrop?.(camera, queue.isClosed ? 'closed' : 'queue_full');
  }

  /** Frames refused because no configured camera has their id. */
  get unknownCamera(): number { return this.unknown; }

  queue(camera: string): FrameQueue {
    const queue = this.queues.get(camera);
    if (!queue) throw new RangeError(`no queue for camera '${camera}'`);
    return queue;
  }

  close(): void {
    for (const queue of this.queues.values()) queue.close();
  }
}
