// The dir: source: a folder that cameras write frames into. New .jpg, .jpeg
// and .png files are taken once complete, in file-name order (a complete
// file waits while an earlier-named one is not); dotfiles and *.tmp / *.part
// are ignored. "Complete" means the size and modification time stayed the
// same across two scans at least stableMs apart, which covers write-in-place
// as well as write-then-rename. fs.watch triggers
// scans quickly where it works; a poll timer catches what it misses. The
// folder is listed (and the names sorted) once per batch: while a backlog
// is drained, the frame after a settled one comes from the last listing,
// which is taken again only when it is used up, on each poll, or when the
// folder changed and the listing is older than the poll interval. A
// backlog of thousands of files thus costs one listing a second, not one a
// frame.
// Predictions may come in a sidecar JSON file: 'f001.jpg.json', or else
// 'f001.json'. Once the agent settles a frame, the file (and its sidecar) is
// kept (and remembered), deleted or moved, per the spec's after=.
import { watch, type FSWatcher } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SourceError, type FrameSink, type FrameSource, type SettleOutcome, type SourceErrorHandler } from './frame-source.js';
import type { AfterPolicy } from './source-spec.js';
import { isCameraId } from './camera-id.js';
import { InFlightGate } from './in-flight-gate.js';
import { SourceCounters } from './source-counters.js';

export interface DirSourceOptions {
  path: string;
  after: AfterPolicy;
  camera: string;
  /** Time between polls. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Scan by itself (watcher, poll timer, follow-ups). Default true; false: only scan() looks (for tests and tools). */
  autoScan?: boolean;
  /** How long a file's size and mtime must stay unchanged before it is read. Default 250 ms. */
  stableMs?: number;
  /** Use fs.watch as well as polling. Default true. */
  watch?: boolean;
  /** Larger files are not read; they are reported and settled as rejected. Default 16 MiB. */
  maxImageBytes?: number;
  /** Largest sidecar JSON. Default 1 MiB. */
  maxSidecarBytes?: number;
  /** Frames handed to the agent and not yet settled. Default 8. */
  maxInFlight?: number;
  onError?: SourceErrorHandler;
}

interface Observation {
  size: number;
  mtimeMs: number;
  /** performance.now() when this size and mtime were first seen. */
  since: number;
}

const IMAGE_NAME = /\.(jpe?g|png)$/i;
const TEMPORARY_NAME = /\.(tmp|part)$/i;

export function isFrameFileName(name: string): boolean {
  return !name.startsWith('.') && IMAGE_NAME.test(name) && !TEMPORARY_NAME.test(name);
}

export class DirSource implements FrameSource {
  readonly kind = 'dir';
  readonly counters: SourceCounters;
  readonly path: string;
  private readonly after: AfterPolicy;
  private readonly pollIntervalMs: number;
  private readonly autoScan: boolean;
  private readonly stableMs: number;
  private readonly maxImageBytes: number;
  private readonly maxSidecarBytes: number;
  private readonly gate: InFlightGate;
  /** Size and mtime last seen, per candidate file not yet taken. */
  private readonly observed = new Map<string, Observation>();
  /** Handed to the agent, not yet settled. */
  private readonly inFlight = new Set<string>();
  /** Settled or given up on; forgotten once the file leaves the folder. */
  private readonly done = new Set<string>();
  private sink: FrameSink | undefined;
  private active = false;
  private watcher: FSWatcher | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private followUp: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private rescan = false;
  private rescanLists = false;
  private lastListError = '';
  /** The candidates of the last listing, in name order, not yet taken. */
  private batch: string[] = [];
  private listedAtMs = -Infinity;
  /** The watcher saw a change since the last listing. */
  private changed = false;
  /** Times the folder was listed (for tests: a backlog is drained without listing per frame). */
  listings = 0;

  constructor(private readonly options: DirSourceOptions) {
    if (!isCameraId(options.camera)) throw new RangeError(`dir source camera id ${JSON.stringify(options.camera)} is not valid`);
    this.path = resolve(options.path);
    this.after = options.after.mode === 'move' ? { mode: 'move', to: resolve(options.after.to) } : options.after;
    if (this.after.mode === 'move' && this.after.to === this.path) throw new RangeError(`dir source ${this.path}: after=move: must name another folder`);
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    if (!(this.pollIntervalMs > 0)) throw new RangeError(`dir source pollIntervalMs must be positive, got ${this.pollIntervalMs}`);
    this.autoScan = options.autoScan ?? true;
    this.stableMs = options.stableMs ?? 250;
    this.maxImageBytes = options.maxImageBytes ?? 16 * 1024 * 1024;
    this.maxSidecarBytes = options.maxSidecarBytes ?? 1024 * 1024;
    this.gate = new InFlightGate(options.maxInFlight ?? 8);
    this.counters = new SourceCounters(options.onError);
  }

  get running(): boolean {
    return this.active;
  }

  async start(sink: FrameSink): Promise<void> {
    if (this.active) return;
    await this.checkFolder(this.path, 'the watched folder');
    if (this.after.mode === 'move') {
      await mkdir(this.after.to, { recursive: true });
      await this.checkFolder(this.after.to, 'the after=move: folder');
    }
    this.sink = sink;
    this.active = true;
    if (this.autoScan && (this.options.watch ?? true)) this.startWatching();
    if (this.autoScan) this.pollTimer = setInterval(() => void this.scan(), this.pollIntervalMs);
    await this.scan();
  }

  async stop(): Promise<void> {
    this.active = false;
    this.watcher?.close();
    this.watcher = undefined;
    clearInterval(this.pollTimer);
    clearTimeout(this.followUp);
    this.followUp = undefined;
    await this.scanning;
  }

  /** Lists the folder now and takes what is ready (scans never overlap; a scan asked for during one runs right after it). */
  scan(): Promise<void> {
    return this.scanWith(true);
  }

  private scanWith(list: boolean): Promise<void> {
    if (this.scanning) {
      this.rescan = true;
      this.rescanLists ||= list;
      return this.scanning;
    }
    this.scanning = (async () => {
      let listNow = list;
      do {
        this.rescan = false;
        await this.scanOnce(listNow);
        listNow = this.rescanLists;
        this.rescanLists = false;
      } while (this.rescan && this.active);
      this.scanning = undefined;
    })();
    return this.scanning;
  }

  private async checkFolder(path: string, what: string): Promise<void> {
    try {
      if ((await stat(path)).isDirectory()) return;
    } catch (error) {
      throw new SourceError(path, 'unreadable-dir', `${what} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, true);
    }
    throw new SourceError(path, 'unreadable-dir', `${what} is not a folder`, true);
  }

  private startWatching(): void {
    try {
      this.watcher = watch(this.path, { persistent: false }, () => {
        this.changed = true;
        this.scanSoon(10);
      });
      this.watcher.on('error', (error) => {
        this.counters.report(this.path, 'watch-failed', `fs.watch failed (${error.message}); polling only`);
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch (error) {
      this.counters.report(this.path, 'watch-failed', `fs.watch is not available (${(error as Error).message}); polling only`);
    }
  }

  private scanSoon(delayMs: number): void {
    if (!this.active || !this.autoScan || this.followUp) return;
    this.followUp = setTimeout(() => {
      this.followUp = undefined;
      void this.scanWith(false);
    }, delayMs);
  }

  /** `list`: take a fresh listing; otherwise one only when the last is used up or stale (see the top). */
  private async scanOnce(list: boolean): Promise<void> {
    if (!this.active || !this.sink) return;
    const stale = this.changed && performance.now() - this.listedAtMs >= this.pollIntervalMs;
    this.batch = this.batch.filter((name) => !this.done.has(name) && !this.inFlight.has(name));
    if (list || stale || this.batch.length === 0) {
      if (!(await this.list())) return;
    }
    let waiting = false;
    for (const name of this.batch) {
      if (!this.active) return;
      if (this.gate.full) return; // settling a frame asks for the next scan
      if (this.done.has(name) || this.inFlight.has(name)) continue;
      // After a file that is not complete yet, later ones are only observed:
      // the clock moves during a look, so a later file can turn stable first.
      const outcome = await this.consider(name, waiting);
      if (outcome === 'refused') return; // queue full: the file stays; the next poll retries
      if (outcome === 'waiting') waiting = true;
    }
    if (waiting) this.scanSoon(Math.max(this.stableMs, 20));
  }

  /** Lists the folder into the batch; false when it cannot be listed. */
  private async list(): Promise<boolean> {
    let names: string[];
    this.changed = false;
    this.listedAtMs = performance.now();
    this.listings += 1;
    try {
      names = await readdir(this.path);
      this.lastListError = '';
    } catch (error) {
      const detail = `cannot list the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
      // Say it once per distinct problem, not once per poll.
      if (detail !== this.lastListError) this.counters.report(this.path, 'unreadable-dir', detail);
      this.lastListError = detail;
      this.batch = [];
      return false;
    }
    const listed = new Set(names);
    for (const name of this.observed.keys()) if (!listed.has(name)) this.observed.delete(name);
    for (const name of this.done) if (!listed.has(name)) this.done.delete(name);
    this.batch = names.filter((name) => isFrameFileName(name) && !this.done.has(name) && !this.inFlight.has(name)).sort();
    return true;
  }

  /** Takes one candidate file if it is complete; `holdBack`: an earlier one is not, so only observe it. */
  private async consider(name: string, holdBack: boolean): Promise<'offered' | 'refused' | 'waiting' | 'skipped'> {
    const file = join(this.path, name);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(file);
    } catch (error) {
      return this.unreadable(name, file, error);
    }
    if (!info.isFile()) {
      this.done.add(name);
      return 'skipped';
    }
    // Ages on the monotonic clock: a wall clock stepped back would hold every file (and, in name order, all later ones).
    const now = performance.now();
    const seen = this.observed.get(name);
    if (!seen || seen.size !== info.size || seen.mtimeMs !== info.mtimeMs) {
      this.observed.set(name, { size: info.size, mtimeMs: info.mtimeMs, since: now });
      return 'waiting';
    }
    if (now - seen.since < this.stableMs || holdBack) return 'waiting';
    const sidecar = await this.findSidecar(name);
    if (info.size > this.maxImageBytes) {
      this.counters.report(file, 'too-large', `${info.size} bytes exceeds the limit of ${this.maxImageBytes}; not read`);
      this.done.add(name);
      this.observed.delete(name);
      await this.applyAfter(name, sidecar);
      return 'skipped';
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      return this.unreadable(name, file, error);
    }
    if (bytes.length !== info.size) {
      this.observed.delete(name); // still being written after all: observe again
      return 'waiting';
    }
    const predictions = sidecar ? await this.readSidecar(sidecar) : undefined;
    if (!this.gate.tryAcquire()) return 'refused';
    this.inFlight.add(name);
    const frame = {
      camera: this.options.camera,
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      predictions,
      receivedAtMs: Date.now(),
      origin: file,
      settle: this.gate.settleOnce((outcome) => this.settled(name, sidecar, outcome)),
    };
    if (this.counters.offer(this.sink!.offer(frame))) {
      this.observed.delete(name);
      return 'offered';
    }
    // Refused: the observation stays, so the retry does not wait for stability again.
    this.inFlight.delete(name);
    this.gate.release();
    return 'refused';
  }

  private unreadable(name: string, file: string, error: unknown): 'skipped' {
    const code = (error as NodeJS.ErrnoException).code;
    this.observed.delete(name);
    // Either way the name is set aside until it leaves the listing, so a
    // dangling symlink or an unreadable file is reported once, not every poll.
    this.done.add(name);
    if (code === 'ENOENT') this.counters.report(file, 'vanished', 'the file vanished before it was read');
    else this.counters.report(file, 'unreadable', `cannot read the file (${code ?? (error as Error).message}); skipped until it leaves the folder`);
    return 'skipped';
  }

  private async findSidecar(name: string): Promise<string | undefined> {
    const stem = name.replace(IMAGE_NAME, '');
    for (const candidate of [`${name}.json`, `${stem}.json`]) {
      try {
        if ((await stat(join(this.path, candidate))).isFile()) return candidate;
      } catch {
        // No sidecar of this name.
      }
    }
    return undefined;
  }

  private async readSidecar(sidecar: string): Promise<unknown> {
    const file = join(this.path, sidecar);
    try {
      const info = await stat(file);
      if (info.size > this.maxSidecarBytes) {
        this.counters.report(file, 'bad-sidecar', `${info.size} bytes exceeds the limit of ${this.maxSidecarBytes}; frame taken without predictions`);
        return undefined;
      }
      return JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      const reason = error instanceof SyntaxError ? `not valid JSON (${error.message})` : `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
      this.counters.report(file, 'bad-sidecar', `${reason}; frame taken without predictions`);
      return undefined;
    }
  }

  private async settled(name: string, sidecar: string | undefined, _outcome: SettleOutcome): Promise<void> {
    this.inFlight.delete(name);
    this.done.add(name);
    await this.applyAfter(name, sidecar);
    // A slot is free again: carry on with any backlog.
    this.scanSoon(0);
  }

  private async applyAfter(name: string, sidecar: string | undefined): Promise<void> {
    if (this.after.mode === 'keep') return;
    for (const entry of sidecar ? [name, sidecar] : [name]) {
      const file = join(this.path, entry);
      try {
        if (this.after.mode === 'delete') await unlink(file);
        else await moveFile(file, join(this.after.to, entry));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') continue;
        this.counters.report(file, 'after-failed', `cannot ${this.after.mode} the file (${code ?? (error as Error).message})`);
      }
    }
  }
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    // Another filesystem: copy, then remove the original.
    await copyFile(from, to);
    await unlink(from);
  }
}
