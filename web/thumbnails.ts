// Thumbnails of the frames around each alert transition, made in the worker.
// Memory stays bounded however large the folder: the worker keeps only the
// handles (File or URL, not the pixels or bytes) of the last AROUND frames,
// and makes a thumbnail (a small JPEG data URL) only for a frame within AROUND
// frames of a transition: the ones before it from that ring, the ones after it
// as they come. At most MAX_THUMBNAILS are made in one run.
import type { FrameSource } from './messages.js';

/** Frames shown on each side of a transition's frame. */
export const AROUND = 3;
export const THUMB_WIDTH = 160;
export const MAX_THUMBNAILS = 600;

export interface ThumbnailMessage {
  type: 'thumbnail';
  /** The frame's index in the stream (file-name order). */
  frame: number;
  name: string;
  /** data:image/jpeg;base64,... (plain data: a report can inline it). */
  url: string;
  width: number;
  height: number;
}

type Reader = (source: FrameSource) => Promise<Uint8Array>;

function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('cannot read the thumbnail'));
    reader.readAsDataURL(blob);
  });
}

/** A small JPEG of an image file's bytes, scaled to THUMB_WIDTH wide by the browser (decoder and OffscreenCanvas). */
export async function makeThumbnail(bytes: Uint8Array, width = THUMB_WIDTH): Promise<{ url: string; width: number; height: number }> {
  const full = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  const w = Math.max(1, Math.min(width, full.width));
  const h = Math.max(1, Math.round((full.height * w) / full.width));
  full.close();
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { resizeWidth: w, resizeHeight: h, resizeQuality: 'medium' });
  const canvas = new OffscreenCanvas(w, h);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D context for an OffscreenCanvas');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return { url: await dataUrl(await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.75 })), width: w, height: h };
}

export class AlertThumbnails {
  /** The last AROUND frames before the current one: handles only. */
  private readonly recent: Array<{ frame: number; source: FrameSource }> = [];
  private readonly made = new Set<number>();
  /** Frames up to which the frames after a transition still need a thumbnail. */
  private after = -1;

  constructor(private readonly read: Reader, private readonly post: (message: ThumbnailMessage) => void, private readonly around = AROUND) {}

  get count(): number {
    return this.made.size;
  }

  private async thumb(frame: number, source: FrameSource, bytes?: Uint8Array): Promise<void> {
    if (this.made.has(frame) || this.made.size >= MAX_THUMBNAILS) return;
    this.made.add(frame);
    try {
      const t = await makeThumbnail(bytes ?? await this.read(source));
      this.post({ type: 'thumbnail', frame, name: source.name, ...t });
    } catch {
      // A frame the browser cannot decode gets no thumbnail; its error is reported by the pipeline.
    }
  }

  /**
   * After a frame went through the pipeline: `transition` is true when it
   * made an alert transition. Thumbnails the ring's frames and this one on a
   * transition, and this one when it follows a transition closely enough.
   */
  async frameDone(frame: number, source: FrameSource, bytes: Uint8Array | null, transition: boolean): Promise<void> {
    if (transition) {
      for (const r of this.recent) await this.thumb(r.frame, r.source);
      this.after = frame + this.around;
    }
    if (frame <= this.after) await this.thumb(frame, source, bytes ?? undefined);
    this.recent.push({ frame, source });
    if (this.recent.length > this.around) this.recent.shift();
  }
}
