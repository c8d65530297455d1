// The proxy: source, a sidecar reverse proxy in front of the inference
// service. Every request the listen server has no route for is forwarded to
// the upstream by the listen server's byte relay: the head with Host
// rewritten and hop-by-hop headers removed, then the body and the answer
// byte for byte as they arrive (edge/http/relay-connection.ts). Requests to
// the tapped endpoint are also copied, up to a cap, and once the exchange is
// over (off the request path) the image and the JSON answer are offered to
// the sink. The tap can fail, be skipped or find the queue full (then
// nothing is copied): the client never notices. With `thread` (what the
// agent uses), the relay and the forwarding run in a thread of their own
// (proxy-thread.ts), which owns the listen server's socket.
import type { FrameSink, FrameSource, SourceErrorHandler } from './frame-source.js';
import { isCameraId } from './camera-id.js';
import { SourceCounters } from './source-counters.js';
import { TapError, imageFromRequest, predictionsFromResponse } from './proxy-tap.js';
import { ProxyForwarder, type ForwardHooks, type ProxyForwardOptions, type TappedExchange } from './proxy-forwarder.js';
import { ProxyThread } from './proxy-thread.js';
import type { ListenServer } from '../http/listen-server.js';

export { CAMERA_HEADER } from './proxy-forwarder.js';

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
  /** With `thread`: most tapped frames handed to the agent and not yet settled; past it, calls are forwarded untapped and counted as refused. Default 40; the agent sets its queues' room and 8 more. */
  maxTapsAhead?: number;
  /** Certificate authorities trusted for an https: upstream (PEM). Default: Node's bundled list. */
  upstreamCa?: string | Buffer;
  /** Time allowed for the upstream to answer (and between chunks). Default 60 s; then 504. */
  upstreamTimeoutMs?: number;
  /**
   * Relay in a thread of its own, which owns the listen server's socket
   * (must be started before the server listens). Then a full queue is seen
   * only once a tapped exchange reached this thread. Default false.
   */
  thread?: boolean;
  onError?: SourceErrorHandler;
}

export class ProxySource implements FrameSource {
  readonly kind = 'proxy';
  readonly counters: SourceCounters;
  private readonly forward: ProxyForwardOptions;
  private forwarder: ProxyForwarder | undefined;
  private relayThread: ProxyThread | undefined;
  private sink: FrameSink | undefined;
  private removeForwarder: (() => void) | undefined;
  private started = false;

  constructor(private readonly server: ListenServer, private readonly options: ProxySourceOptions) {
    if (options.upstream.protocol !== 'http:' && options.upstream.protocol !== 'https:') {
      throw new RangeError(`proxy upstream ${options.upstream.href} must be http: or https:`);
    }
    if (!isCameraId(options.camera)) throw new RangeError(`proxy camera id ${JSON.stringify(options.camera)} is not valid`);
    const maxTapBytes = options.maxTapBytes ?? server.maxBodyBytes;
    this.forward = {
      upstream: options.upstream.origin,
      tapPath: options.tapPath,
      camera: options.camera,
      maxTapBytes,
      maxTapBytesInFlight: options.maxTapBytesInFlight ?? 4 * maxTapBytes,
      maxTapsAhead: options.maxTapsAhead ?? 40,
      upstreamTimeoutMs: options.upstreamTimeoutMs ?? 60_000,
      upstreamCa: options.upstreamCa,
    };
    this.counters = new SourceCounters(options.onError);
  }

  get running(): boolean {
    return this.started;
  }

  /** Bytes currently held by taps in flight in this thread (for tests; 0 with a relay thread). */
  get tapBytesInFlight(): number {
    return this.forwarder?.tapBytesInFlight ?? 0;
  }

  /** Tap buffers made so far in this thread (for tests: a steady stream reuses them; 0 with a relay thread). */
  get tapBuffersMade(): number {
    return this.forwarder?.memory.made ?? 0;
  }

  async start(sink: FrameSink): Promise<void> {
    if (this.started) return;
    this.sink = sink;
    this.started = true;
    const hooks: ForwardHooks = {
      refuseIfFull: (camera) => this.sink?.refuseIfFull?.(camera) ?? false,
      refused: (camera) => {
        this.sink?.countRefused?.(camera);
        this.counters.offer(false);
      },
      skipped: (reason) => this.counters.skip(reason),
      problem: (origin, reason, message) => { this.counters.report(origin, reason, message); },
      tapped: (exchange) => void this.tap(exchange),
    };
    if (this.relayThread) {
      this.relayThread.setForwarding(true);
      return;
    }
    if (this.options.thread) {
      this.relayThread = new ProxyThread(this.server, this.forward, {
        ...hooks,
        crashed: (message) => { this.counters.report(`proxy ${this.forward.upstream}`, 'relay-thread-exited', message); },
      });
      this.server.serveThrough(this.relayThread);
      return;
    }
    this.forwarder = new ProxyForwarder(this.forward, hooks);
    this.removeForwarder = this.server.forwardUnrouted(this.forwarder);
  }

  /** Stops forwarding (the listen server answers 404 for unrouted paths again); idempotent. */
  async stop(): Promise<void> {
    this.started = false;
    this.relayThread?.setForwarding(false);
    this.removeForwarder?.();
    this.removeForwarder = undefined;
    this.forwarder?.close();
    this.forwarder = undefined;
  }

  private async tap(exchange: TappedExchange): Promise<void> {
    const { request, response } = exchange;
    let offered = false;
    let imageIsRequest = false;
    try {
      if (!request || !response) {
        this.counters.skip('tap-too-large');
        return;
      }
      const image = await imageFromRequest(request, exchange.requestType);
      const predictions = predictionsFromResponse(response, exchange.responseType, exchange.responseEncoding, this.forward.maxTapBytes);
      if (!this.sink || !this.running) return;
      imageIsRequest = image === request;
      // Settled: a raw image is the tap's own buffer and goes back now; the relay thread counts the frame done.
      const settle = async (): Promise<void> => this.giveBack(imageIsRequest ? request : undefined, 1);
      offered = this.sink.offer({ camera: exchange.camera, bytes: image, predictions, receivedAtMs: exchange.receivedAtMs, origin: exchange.origin, handedOver: true, settle });
      this.counters.offer(offered);
    } catch (error) {
      const reason = error instanceof TapError ? error.reason : 'tap-failed';
      this.counters.report(exchange.origin, reason, (error as Error).message);
    } finally {
      this.giveBack(response, 0);
      this.giveBack(offered && imageIsRequest ? undefined : request, offered ? 0 : 1);
    }
  }

  /**
   * Gives a tapped body's memory back to the tap memory it came from, and
   * tells a relay thread how many tapped frames are done with (it taps no
   * more while too many are not: proxy-worker.ts).
   */
  private giveBack(bytes: Uint8Array | undefined, settled: 0 | 1): void {
    const buffer = bytes?.buffer instanceof ArrayBuffer ? bytes.buffer : undefined;
    if (this.relayThread) this.relayThread.giveBack(buffer, settled);
    else if (buffer) this.forwarder?.memory.give(buffer);
  }
}
