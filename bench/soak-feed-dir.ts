// Soak feeder for `dir:<folder>?after=delete`: each frame is written as a
// camera would, predictions first as a sidecar ('f0000001.jpg.json'), then
// the image under a '.part' name renamed into place. The agent deletes both
// once it has settled the frame, so the files still in the folder are the
// feeder's lead; it waits while `lead` images are there.
import { readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SoakFeeder, SoakFrame } from './soak-feeder.js';

const POLL_MS = 10;

export class DirFeeder implements SoakFeeder {
  readonly source: string;
  readonly stdin = false;
  /** Images written and, as far as the feeder last looked, still in the folder. */
  private waiting = 0;

  constructor(private readonly folder: string, private readonly lead: number) {
    if (!Number.isSafeInteger(lead) || lead < 1) throw new RangeError(`dir feeder lead must be a positive integer, got ${lead}`);
    this.source = `dir:${folder}?after=delete`;
  }

  attach(): void {}

  async send(sequence: number, frame: SoakFrame): Promise<void> {
    // Look at the folder only when the count says the lead is used up.
    while (this.waiting >= this.lead) {
      this.waiting = await this.imagesLeft();
      if (this.waiting >= this.lead) await sleep(POLL_MS);
    }
    const name = `f${String(sequence).padStart(7, '0')}.jpg`;
    await writeFile(join(this.folder, `${name}.json`), JSON.stringify(frame.predictions));
    await writeFile(join(this.folder, `${name}.part`), frame.jpeg);
    await rename(join(this.folder, `${name}.part`), join(this.folder, name));
    this.waiting++;
  }

  async finish(): Promise<void> {
    while ((this.waiting = await this.imagesLeft()) > 0) await sleep(POLL_MS);
  }

  private async imagesLeft(): Promise<number> {
    return (await readdir(this.folder)).filter((name) => name.endsWith('.jpg')).length;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
