// One camera's alert journal: an append-only file of small records
// (journal-format.ts). An append resolves after its write and, when durable,
// its fdatasync, so a record is on disk before anything that depends on it
// happens (the alert's outbox append, its stdout line). Operations run one at
// a time, in call order. A torn last record (a crash mid-append) is dropped
// at open; a file damaged elsewhere is renamed aside, never deleted, and its
// sound records before the damage are still returned.
import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDirectory } from '../atomic-write.js';
import { encodeJournalRecord, journalHeader, JournalCorruptError, JOURNAL_HEADER_BYTES, scanJournal } from './journal-format.js';

export interface OpenedJournal {
  journal: AlertJournal;
  /** The sound records, oldest first. */
  records: unknown[];
  /** Bytes of a torn last record that were cut off (0: none). */
  tornBytes: number;
  /** Set when the file was damaged: where it was moved, and why. */
  setAside: { path: string; message: string } | null;
}

export class AlertJournal {
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(readonly path: string, private readonly handle: FileHandle) {}

  /** Opens (creating) the journal at `path`: its records, with a torn tail cut off and a damaged file set aside. */
  static async open(path: string, options: { now?: () => number } = {}): Promise<OpenedJournal> {
    await mkdir(dirname(path), { recursive: true });
    const bytes = await readOrNull(path);
    let records: unknown[] = [], tornBytes = 0, setAside: OpenedJournal['setAside'] = null;
    if (bytes === null || isHeaderPrefix(bytes)) {
      await create(path);
    } else {
      try {
        const scan = scanJournal(bytes);
        records = scan.records;
        tornBytes = scan.tornBytes;
        if (tornBytes > 0) await cut(path, scan.soundEnd);
      } catch (error) {
        if (!(error instanceof JournalCorruptError)) throw error;
        records = error.records;
        const aside = `${path}.corrupt-${(options.now ?? Date.now)()}`;
        await rename(path, aside);
        await create(path);
        setAside = { path: aside, message: `${path}: ${error.message}` };
      }
    }
    return { journal: new AlertJournal(path, await open(path, 'a')), records, tornBytes, setAside };
  }

  /** Appends one record; with `durable` it is fdatasynced before this resolves (else it survives a SIGKILL, not a power cut). */
  append(value: unknown, options: { durable: boolean }): Promise<void> {
    const bytes = encodeJournalRecord(value);
    return this.queue(async () => {
      await this.handle.write(bytes);
      if (options.durable) await this.handle.datasync();
    });
  }

  /** Drops every record (a checkpoint now covers them), durably. */
  clear(): Promise<void> {
    return this.queue(async () => {
      await this.handle.truncate(JOURNAL_HEADER_BYTES);
      await this.handle.datasync();
    });
  }

  /** Waits for queued operations, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail.catch(() => undefined);
    await this.handle.close();
  }

  private queue(operation: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`the alert journal ${this.path} is closed`));
    const run = this.tail.then(operation, operation);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

async function readOrNull(path: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

// A crash while the file was being created leaves it empty or with part of the header.
function isHeaderPrefix(bytes: Uint8Array): boolean {
  const header = journalHeader();
  return bytes.length < header.length && bytes.every((b, i) => b === header[i]);
}

/** A new journal holding only its header, durable under its name. */
async function create(path: string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.write(journalHeader());
    await handle.sync();
  } finally {
    await handle.close();
  }
  await syncDirectory(dirname(path));
}

/** Cuts a torn last record off, so appends go on after the sound ones. */
async function cut(path: string, length: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(length);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
