// The reader worker: reads frames' bytes (fetch or File) off the review
// worker's thread and transfers them (no copy), so that receiving a response
// body does not wait for the review worker to finish a decode.
import { readSourceBuffer } from './read-source.js';
import type { FrameSource } from './messages.js';

export interface ReadRequest { id: number; source: FrameSource }
export type ReadReply = { id: number; bytes: ArrayBuffer } | { id: number; error: string };

const scope = self as unknown as { postMessage(message: ReadReply, transfer?: Transferable[]): void; onmessage: ((event: MessageEvent<ReadRequest>) => void) | null };

scope.onmessage = (event) => {
  const { id, source } = event.data;
  readSourceBuffer(source).then(
    (bytes) => scope.postMessage({ id, bytes }, [bytes]),
    (error: unknown) => scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
};
