// One request-response exchange of a relayed connection: where the request
// went (the forwarder's upstream or the agent's own node:http), how far each
// side has got, and the listeners the relay put on the stream, so that the
// connection can detach them when the exchange ends.
import type { Duplex } from 'node:stream';
import { BodyReader, type Framing } from './body-framing.js';
import type { ForwardTarget } from './forwarder.js';
import { hasToken, type RequestHead } from './http1-head.js';

export interface Exchange {
  request: RequestHead;
  stream: Duplex;
  /** Undefined for a request the listen server answers itself. */
  target: ForwardTarget | undefined;
  body: BodyReader;
  keepClient: boolean;
  startedAt: number;
  requestDone: boolean;
  responseDone: boolean;
  /** A final response head went to the client. */
  answered: boolean;
  responseBuffer: Buffer | undefined;
  responseBody: BodyReader | undefined;
  closeClient: boolean;
  reusable: boolean;
  failed: boolean;
  /** The relay answered itself: the rest of the request body is read and dropped. */
  discard: boolean;
  error: Error | undefined;
  off(): void;
}

export interface ExchangeListeners {
  data(chunk: Buffer): void;
  end(): void;
  /** An error, or the stream closed (error undefined). */
  failure(error: Error | undefined): void;
}

/** Starts an exchange on `stream`: listens to it and reads its request body by `framing`. */
export function openExchange(request: RequestHead, framing: Framing, stream: Duplex, target: ForwardTarget | undefined, on: ExchangeListeners): Exchange {
  const onData = (chunk: Buffer) => on.data(chunk);
  const onEnd = () => on.end();
  const onError = (error: Error) => on.failure(error);
  const onClose = () => on.failure(undefined);
  stream.on('data', onData);
  stream.on('end', onEnd);
  stream.on('error', onError);
  stream.on('close', onClose);
  const content = target?.requestContent;
  const exchange: Exchange = {
    request, stream, target,
    body: new BodyReader(framing, content && ((slice) => content.call(target, slice))),
    keepClient: request.minor === 1 ? !hasToken(request, 'connection', 'close') : hasToken(request, 'connection', 'keep-alive'),
    startedAt: Date.now(), requestDone: false, responseDone: false, answered: false,
    responseBuffer: undefined, responseBody: undefined, closeClient: false, reusable: true, failed: false, discard: false, error: undefined,
    off() {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    },
  };
  // A forwarded exchange's stream is the forwarder's; the relay still must hear its errors.
  stream.resume();
  return exchange;
}
