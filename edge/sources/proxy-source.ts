// The proxy: source, a sidecar reverse proxy in front of the inference
// service. Every request the listen server has no route for is forwarded to
// the upstream (method, path and query, end-to-end headers with Host
// rewritten, body streamed) and the upstream's answer is streamed back
// unchanged. Requests to the tapped endpoint are also copied, up to a cap,
// and once the exchange is over (off the request path) the image and the
// JSON answer are offered to the sink. The tap can fail, be skipped or find
// the queue full (then nothing is copied): the client never notices.
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FrameSink, FrameSource, SourceErrorHandler } from './frame-source.js';
import { isCameraId } from './camera-id.js';
import { SourceCounters } from './source-counters.js';
import { endToEndHeaders, headerObject } from './hop-by-hop.js';
import { TapBudget, TapBuffer } from './tap-buffer.js';
import { TapError, imageFromRequest, predictionsFromResponse } from './proxy-tap.js';
import { sendJson } from '../http/http-error.js';
import type { ListenServer, RequestContext } from '../http/listen-server.js';

export const CAMERA_HEADER = 'x-camera-id';

export interface ProxySourceOptions {
  /** Origin of the inference service, e.g. http://127.0.0.1:3000. */
  upstream: URL;
  /** Path of the inference endpoint to tap, e.g. /predict; other paths are forwarded untapped. */
  tapPath: string;
  /** Camera id when the request has no valid X-Camera-Id header. */
  camera: string;
  /** Largest request (and response) body copied for the tap. Default: the listen server's body cap. */
  maxTapBytes?: number;
  /** Most bytes held by all taps in flight together. Default 4 × maxTapBytes. */
  maxTapBytesInFlight?: number;
  /** Time allowed for the upstream to answer (and between chunks). Default 60 s; then 504. */
  upstreamTimeoutMs?: number;
  onError?: SourceErrorHandler;
}

interface Exchange {
  origin: string;
  camera: string;
  receivedAtMs: number;
  requestType: string | undefined;
  requestCopy: TapBuffer;
  responseCopy?: TapBuffer;
}

export class ProxySource implements FrameSource {
  readonly kind = 'proxy';
  readonly counters: SourceCounters;
  private readonly upstream: URL;
  private readonly maxTapBytes: number;
  private readonly budget: TapBudget;
  private readonly timeoutMs: number;
  // Kept-alive connections to the upstream: inference latency should not pay a TCP handshake per call.
  private readonly agent: HttpAgent;
  private sink: FrameSink | undefined;
  private removeFallback: (() => void) | undefined;

  constructor(private readonly server: ListenServer, private readonly options: ProxySourceOptions) {
    if (options.upstream.protocol !== 'http:' && options.upstream.protocol !== 'https:') {
      throw new RangeError(`proxy upstream ${options.upstream.href} must be http: or https:`);
    }
    if (!isCameraId(options.camera)) throw new RangeError(`proxy camera id ${JSON.stringify(options.camera)} is not valid`);
    this.upstream = new URL(options.upstream.origin);
    this.maxTapBytes = options.maxTapBytes ?? server.maxBodyBytes;
    this.budget = new TapBudget(options.maxTapBytesInFlight ?? 4 * this.maxTapBytes);
    this.timeoutMs = options.upstreamTimeoutMs ?? 60_000;
    this.counters = new SourceCounters(options.onError);
    this.agent = this.upstream.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  }

  get running(): boolean {
    return this.removeFallback !== undefined;
  }

  /** Bytes currently held by taps in flight (for metrics and tests). */
  get tapBytesInFlight(): number {
    return this.budget.used;
  }

  async start(sink: FrameSink): Promise<void> {
    if (this.removeFallback) return;
    this.sink = sink;
    this.removeFallback = this.server.fallback((request, response, context) => this.forward(request, response, context));
  }

  /** Stops forwarding (the listen server answers 404 for unrouted paths again); idempotent. */
  async stop(): Promise<void> {
    this.removeFallback?.();
    this.removeFallback = undefined;
  }

  private forward(request: IncomingMessage, response: ServerResponse, context: RequestContext): void {
    const exchange = context.url.pathname === this.options.tapPath ? this.openExchange(request, context) : undefined;
    const rawHeaders = endToEndHeaders(request.rawHeaders, ['host', 'expect']);
    const headers = { ...headerObject(rawHeaders), host: this.upstream.host };
    const send = this.upstream.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstreamRequest: ClientRequest = send(this.upstream, { method: request.method, path: request.url, headers, agent: this.agent });
    upstreamRequest.setTimeout(this.timeoutMs, () => upstreamRequest.destroy(new UpstreamTimeout(this.timeoutMs)));

    upstreamRequest.on('response', (upstreamResponse) => this.relay(upstreamResponse, response, exchange));
    upstreamRequest.on('error', (error: NodeJS.ErrnoException) => {
      exchange?.requestCopy.release();
      exchange?.responseCopy?.release();
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const timedOut = error instanceof UpstreamTimeout;
      sendJson(response, timedOut ? 504 : 502, {
        error: timedOut ? `upstream ${this.upstream.origin} did not answer within ${this.timeoutMs} ms` : `upstream ${this.upstream.origin} unavailable (${error.code ?? error.message})`,
      });
    });
    // The client went away before the answer was complete: stop the upstream too.
    response.on('close', () => {
      if (!response.writableFinished) upstreamRequest.destroy();
    });
    if (exchange) request.on('data', (chunk: Buffer) => exchange.requestCopy.push(chunk));
    request.pipe(upstreamRequest);
  }

  private openExchange(request: IncomingMessage, context: RequestContext): Exchange | undefined {
    if (!this.running) return undefined;
    const header = request.headers[CAMERA_HEADER];
    let camera = this.options.camera;
    if (typeof header === 'string' && isCameraId(header)) camera = header;
    else if (header !== undefined) this.counters.report(context.origin, 'tap-bad-camera-header', `X-Camera-Id ${JSON.stringify(String(header).slice(0, 80))} is not a valid camera id; using ${camera}`);
    // Measuring is behind: skip this exchange before copying anything, rather than copy a frame the queue will refuse.
    if (this.sink?.refuseIfFull?.(camera)) {
      this.counters.offer(false);
      return undefined;
    }
    return {
      origin: `proxy ${context.origin.replace(/^http /, '')} ${context.url.pathname}`,
      camera,
      receivedAtMs: Date.now(),
      requestType: request.headers['content-type'],
      requestCopy: new TapBuffer(this.maxTapBytes, this.budget),
    };
  }

  private relay(upstreamResponse: IncomingMessage, response: ServerResponse, exchange: Exchange | undefined): void {
    const status = upstreamResponse.statusCode ?? 502;
    response.writeHead(status, upstreamResponse.statusMessage, endToEndHeaders(upstreamResponse.rawHeaders));
    if (exchange && status >= 200 && status < 300) {
      const copy = new TapBuffer(this.maxTapBytes, this.budget);
      exchange.responseCopy = copy;
      upstreamResponse.on('data', (chunk: Buffer) => copy.push(chunk));
    } else if (exchange) {
      exchange.requestCopy.release();
      this.counters.skip('tap-upstream-status');
    }
    upstreamResponse.on('end', () => {
      if (exchange?.responseCopy) setImmediate(() => void this.tap(exchange, upstreamResponse));
    });
    upstreamResponse.on('close', () => {
      if (upstreamResponse.complete || !exchange) return;
      exchange.requestCopy.release();
      exchange.responseCopy?.release();
    });
    upstreamResponse.on('error', () => response.destroy());
    upstreamResponse.on('aborted', () => response.destroy());
    upstreamResponse.pipe(response);
  }

  private async tap(exchange: Exchange, upstreamResponse: IncomingMessage): Promise<void> {
    const requestBytes = exchange.requestCopy.take();
    const responseBytes = exchange.responseCopy?.take();
    try {
      if (!requestBytes || !responseBytes) {
        this.counters.skip('tap-too-large');
        return;
      }
      const image = await imageFromRequest(requestBytes, exchange.requestType);
      const predictions = predictionsFromResponse(responseBytes, upstreamResponse.headers['content-type'], upstreamResponse.headers['content-encoding'], this.maxTapBytes);
      if (!this.sink || !this.running) return;
      this.counters.offer(this.sink.offer({ camera: exchange.camera, bytes: image, predictions, receivedAtMs: exchange.receivedAtMs, origin: exchange.origin, handedOver: true }));
    } catch (error) {
      const reason = error instanceof TapError ? error.reason : 'tap-failed';
      this.counters.report(exchange.origin, reason, (error as Error).message);
    }
  }
}

class UpstreamTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'UpstreamTimeout';
  }
}
