// The proxy: source, a sidecar reverse proxy in front of the inference
// service. Every request the listen server has no route for is forwarded to
// the upstream by the listen server's byte relay: the head with Host
// rewritten and hop-by-hop headers removed, then the body and the answer
// byte for byte as they arrive (edge/http/relay-connection.ts). Requests to
// the tapped endpoint are also copied, up to a cap, and once the exchange is
// over (off the request path) the image and the JSON answer are offered to
// the sink. The tap can fail, be skipped or find the queue full (then
// nothing is copied): the client never notices.
import type { Socket } from 'node:net';
import type { FrameSink, FrameSource, SourceErrorHandler } from './frame-source.js';
import { isCameraId } from './camera-id.js';
import { SourceCounters } from './source-counters.js';
import { upstreamRequestHead } from './hop-by-hop.js';
import { TapBudget, TapBuffer } from './tap-buffer.js';
import { TapError, imageFromRequest, predictionsFromResponse } from './proxy-tap.js';
import { UpstreamPool, UpstreamTimeout } from './upstream-pool.js';
import type { ForwardTarget, Forwarder } from '../http/forwarder.js';
import { headerValue, type RequestHead, type ResponseHead } from '../http/http1-head.js';
import type { ListenServer } from '../http/listen-server.js';

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
  /** Certificate authorities trusted for an https: upstream (PEM). Default: Node's bundled list. */
  upstreamCa?: string | Buffer;
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
  response?: ResponseHead;
}

export class ProxySource implements FrameSource, Forwarder {
  readonly kind = 'proxy';
  readonly counters: SourceCounters;
  private readonly upstream: URL;
  private readonly maxTapBytes: number;
  private readonly budget: TapBudget;
  private readonly timeoutMs: number;
  private pool: UpstreamPool;
  private sink: FrameSink | undefined;
  private removeForwarder: (() => void) | undefined;

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
    this.pool = new UpstreamPool(this.upstream, this.timeoutMs, options.upstreamCa);
  }

  get running(): boolean {
    return this.removeForwarder !== undefined;
  }

  /** Bytes currently held by taps in flight (for metrics and tests). */
  get tapBytesInFlight(): number {
    return this.budget.used;
  }

  async start(sink: FrameSink): Promise<void> {
    if (this.removeForwarder) return;
    this.sink = sink;
    this.pool = new UpstreamPool(this.upstream, this.timeoutMs, this.options.upstreamCa);
    this.removeForwarder = this.server.forwardUnrouted(this);
  }

  /** Stops forwarding (the listen server answers 404 for unrouted paths again); idempotent. */
  async stop(): Promise<void> {
    this.removeForwarder?.();
    this.removeForwarder = undefined;
    this.pool.close();
  }

  /** Called by the listen server's relay for each request no route takes. */
  open(head: RequestHead, origin: string): ForwardTarget {
    const exchange = this.running && pathOf(head.target) === this.options.tapPath ? this.openExchange(head, origin) : undefined;
    const socket = this.pool.take();
    const target: ForwardTarget = {
      stream: socket,
      head: upstreamRequestHead(head, this.upstream.host),
      finish: (complete, keep) => this.finish(socket, exchange, complete, keep),
      failure: (error) => this.failure(error),
    };
    if (!exchange) return target;
    target.requestContent = (slice) => exchange.requestCopy.push(slice);
    target.responseHead = (response) => {
      if (response.status >= 200 && response.status < 300) {
        exchange.response = response;
        exchange.responseCopy = new TapBuffer(this.maxTapBytes, this.budget);
        target.responseContent = (slice) => exchange.responseCopy!.push(slice);
      } else {
        exchange.requestCopy.release();
        this.counters.skip('tap-upstream-status');
      }
    };
    return target;
  }

  private finish(socket: Socket, exchange: Exchange | undefined, complete: boolean, keep: 'reuse' | 'destroy' | 'tunnel'): void {
    if (keep === 'reuse') this.pool.give(socket, exchange?.response ? headerValue(exchange.response, 'keep-alive') : undefined);
    else if (keep === 'tunnel') this.pool.untime(socket);
    else socket.destroy();
    if (!exchange) return;
    if (complete && exchange.responseCopy) {
      setImmediate(() => void this.tap(exchange));
    } else {
      exchange.requestCopy.release();
      exchange.responseCopy?.release();
    }
  }

  private failure(error: Error | undefined): { status: number; message: string } {
    if (error instanceof UpstreamTimeout) return { status: 504, message: `upstream ${this.upstream.origin} did not answer within ${this.timeoutMs} ms` };
    const code = (error as NodeJS.ErrnoException | undefined)?.code ?? error?.message ?? 'ECONNRESET';
    return { status: 502, message: `upstream ${this.upstream.origin} unavailable (${code})` };
  }

  private openExchange(head: RequestHead, origin: string): Exchange | undefined {
    const header = headerValue(head, CAMERA_HEADER);
    let camera = this.options.camera;
    if (header !== undefined && isCameraId(header)) camera = header;
    else if (header !== undefined) this.counters.report(origin, 'tap-bad-camera-header', `X-Camera-Id ${JSON.stringify(String(header).slice(0, 80))} is not a valid camera id; using ${camera}`);
    // Measuring is behind: skip this exchange before copying anything, rather than copy a frame the queue will refuse.
    if (this.sink?.refuseIfFull?.(camera)) {
      this.counters.offer(false);
      return undefined;
    }
    return {
      origin: `proxy ${origin.replace(/^http /, '')} ${pathOf(head.target)}`,
      camera,
      receivedAtMs: Date.now(),
      requestType: headerValue(head, 'content-type'),
      requestCopy: new TapBuffer(this.maxTapBytes, this.budget),
    };
  }

  private async tap(exchange: Exchange): Promise<void> {
    const requestBytes = exchange.requestCopy.take();
    const responseBytes = exchange.responseCopy?.take();
    try {
      if (!requestBytes || !responseBytes) {
        this.counters.skip('tap-too-large');
        return;
      }
      const image = await imageFromRequest(requestBytes, exchange.requestType);
      const response = exchange.response!;
      const predictions = predictionsFromResponse(responseBytes, headerValue(response, 'content-type'), headerValue(response, 'content-encoding'), this.maxTapBytes);
      if (!this.sink || !this.running) return;
      this.counters.offer(this.sink.offer({ camera: exchange.camera, bytes: image, predictions, receivedAtMs: exchange.receivedAtMs, origin: exchange.origin, handedOver: true }));
    } catch (error) {
      const reason = error instanceof TapError ? error.reason : 'tap-failed';
      this.counters.report(exchange.origin, reason, (error as Error).message);
    }
  }
}

/** The path of a request target, as the listen server routes it (query and fragment left out). */
function pathOf(target: string): string {
  try {
    return new URL(target, 'http://proxy.invalid').pathname;
  } catch {
    return target;
  }
}
