// What the memory soak needs from a way of handing frames to the agent: the
// --source argument, and a send() that resolves once the next frame may go,
// so that the feeder, not a buffer, holds the backlog (the lead over the
// agent stays bounded whatever the source).
export interface SoakFrame {
  jpeg: Buffer;
  predictions: unknown;
}

export interface SoakFeeder {
  /** The agent's --source value. */
  readonly source: string;
  /** Whether the agent needs its stdin as a pipe. */
  readonly stdin: boolean;
  /** A frame refused at a full queue is gone (proxy:), not handed over again. */
  readonly dropsRefused?: boolean;
  /** Called once the agent listens: its stdin and listen port. */
  attach(target: { stdin: NodeJS.WritableStream | null; port: number }): void;
  /** Hands frame `sequence` (1-based) over; resolves when the next may follow. */
  send(sequence: number, frame: SoakFrame): Promise<void>;
  /** After the last send: resolves once every frame is with the agent. */
  finish(): Promise<void>;
}
