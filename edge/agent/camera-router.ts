// The sink every source offers to: one bounded queue per configured camera,
// so a burst on one camera cannot starve another. A frame for a camera the
// agent does not watch is refused and counted, never queued.
import { FrameQueue, type FrameQueueOptions } from '../queue/frame-queue.js';
import type { FrameSink, IncomingFrame } from '../sources/frame-source.js';

export class CameraRouter implements FrameSink {
  readonly queues: ReadonlyMap<string, FrameQueue>;
  private unknown = 0;

  constructor(cameras: readonly string[], options: FrameQueueOptions = {}) {
    this.queues = new Map(cameras.map((camera) => [camera, new FrameQueue(options)]));
  }

  offer(frame: IncomingFrame): boolean {
    const queue = this.queues.get(frame.camera);
    if (!queue) {
      this.unknown++;
      return false;
    }
    return queue.offer(frame);
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
