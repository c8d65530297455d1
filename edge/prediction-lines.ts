// Reads a predictions file (one JSON object per line, docs/predictions.md)
// and pairs its records with the images of a folder: by `file` (the image's
// path relative to the folder, or its file name), or, for a record without
// `file`, by position (the n-th non-blank line goes with the n-th image in
// file-name order).
import { readFile } from 'node:fs/promises';
import { basename, relative } from 'node:path';
import { parsePrediction, type PredictionRecord } from '../src/predictions/prediction-record.js';
import type { CommandIO } from './command-io.js';

export interface PredictionEntry {
  /** 1-based line number in the file. */
  line: number;
  /** 0-based position among the non-blank lines. */
  position: number;
  record: PredictionRecord;
}

/** Parses every line; a malformed one is reported with its line number, skipped and counted. */
export async function readPredictionLines(path: string, io: CommandIO): Promise<{ entries: PredictionEntry[]; skipped: number }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    // Like an unreadable --baseline: the command line was right, the file is not (exit 1, not 2).
    throw new Error(`cannot read --predictions ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const entries: PredictionEntry[] = [];
  let skipped = 0, position = 0;
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const at = position++;
    try {
      entries.push({ line: index + 1, position: at, record: parsePrediction(JSON.parse(line)) });
    } catch (error) {
      skipped++;
      io.error(`warning: ${path}:${index + 1}: skipped: ${(error as Error).message}`);
    }
  });
  return { entries, skipped };
}

export interface PairedPredictions {
  /** Per image (the index in `files`), the first record that goes with it. */
  byFrame: Array<PredictionEntry | undefined>;
  /** Records that name no image of the folder, lie past its last image, or repeat an image already paired. */
  unpaired: PredictionEntry[];
}

export function pairPredictions(entries: readonly PredictionEntry[], files: readonly string[], folder: string): PairedPredictions {
  const byPath = new Map<string, number>();
  const byName = new Map<string, number>();
  files.forEach((file, i) => {
    byPath.set(relative(folder, file), i);
    if (!byName.has(basename(file))) byName.set(basename(file), i);
  });
  const byFrame: Array<PredictionEntry | undefined> = new Array(files.length).fill(undefined);
  const unpaired: PredictionEntry[] = [];
  for (const entry of entries) {
    const { file } = entry.record;
    const index = file === undefined ? (entry.position < files.length ? entry.position : undefined) : byPath.get(file) ?? byName.get(basename(file));
    if (index === undefined || byFrame[index] !== undefined) unpaired.push(entry);
    else byFrame[index] = entry;
  }
  return { byFrame, unpaired };
}
