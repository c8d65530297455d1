// Reads a request body into memory with a size cap. An oversized body is
// answered with 413; the rest of it is read and discarded (up to a bound) so
// a client that is still sending gets to see the reply instead of a reset.
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/** Bodies more than this many times the cap are not drained: the connection is closed instead. */
const DRAIN_FACTOR = 4;

export function readBody(request: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? NaN);
    const drainLimit = maxBytes * DRAIN_FACTOR;
    const tooLarge = (seen: string) => new HttpError(413, `request body too large (${seen}; the limit is ${maxBytes} bytes)`, { connection: 'close' });
    const chunks: Buffer[] = [];
    let length = 0;
    let overflow: HttpError | undefined;
    if (declared > maxBytes) {
      overflow = tooLarge(`declared ${declared} bytes`);
      if (declared > drainLimit) return reject(overflow);
    }
    const cleanUp = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (overflow) {
        if (length > drainLimit) {
          cleanUp();
          request.pause();
          reject(overflow);
        }
        return;
      }
      if (length > maxBytes) {
        overflow = tooLarge(`more than ${maxBytes} bytes`);
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanUp();
      if (overflow) return reject(overflow);
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length);
      resolve(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(new HttpError(400, `request body could not be read (${error.message})`));
    };
    const onClose = () => {
      if (request.readableEnded) return;
      cleanUp();
      reject(new HttpError(400, 'client closed the connection before the body was complete'));
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}
