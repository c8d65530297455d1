// The forwarding half of the proxy: source. For each request the relay
// hands it, it takes a kept-alive connection to the upstream, rewrites the
// head, and on the tapped path copies the request and a 2xx answer (up to a
// cap and a shared budget). When an exchange is over it hands the copies on
// as a TappedExchange, off the request path. It runs wherever the relay
// runs: the agent's thread or the relay thread. Its options are plain data
// so that they can be sent to that thread.
import type { Socket } from 'node:net';
import { isCameraId } from './camera-id.js';
import { upstreamRequestHead } from './hop-by-hop.js';
import { TapBudget, TapBuffer } from './tap-buffer.js';
import { TapMemory } from './tap-memory.js';
import { UpstreamPool, UpstreamTimeout } from './upstream-pool.js';
import { contentLength } from '../http/body-framing.js';
import type { ForwardTarget, Forwarder } from '../http/forwarder.js';
import { headerValue, type RequestHead, type ResponseHead } from '../http/http1-head.js';
import { targetPath } from '../http/target-path.js';

export const CAMERA_HEADER = 'x-camera-id';

/** Most bytes of tap buffers kept for reuse between frames (tap-memory.ts). */
export const SPARE_TAP_BYTES = 4 * 1024 * 1024;

export interface ProxyForwardOptions {
  /** Origin of the inference service, e.g. 'http://127.0.0.1:3000'. */
  upstream: string;
  tapPath: string;
  /** Camera id when the request has no valid X-Camera-Id header. */
  camera: string;
  maxTapBytes: number;
  maxTapBytesInFlight: number;
  /** With a relay thread: most tapped frames handed to the agent and not yet settled there (proxy-worker.ts). */
  maxTapsAhead: number;
  upstreamTimeoutMs: number;
  /** Certificate authorities trusted for an https: upstream (PEM). */
  upstreamCa?: string | Uint8Array;
}

/** A tapped exchange that went through whole; a body is undefined when it outgrew the cap or the budget. */
export interface TappedExchange {
  origin: string;
  camera: string;
  receivedAtMs: number;
  requestType: string | undefined;
  responseType: string | undefined;
  responseEncoding: string | undefined;
  request: Uint8Array | undefined;
  response: Uint8Array | undefined;
}

/** What the forwarder tells its source; none of these may throw. */
export interface ForwardHooks {
  /** Whether the camera's queue is full (then nothing is copied); absent where it cannot be known. */
  refuseIfFull?(camera: string): boolean;
  /** The exchange the sink did not even see because the camera's queue was full (or, with a relay thread, the agent was too far behind). */
  refused(camera: string): void;
  skipped(reason: string): void;
  problem(origin: string, reason: string, message: string): void;
  tapped(exchange: TappedExchange): void;
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

export class ProxyForwarder implements Forwarder {
  private readonly upstream: URL;
  private readonly budget: TapBudget;
  private readonly pool: UpstreamPool;
  /** Where tapped bodies are copied; the source gives each buffer back once done with it. */
  readonly memory = new TapMemory(SPARE_TAP_BYTES);

  constructor(private readonly options: ProxyForwardOptions, private readonly hooks: ForwardHooks) {
    this.upstream = new URL(options.upstream);
    this.budget = new TapBudget(options.maxTapBytesInFlight);
    const ca = options.upstreamCa instanceof Uint8Array ? Buffer.from(options.upstreamCa) : options.upstreamCa;
    this.pool = new UpstreamPool(this.upstream, options.upstreamTimeoutMs, ca);
  }

  /** Bytes currently held by taps in flight. */
  get tapBytesInFlight(): number {
    return this.budget.used;
  }

  close(): void {
    this.pool.close();
  }

  open(head: RequestHead, origin: string): ForwardTarget {
    const exchange = pathOf(head.target) === this.options.tapPath ? this.openExchange(head, origin) : undefined;
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
        exchange.responseCopy = new TapBuffer(this.options.maxTapBytes, this.budget, this.memory, announcedLength(response));
        target.responseContent = (slice) => exchange.responseCopy!.push(slice);
      } else {
        exchange.requestCopy.release();
        this.hooks.skipped('tap-upstream-status');
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
      // Off the request path: the client's answer is already on its way.
      setImmediate(() => this.handOn(exchange));
    } else {
      exchange.requestCopy.release();
      exchange.responseCopy?.release();
    }
  }

  private handOn(exchange: Exchange): void {
    const response = exchange.response!;
    this.hooks.tapped({
      origin: exchange.origin,
      camera: exchange.camera,
      receivedAtMs: exchange.receivedAtMs,
      requestType: exchange.requestType,
      responseType: headerValue(response, 'content-type'),
      responseEncoding: headerValue(response, 'content-encoding'),
      request: exchange.requestCopy.take(),
      response: exchange.responseCopy!.take(),
    });
  }

  private failure(error: Error | undefined): { status: number; message: string } {
    if (error instanceof UpstreamTimeout) return { status: 504, message: `upstream ${this.upstream.origin} did not answer within ${this.options.upstreamTimeoutMs} ms` };
    const code = (error as NodeJS.ErrnoException | undefined)?.code ?? error?.message ?? 'ECONNRESET';
    return { status: 502, message: `upstream ${this.upstream.origin} unavailable (${code})` };
  }

  private openExchange(head: RequestHead, origin: string): Exchange | undefined {
    const header = headerValue(head, CAMERA_HEADER);
    let camera = this.options.camera;
    if (header !== undefined && isCameraId(header)) camera = header;
    else if (header !== undefined) this.hooks.problem(origin, 'tap-bad-camera-header', `X-Camera-Id ${JSON.stringify(String(header).slice(0, 80))} is not a valid camera id; using ${camera}`);
    // Measuring is behind: skip this exchange before copying anything, rather than copy a frame the queue will refuse.
    if (this.hooks.refuseIfFull?.(camera)) {
      this.hooks.refused(camera);
      return undefined;
    }
    return {
      origin: `proxy ${origin.replace(/^http /, '')} ${pathOf(head.target)}`,
      camera,
      receivedAtMs: Date.now(),
      requestType: headerValue(head, 'content-type'),
      requestCopy: new TapBuffer(this.options.maxTapBytes, this.budget, this.memory, announcedLength(head)),
    };
  }
}

/** The body length a head announces, as a size hint for its tap copy: 0 when it announces none. */
function announcedLength(head: RequestHead | ResponseHead): number {
  const length = contentLength(head);
  return typeof length === 'number' ? length : 0;
}

/** The path of a request target, as the listen server routes it (query and fragment left out). */
function pathOf(target: string): string {
  return targetPath(target) ?? target;
}
