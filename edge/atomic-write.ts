// Writes a file so that readers see the old contents or the new ones, never a
// half-written file: write a temporary file beside it, fsync, rename.
import { open, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

export interface AtomicWriteOptions {
  /**
   * Also fsync the directory after the rename, so the new name itself
   * survives a power cut (without it, a crash soon after the rename may bring
   * back the old file). Default false.
   */
  syncDirectory?: boolean;
}

let written = 0;

/** The temporary name a write to `path` uses: `.<name>.<pid>.<time>.<n>.tmp` in the same directory. */
function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.${written++}.tmp`);
}

/** Whether `fileName` (a name in the target's directory) is a temporary file of a write to `targetName`. */
export function isTemporaryOf(fileName: string, targetName: string): boolean {
  return fileName.startsWith(`.${targetName}.`) && fileName.endsWith('.tmp') && /^\d+\.\d+(\.\d+)?$/.test(fileName.slice(targetName.length + 2, -4));
}

export async function writeFileAtomic(path: string, bytes: Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const temporary = temporaryPath(path);
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  if (options.syncDirectory) await syncDirectory(dirname(path));
}

/** fsync a directory, making the names created or renamed in it durable. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
