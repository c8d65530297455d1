// The http: ingest source: POST /frames/<camera> on the listen server, with
// the image as the body (image/jpeg or image/png) and predictions, if any, as
// JSON in the X-Driftwatch-Predictions header; or a multipart/form-data body
// with parts 'image' and 'predictions'. The reply tells the pipeline whether
// the frame was queued (202) or dropped because the agent is behind (503).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FrameSink, FrameSource, SourceErrorHandler } from './frame-source.js';
import { isCameraId } from './camera-id.js';
import { SourceCounters } from './source-counters.js';
import { IMAGE_TYPES, mediaType, parseMultipart } from './media-type.js';
import { HttpError, sendJson } from '../http/http-error.js';
import type { ListenServer, RequestContext } from '../http/listen-server.js';

export const PREDICTIONS_HEADER = 'x-driftwatch-predictions';
export const DEFAULT_MAX_PREDICTIONS_HEADER_BYTES = 8192;

export interface HttpIngestOptions {
  /** Path prefix; the camera id follows it. Default '/frames/'. */
  prefix?: string;
  /** The camera ids this agent watches over HTTP; another id in the path gets 404 before its body is read. Default: any valid id. */
  cameras?: readonly string[];
  /** Largest X-Driftwatch-Predictions header value (431 beyond). Default 8 KiB. */
  maxPredictionsHeaderBytes?: number;
  onError?: SourceErrorHandler;
}

interface Received {
  bytes: Uint8Array;
  predictions?: unknown;
}

export class HttpIngestSource implements FrameSource {
  readonly kind = 'http';
  readonly counters: SourceCounters;
  private readonly prefix: string;
  private readonly maxHeaderBytes: number;
  private sink: FrameSink | undefined;
  private removeRoute: (() => void) | undefined;
  private readonly cameras: ReadonlySet<string> | null;

  constructor(private readonly server: ListenServer, options: HttpIngestOptions = {}) {
    this.prefix = options.prefix ?? '/frames/';
    this.maxHeaderBytes = options.maxPredictionsHeaderBytes ?? DEFAULT_MAX_PREDICTIONS_HEADER_BYTES;
    this.counters = new SourceCounters(options.onError);
    this.cameras = options.cameras ? new Set(options.cameras) : null;
  }

  get running(): boolean {
    return this.removeRoute !== undefined;
  }

  async start(sink: FrameSink): Promise<void> {
    if (this.removeRoute) return;
    this.sink = sink;
    this.removeRoute = this.server.prefixRoute(this.prefix, (request, response, context) => this.handle(request, response, context));
  }

  async stop(): Promise<void> {
    this.removeRoute?.();
    this.removeRoute = undefined;
  }

  private async handle(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    try {
      await this.receive(request, response, context);
    } catch (error) {
      // Bad requests are the client's problem, but they are counted for metrics.
      if (error instanceof HttpError) this.counters.report(context.origin, `http-${error.status}`, error.message);
      throw error;
    }
  }

  private async receive(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    if (request.method !== 'POST') throw new HttpError(405, `${request.method} is not allowed on ${context.url.pathname}; use POST`, { allow: 'POST' });
    const camera = cameraFromPath(context.url.pathname.slice(this.prefix.length));
    if (this.cameras && !this.cameras.has(camera)) throw new HttpError(404, `camera ${JSON.stringify(camera)} is not watched by this agent over HTTP (${[...this.cameras].join(', ')})`);
    const contentType = request.headers['content-type'];
    const type = mediaType(contentType);
    let received: Received;
    if (IMAGE_TYPES.has(type)) {
      const predictions = this.headerPredictions(request);
      received = { bytes: await context.readBody(), predictions };
    } else if (type === 'multipart/form-data') {
      if (request.headers[PREDICTIONS_HEADER] !== undefined) {
        throw new HttpError(400, 'predictions given twice: send them as the multipart part "predictions" or in X-Driftwatch-Predictions, not both');
      }
      received = await fromMultipart(await context.readBody(), contentType ?? '');
    } else {
      throw new HttpError(415, `Content-Type ${JSON.stringify(contentType ?? '')} is not accepted; send image/jpeg, image/png or multipart/form-data`);
    }
    if (received.bytes.byteLength === 0) throw new HttpError(400, 'the image is empty');
    if (!this.sink || !this.running) {
      sendJson(response, 503, { queued: false, reason: 'stopped' });
      return;
    }
    const frame = { camera, bytes: received.bytes, predictions: received.predictions, receivedAtMs: Date.now(), origin: context.origin };
    if (this.counters.offer(this.sink.offer(frame))) sendJson(response, 202, { queued: true });
    else sendJson(response, 503, { queued: false, reason: 'queue-full' }, { 'retry-after': '1' });
  }

  private headerPredictions(request: IncomingMessage): unknown {
    const raw = request.headers[PREDICTIONS_HEADER];
    if (raw === undefined) return undefined;
    const text = Array.isArray(raw) ? raw.join(',') : raw;
    const size = Buffer.byteLength(text);
    if (size > this.maxHeaderBytes) {
      throw new HttpError(431, `X-Driftwatch-Predictions is ${size} bytes; the limit is ${this.maxHeaderBytes} (send larger predictions as a multipart part)`);
    }
    return parseJson(text, 'X-Driftwatch-Predictions');
  }
}

function cameraFromPath(tail: string): string {
  let camera: string;
  try {
    camera = decodeURIComponent(tail);
  } catch {
    throw new HttpError(400, 'camera id in the path is not valid percent-encoding');
  }
  if (!isCameraId(camera)) {
    const text: string = camera;
    const shown = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
    throw new HttpError(400, `camera id ${shown} is not valid (1 to 64 of A-Z a-z 0-9 _ . -), in POST /frames/<camera>`);
  }
  return camera;
}

async function fromMultipart(body: Uint8Array, contentType: string): Promise<Received> {
  let form: FormData;
  try {
    form = await parseMultipart(body, contentType);
  } catch (error) {
    throw new HttpError(400, `multipart/form-data body could not be parsed (${(error as Error).message})`);
  }
  const image = form.get('image');
  if (image === null || typeof image === 'string') {
    throw new HttpError(400, image === null ? 'multipart part "image" is missing' : 'multipart part "image" must be a file, got a text field');
  }
  const partType = mediaType(image.type);
  if (partType !== '' && partType !== 'application/octet-stream' && !IMAGE_TYPES.has(partType)) {
    throw new HttpError(415, `multipart part "image" has type ${JSON.stringify(image.type)}; send image/jpeg or image/png`);
  }
  const part = form.get('predictions');
  const predictions = part === null ? undefined : parseJson(typeof part === 'string' ? part : await part.text(), 'multipart part "predictions"');
  return { bytes: new Uint8Array(await image.arrayBuffer()), predictions };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `${what} is not valid JSON (${(error as Error).message})`);
  }
}
