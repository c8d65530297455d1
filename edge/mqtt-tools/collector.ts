// What `driftwatch collect` keeps: a FleetView of the summaries it took
// (deduplicated on (dev, bdSeq, seq)), per camera the frames counted and the
// alert state of its latest summary, and counts of what arrived.
import type { Envelope } from '../../src/envelope/envelope.js';
import { FleetView } from '../../src/envelope/fleet.js';
import type { SummaryBody } from '../../src/envelope/summary.js';

export interface CollectorCounts {
  /** Messages that arrived on the subscription. */
  received: number;
  /** Distinct summaries merged into the fleet view. */
  accepted: number;
  /** Summaries whose (dev, bdSeq, seq) this collector had taken already. */
  duplicates: number;
  /** Messages that were not a valid summary (reported on stderr). */
  undecodable: number;
}

export interface CameraState {
  frames: number;
  /** The alert state and id of the camera's latest summary (by envelope ts). */
  alert: { state: string; id: string | null };
  lastTs: number;
}

export class Collector {
  readonly fleet = new FleetView();
  readonly counts: CollectorCounts = { received: 0, accepted: 0, duplicates: 0, undecodable: 0 };
  readonly cameras = new Map<string, CameraState>();

  summary(envelope: Envelope<SummaryBody>): 'accepted' | 'duplicate' {
    this.counts.received += 1;
    if (!this.fleet.add(envelope)) {
      this.counts.duplicates += 1;
      return 'duplicate';
    }
    this.counts.accepted += 1;
    const key = `${envelope.dev}/${envelope.body.camera}`;
    const camera = this.cameras.get(key) ?? { frames: 0, alert: { state: 'ok', id: null }, lastTs: -Infinity };
    camera.frames += envelope.body.frames.count;
    if (envelope.ts >= camera.lastTs) {
      camera.lastTs = envelope.ts;
      camera.alert = { ...envelope.body.alert };
    }
    this.cameras.set(key, camera);
    return 'accepted';
  }

  undecodable(): void {
    this.counts.received += 1;
    this.counts.undecodable += 1;
  }

  /** GET /fleet: the counts, each camera's frames and alert, and the fleet view per camera, model and site. */
  toJSON(group: string): Record<string, unknown> {
    const cameras: Record<string, Omit<CameraState, 'lastTs'>> = {};
    for (const [key, { frames, alert }] of this.cameras) cameras[key] = { frames, alert };
    return { group, counts: { ...this.counts }, cameras, ...this.fleet.toJSON() };
  }
}
