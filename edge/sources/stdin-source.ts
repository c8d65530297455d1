// The stdin: source: frames piped into the agent, in one of two framings
// (see stdin-records.ts and docs/sources.md). It reads from any Readable,
// by default the process's stdin (a pipe directly, pipe-chunks.ts). Reading is paced by the agent: at most
// maxInFlight frames are handed over and not yet settled, so piping a file
// of frames in does not overrun the queue; a live producer is slowed by the
// pipe instead. Bad records are counted, reported and skipped; a corrupt
// length prefix stops reading (it cannot be resynchronised).
import type { Readable } from 'node:stream';
import type { FrameSink, FrameSource, SourceErrorHandler } from './frame-source.js';
import { isCameraId } from './camera-id.js';
import { InFlightGate } from './in-flight-gate.js';
import { PipeChunks } from './pipe-chunks.js';
import { SourceCounters } from './source-counters.js';
import { StreamBytes } from './stream-bytes.js';
import { RecordError, parseJsonLine, readFrameRecord, type RecordLimits, type StdinRecord } from './stdin-records.js';

export interface StdinSourceOptions {
  framing: 'frames' | 'jsonl';
  camera: string;
  /** Default process.stdin. */
  input?: Readable;
  /** Name in origins: '<label> #12'. Default 'stdin'. */
  label?: string;
  /** Largest image. Default 16 MiB. */
  maxImageBytes?: number;
  /** Largest stdin:frames JSON header. Default 1 MiB. */
  maxHeaderBytes?: number;
  /** Longest stdin:jsonl line. Default: room for a base64 image of maxImageBytes plus 1 MiB. */
  maxLineBytes?: number;
  /** Frames handed to the agent and not yet settled. Default 8. */
  maxInFlight?: number;
  /** Folder that relative jsonl "path" records are resolved against. Default the working directory. */
  baseDir?: string;
  onError?: SourceErrorHandler;
}

export type StdinEndReason = 'end' | 'stopped' | 'corrupt-length' | 'truncated' | 'read-error';

export interface StdinEnd {
  reason: StdinEndReason;
  /** Records read (good and bad). */
  records: number;
}

export const DEFAULT_MAX_IMAGE_BYTES = 16 * 1024 * 1024;

export class StdinSource implements FrameSource {
  readonly kind = 'stdin';
  readonly counters: SourceCounters;
  /** Resolves when reading is over, saying why. */
  readonly finished: Promise<StdinEnd>;
  private readonly limits: RecordLimits;
  private readonly gate: InFlightGate;
  private readonly label: string;
  private readonly baseDir: string;
  private bytes: StreamBytes | undefined;
  /** Set when this source reads the process's stdin pipe itself (not through process.stdin). */
  private pipe: PipeChunks | undefined;
  private active = false;
  private records = 0;
  private finish!: (end: StdinEnd) => void;
  private stopping = false;
  /** Ends the current wait for an in-flight slot (set only while waiting). */
  private interruptWait: (() => void) | undefined;

  constructor(private readonly options: StdinSourceOptions) {
    if (!isCameraId(options.camera)) throw new RangeError(`stdin camera id ${JSON.stringify(options.camera)} is not valid`);
    const maxImageBytes = options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES;
    this.limits = {
      maxImageBytes,
      maxHeaderBytes: options.maxHeaderBytes ?? 1024 * 1024,
      maxLineBytes: options.maxLineBytes ?? Math.ceil(maxImageBytes / 3) * 4 + 1024 * 1024,
    };
    this.gate = new InFlightGate(options.maxInFlight ?? 8);
    this.label = options.label ?? 'stdin';
    this.baseDir = options.baseDir ?? process.cwd();
    this.counters = new SourceCounters(options.onError);
    this.finished = new Promise((resolve) => (this.finish = resolve));
  }

  get running(): boolean {
    return this.active;
  }

  async start(sink: FrameSink): Promise<void> {
    if (this.bytes) return;
    // A piped stdin is read into one reused buffer (pipe-chunks.ts); Deno, files and terminals go through process.stdin.
    if (this.options.input === undefined && !('Deno' in globalThis) && PipeChunks.canRead(0)) this.pipe = new PipeChunks(0);
    this.bytes = new StreamBytes(this.options.input ?? this.pipe ?? process.stdin);
    this.active = true;
    void this.readAll(this.bytes, sink).then((reason) => {
      this.active = false;
      this.finish({ reason, records: this.records });
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.interruptWait?.();
    this.bytes?.stop();
    if (this.bytes) await this.finished;
    this.pipe?.close();
  }

  private async readAll(bytes: StreamBytes, sink: FrameSink): Promise<StdinEndReason> {
    try {
      for (;;) {
        if (!(await this.slot())) return 'stopped';
        const record = await this.next(bytes);
        if (bytes.isStopped) {
          this.gate.release();
          return 'stopped';
        }
        if (record === 'end') {
          this.gate.release();
          return 'end';
        }
        if (record === 'skipped') {
          this.gate.release();
          continue;
        }
        this.offer(sink, record);
      }
    } catch (error) {
      this.gate.release();
      if (bytes.isStopped) return 'stopped';
      if (error instanceof RecordError) {
        this.counters.report(`${this.label} #${this.records}`, error.reason, error.message, true);
        return error.reason === 'corrupt-length' ? 'corrupt-length' : 'truncated';
      }
      this.counters.report(this.label, 'read-error', `reading stopped: ${(error as Error).message}`, true);
      return 'read-error';
    }
  }

  /**
   * Takes an in-flight slot, waiting for the agent to settle a frame; false
   * once stop() was called, even mid-wait. Each wait races its own short-lived
   * promise: racing one promise that lives as long as the source would leave
   * a reaction on it for every frame (a leak of ~300 bytes per frame, found
   * by the agent soak, bench/agent-soak.ts).
   */
  private async slot(): Promise<boolean> {
    if (this.stopping) return false;
    if (this.gate.tryAcquire()) return true;
    const stopped = new Promise<false>((resolve) => (this.interruptWait = () => resolve(false)));
    const acquired = await Promise.race([this.gate.acquire().then(() => true), stopped]);
    this.interruptWait = undefined;
    if (acquired && this.stopping) this.gate.release();
    return acquired && !this.stopping;
  }

  /** The next good record with its origin, 'skipped' after a bad one, 'end' at the end. */
  private async next(bytes: StreamBytes): Promise<{ record: StdinRecord; origin: string } | 'skipped' | 'end'> {
    if (this.options.framing === 'frames') {
      const number = this.records + 1;
      let record: StdinRecord | null;
      try {
        record = await readFrameRecord(bytes, this.options.camera, this.limits);
      } catch (error) {
        if (bytes.isStopped) throw error;
        if (error instanceof RecordError && !error.fatal) {
          this.records = number;
          this.counters.report(`${this.label} #${number}`, error.reason, error.message);
          return 'skipped';
        }
        this.records = number;
        throw error;
      }
      if (record === null) return 'end';
      this.records = number;
      return { record, origin: `${this.label} #${number}` };
    }
    const read = await bytes.readLine(this.limits.maxLineBytes);
    // A line cut short by stop() is not a record.
    if (read === null || bytes.isStopped) return 'end';
    this.records += 1;
    const origin = `${this.label} #${this.records}`;
    if ('tooLong' in read) {
      this.counters.report(origin, 'line-too-long', `line of ${read.tooLong} bytes exceeds the limit of ${this.limits.maxLineBytes}; skipped`);
      return 'skipped';
    }
    const text = read.line.toString('utf8');
    if (text.trim() === '') return 'skipped';
    try {
      const record = await parseJsonLine(text, this.options.camera, this.limits, this.baseDir);
      return { record, origin: record.path ? `${origin} ${record.path}` : origin };
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      this.counters.report(origin, error.reason, error.message);
      return 'skipped';
    }
  }

  private offer(sink: FrameSink, { record, origin }: { record: StdinRecord; origin: string }): void {
    const frame = {
      camera: record.camera,
      bytes: record.image,
      predictions: record.predictions,
      receivedAtMs: Date.now(),
      origin,
      settle: this.gate.settleOnce(),
    };
    if (!this.counters.offer(sink.offer(frame))) this.gate.release();
  }
}
