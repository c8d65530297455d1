// Where frames come from: picked files, a picked folder, a drop (files or
// folders), or the folder `driftwatch review <dir>` serves. Only File handles
// and URLs are collected; the worker reads each image when its turn comes.
import type { FrameSource } from './messages.js';

export const IMAGE_NAME = /\.(jpe?g|png)$/i;
const BASELINE_NAME = /\.dwb$/i;

export interface Picked {
  frames: FrameSource[];
  baseline: File | null;
  /** The folder's name when a folder was picked or dropped. */
  folder: string | null;
}

/** Frames in file-name order (code-unit order, as Node's sort() in `driftwatch replay`). */
export function byName(frames: FrameSource[]): FrameSource[] {
  return [...frames].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function fromFiles(files: Iterable<File>): Picked {
  const frames: FrameSource[] = [];
  let baseline: File | null = null;
  let folder: string | null = null;
  for (const file of files) {
    const relative = (file as File & { webkitRelativePath?: string }).webkitRelativePath ?? '';
    if (relative.includes('/')) folder ??= relative.slice(0, relative.indexOf('/'));
    if (BASELINE_NAME.test(file.name)) baseline = file;
    else if (IMAGE_NAME.test(file.name)) frames.push({ name: file.name, file });
  }
  return { frames: byName(frames), baseline, folder };
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function directoryEntries(entry: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = entry.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** A drop: its files, and the image files directly inside a dropped folder (like `driftwatch replay <folder>`). */
export async function fromDrop(transfer: DataTransfer): Promise<Picked> {
  const files: File[] = [];
  let folder: string | null = null;
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => Boolean(e));
  if (entries.length === 0) return fromFiles(transfer.files);
  for (const entry of entries) {
    if (entry.isFile) files.push(await entryFile(entry as FileSystemFileEntry));
    else if (entry.isDirectory) {
      folder ??= entry.name;
      for (const child of await directoryEntries(entry as FileSystemDirectoryEntry)) {
        if (child.isFile) files.push(await entryFile(child as FileSystemFileEntry));
      }
    }
  }
  const picked = fromFiles(files);
  return { ...picked, folder: picked.folder ?? folder };
}

/** What `driftwatch review <dir>` lists at frames/index.json. */
export interface ServedFolder {
  camera: string;
  files: string[];
  /** Recorded messages (.msgpack, .jsonl) of the folder. */
  recorded?: string[];
  baseline: boolean;
}

/** The served folder, or null when the page was opened without one. */
export async function servedFolder(): Promise<{ picked: Picked; baselineUrl: string | null; camera: string; recorded: string[] } | null> {
  const response = await fetch('frames/index.json');
  if (!response.ok) return null;
  const listing = await response.json() as ServedFolder;
  const frames = listing.files.map((name) => ({ name, url: `frames/file/${encodeURIComponent(name)}` }));
  const recorded = (listing.recorded ?? []).map((name) => `frames/file/${encodeURIComponent(name)}`);
  return { picked: { frames: byName(frames), baseline: null, folder: listing.camera }, baselineUrl: listing.baseline ? 'frames/baseline.dwb' : null, camera: listing.camera, recorded };
}
