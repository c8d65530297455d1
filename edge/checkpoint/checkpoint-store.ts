// Named checkpoints in a state directory, one file each: `<dir>/<name>.ckpt`.
// A save is atomic (temporary file, fsync, rename, fsync of the directory),
// so the file under the real name is always a whole checkpoint: the old one
// or the new one. A file that fails its checks is renamed aside, never
// deleted, and load says why, so the agent can warn and start fresh.
// One agent per state directory: temporary files left by a crashed write are removed.
import { access, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isTemporaryOf, writeFileAtomic } from '../atomic-write.js';
import { CheckpointFileError, decodeCheckpoint, encodeCheckpoint, type CorruptReason } from './checkpoint-format.js';

export const CHECKPOINT_EXTENSION = '.ckpt';

/** Why a checkpoint was set aside: the file's checks, or a restore that refused its contents. */
export type SetAsideReason = CorruptReason | 'refused';

export type LoadResult =
  | { ok: true; value: unknown; bytes: number }
  | { ok: false; reason: SetAsideReason; message: string; setAsidePath: string };

export interface CheckpointStoreOptions {
  /** Milliseconds since the epoch for the names of set-aside files. Default Date.now. */
  now?: () => number;
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

export class CheckpointStore {
  readonly directory: string;
  private readonly now: () => number;
  /** Names with a save under way, whose temporary files are not stale. */
  private readonly saving = new Set<string>();

  constructor(directory: string, options: CheckpointStoreOptions = {}) {
    if (typeof directory !== 'string' || directory === '') throw new TypeError('directory must be a non-empty path');
    this.directory = directory;
    this.now = options.now ?? Date.now;
  }

  /** A store on `directory`, created if missing. */
  static async open(directory: string, options: CheckpointStoreOptions = {}): Promise<CheckpointStore> {
    const store = new CheckpointStore(directory, options);
    await mkdir(directory, { recursive: true });
    return store;
  }

  /** The file a name is saved in. */
  pathOf(name: string): string {
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new RangeError(`checkpoint name must be 1-100 letters, digits, '_', '.' or '-', not starting with '.' or '-'; got ${JSON.stringify(name)}`);
    }
    return join(this.directory, name + CHECKPOINT_EXTENSION);
  }

  /** Writes `value` (plain data) as `<name>.ckpt` atomically; returns the file's size in bytes. */
  async save(name: string, value: unknown): Promise<number> {
    const path = this.pathOf(name);
    if (this.saving.has(name)) throw new Error(`checkpoint ${name} is already being saved; wait for that save to finish`);
    const bytes = encodeCheckpoint(value);
    this.saving.add(name);
    try {
      await writeFileAtomic(path, bytes, { syncDirectory: true });
    } finally {
      this.saving.delete(name);
    }
    return bytes.length;
  }

  /**
   * The saved value; null when there is none. A file that is not a whole
   * checkpoint is renamed to `<name>.ckpt.corrupt-<ms>` and the result says
   * why. Temporary files of crashed saves are removed first.
   */
  async load(name: string): Promise<LoadResult | null> {
    const path = this.pathOf(name);
    await this.removeStale(name);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      return { ok: true, value: decodeCheckpoint(bytes), bytes: bytes.length };
    } catch (error) {
      if (!(error instanceof CheckpointFileError)) throw error;
      return { ok: false, reason: error.reason, message: `${path}: ${error.message}`, setAsidePath: await this.setAside(name) };
    }
  }

  /**
   * Renames `<name>.ckpt` aside (for a checkpoint whose contents the caller
   * refused, e.g. made against another baseline); returns the new path.
   */
  async setAside(name: string): Promise<string> {
    const path = this.pathOf(name);
    const stamp = `${path}.corrupt-${this.now()}`;
    let aside = stamp;
    // An earlier file set aside in the same millisecond is kept too.
    for (let n = 1; await exists(aside); n++) aside = `${stamp}-${n}`;
    await rename(path, aside);
    return aside;
  }

  /** Removes temporary files of saves of `name` that never finished; returns their names. */
  async removeStale(name: string): Promise<string[]> {
    if (this.saving.has(name)) return [];
    const target = name + CHECKPOINT_EXTENSION;
    const stale = (await readdir(this.directory)).filter((file) => isTemporaryOf(file, target));
    await Promise.all(stale.map((file) => rm(join(this.directory, file), { force: true })));
    return stale;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
