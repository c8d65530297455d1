// Appends to files and removes files for the file outbox, one batch at a
// time: every write queued while a batch is being made durable joins the next
// batch, and one fdatasync per file covers the whole batch (group commit).
// A promise resolves only after its bytes are fsynced (or its file removed
// and the directory fsynced).
import { open, rm, type FileHandle } from 'node:fs/promises';
import { syncDirectory } from '../atomic-write.js';

type Operation =
  | { kind: 'write'; path: string; bytes: Uint8Array; creates: boolean; done: Settle }
  | { kind: 'remove'; path: string; done: Settle };

interface Settle {
  resolve(): void;
  reject(error: unknown): void;
}

export class GroupCommitWriter {
  private pending: Operation[] = [];
  private draining: Promise<void> | undefined;
  private readonly handles = new Map<string, FileHandle>();
  /** Batches committed so far (each is one round of fsyncs). */
  batches = 0;

  constructor(private readonly directory: string) {}

  /** Appends `bytes` to `path`; `creates` when this write makes the file, so the directory is fsynced too. */
  append(path: string, bytes: Uint8Array, creates = false): Promise<void> {
    return this.enqueue((done) => ({ kind: 'write', path, bytes, creates, done }));
  }

  /** Removes a file after the writes queued before it. */
  remove(path: string): Promise<void> {
    return this.enqueue((done) => ({ kind: 'remove', path, done }));
  }

  /** Waits for queued operations, then closes every file. */
  async close(): Promise<void> {
    while (this.draining) await this.draining;
    const handles = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(handles.map((handle) => handle.close()));
  }

  private enqueue(make: (done: Settle) => Operation): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push(make({ resolve, reject }));
      // setImmediate lets the appends of this turn of the event loop share the first batch.
      this.draining ??= new Promise<void>((start) => setImmediate(start)).then(() => this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      try {
        await this.commit(batch);
        this.batches++;
        for (const operation of batch) operation.done.resolve();
      } catch (error) {
        for (const operation of batch) operation.done.reject(error);
      }
    }
    this.draining = undefined;
  }

  private async commit(batch: Operation[]): Promise<void> {
    const chunks = new Map<string, Uint8Array[]>();
    let directoryChanged = false;
    for (const operation of batch) {
      if (operation.kind !== 'write') continue;
      const list = chunks.get(operation.path) ?? [];
      list.push(operation.bytes);
      chunks.set(operation.path, list);
      directoryChanged ||= operation.creates;
    }
    const touched: FileHandle[] = [];
    for (const [path, list] of chunks) {
      const handle = await this.handle(path);
      const expected = list.reduce((sum, bytes) => sum + bytes.length, 0);
      const { bytesWritten } = await handle.writev(list);
      if (bytesWritten !== expected) throw new Error(`outbox: short write to ${path} (${bytesWritten} of ${expected} bytes)`);
      touched.push(handle);
    }
    await Promise.all(touched.map((handle) => handle.datasync()));
    for (const operation of batch) {
      if (operation.kind !== 'remove') continue;
      await this.handles.get(operation.path)?.close();
      this.handles.delete(operation.path);
      await rm(operation.path, { force: true });
      directoryChanged = true;
    }
    if (directoryChanged) await syncDirectory(this.directory);
  }

  private async handle(path: string): Promise<FileHandle> {
    let handle = this.handles.get(path);
    if (!handle) {
      handle = await open(path, 'a');
      this.handles.set(path, handle);
    }
    return handle;
  }
}
