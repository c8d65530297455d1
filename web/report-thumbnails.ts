// The page's "Frames around each alert transition" panel: one block per
// transition (frame, state, file) with the thumbnails the worker made of the
// frames AROUND it, each captioned with its frame index and file name (text).
import { AROUND, type ThumbnailMessage } from './thumbnails.js';
import type { AlertRow } from './messages.js';

interface Block { alert: AlertRow; strip: HTMLDivElement }

export class ThumbnailPanel {
  private readonly thumbs = new Map<number, ThumbnailMessage>();
  private readonly blocks: Block[] = [];

  constructor(private readonly target: HTMLElement, private readonly nameOf: (frame: number) => string) {}

  clear(): void {
    this.thumbs.clear();
    this.blocks.length = 0;
    this.target.replaceChildren();
  }

  /** Thumbnails by frame, for the report. */
  get all(): ReadonlyMap<number, ThumbnailMessage> {
    return this.thumbs;
  }

  addAlert(alert: AlertRow): void {
    const block = document.createElement('div');
    block.className = `alert-frames ${alert.state}`;
    const title = document.createElement('h3');
    title.textContent = `frame ${alert.frame} · ${alert.causeRevised ? 'firing (cause revised)' : alert.state} · ${alert.cause} · ${this.nameOf(alert.frame)}`;
    const strip = document.createElement('div');
    strip.className = 'thumb-strip';
    block.append(title, strip);
    this.target.append(block);
    const entry = { alert, strip };
    this.blocks.push(entry);
    this.render(entry);
  }

  addThumbnail(thumb: ThumbnailMessage): void {
    this.thumbs.set(thumb.frame, thumb);
    for (const block of this.blocks) if (Math.abs(block.alert.frame - thumb.frame) <= AROUND) this.render(block);
  }

  private render({ alert, strip }: Block): void {
    strip.replaceChildren();
    for (let frame = alert.frame - AROUND; frame <= alert.frame + AROUND; frame++) {
      const thumb = this.thumbs.get(frame);
      if (!thumb) continue;
      const figure = document.createElement('figure');
      if (frame === alert.frame) figure.className = 'at-transition';
      const img = document.createElement('img');
      img.src = thumb.url; // a data: URL the worker made
      img.width = thumb.width;
      img.height = thumb.height;
      img.alt = `frame ${frame}`;
      const caption = document.createElement('figcaption');
      caption.textContent = `${frame} · ${thumb.name}`;
      figure.append(img, caption);
      strip.append(figure);
    }
  }
}
