// Expands command-line paths into image files: a folder gives its JPEG and
// PNG files in file-name order; a file is taken as it is.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const IMAGE_NAME = /\.(jpe?g|png)$/i;

export async function expandImagePaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let isDirectory = false;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch {
      // Not there: keep it, so the caller reports it like any unreadable file.
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    const names = (await readdir(path)).filter((name) => IMAGE_NAME.test(name)).sort();
    files.push(...names.map((name) => join(path, name)));
  }
  return files;
}
