// The agent's side of the proxy's relay thread (proxy-worker.ts): a front
// that owns the listen server's socket in a worker thread, so that forwarded
// inference calls never wait for the agent's own work. The agent's own
// requests come back through in-memory connections into the listen
// server's node:http server; tapped exchanges come back as messages. A
// relay thread that dies is started again on the same port.
import { Worker } from 'node:worker_threads';
import type { ListenAddress, ListenFront, ListenServer, RelaySettings } from '../http/listen-server.js';
import type { RouteSnapshot } from '../http/route-snapshot.js';
import { ThreadStreams, type StreamMessage } from '../http/thread-stream.js';
import type { ForwardHooks, ProxyForwardOptions } from './proxy-forwarder.js';
import type { FromRelayThread, ToRelayThread } from './proxy-thread-messages.js';
import { v8Flags } from '../v8-flags.js';
import { favourMemoryOverSpeed } from '../old-generation.js';

export type ThreadHooks = Omit<ForwardHooks, 'refuseIfFull'> & {
  /** The relay thread stopped unexpectedly (it is started again). */
  crashed(message: string): void;
};

interface Running {
  worker: Worker;
  streams: ThreadStreams;
  exited: boolean;
  closed?: () => void;
}

export class ProxyThread implements ListenFront {
  private running: Running | undefined;
  private settings: RelaySettings | undefined;
  private bound: ListenAddress | undefined;
  private closing: Promise<void> | undefined;
  private forwarding = true;
  private returned: ArrayBuffer[] = [];
  private settled = 0;
  private returning = false;

  constructor(private readonly server: ListenServer, private readonly options: ProxyForwardOptions, private readonly hooks: ThreadHooks) {}

  async listen(address: ListenAddress, settings: RelaySettings): Promise<ListenAddress> {
    this.settings = settings;
    this.bound = await this.start(address);
    return this.bound;
  }

  routesChanged(routes: RouteSnapshot): void {
    if (this.settings) this.settings = { ...this.settings, routes };
    this.post({ t: 'routes', routes });
  }

  /** Requests no route takes get 404 from the listen server (off) or go to the upstream again (on). */
  setForwarding(on: boolean): void {
    this.forwarding = on;
    this.post({ t: 'forwarding', on });
  }

  /**
   * Moves a tapped body's buffer back to the relay thread for reuse, and
   * counts tapped frames the agent is done with; both go in batches, once
   * per turn of the event loop.
   */
  giveBack(buffer: ArrayBuffer | undefined, settled: number): void {
    // A detached buffer has moved already; one listed twice would make the whole batch fail to move.
    if (buffer && buffer.byteLength > 0 && !this.returned.includes(buffer)) this.returned.push(buffer);
    this.settled += settled;
    if (this.returning) return;
    this.returning = true;
    setImmediate(() => {
      const { returned: buffers, settled: count } = this;
      this.returned = [];
      this.settled = 0;
      this.returning = false;
      const worker = this.running?.worker;
      try {
        worker?.postMessage({ t: 'recycle', buffers, settled: count } satisfies ToRelayThread, buffers);
      } catch {
        // The count must arrive whatever the buffers do, or the relay thread would stop tapping.
        worker?.postMessage({ t: 'recycle', buffers: [], settled: count } satisfies ToRelayThread);
      }
    });
  }

  close(graceMs: number): Promise<void> {
    this.closing ??= (async () => {
      const running = this.running;
      this.running = undefined;
      if (!running || running.exited) return;
      await new Promise<void>((resolve) => {
        running.closed = resolve;
        running.worker.postMessage({ t: 'close', graceMs } satisfies ToRelayThread);
      });
      running.streams.destroyAll();
      await running.worker.terminate();
    })();
    return this.closing;
  }

  private post(message: ToRelayThread): void {
    this.running?.worker.postMessage(message);
  }

  private start(address: ListenAddress): Promise<ListenAddress> {
    // Two V8 heaps from here on: both kept small (old-generation.ts); the worker sets the flag again as it starts.
    favourMemoryOverSpeed();
    const worker = new Worker(new URL('./proxy-worker.js', import.meta.url), {
      // Starting a worker undoes the agent's V8 flags: it sets them again (v8-flags.ts).
      workerData: { address, settings: this.settings, forward: this.options, v8Flags: v8Flags() },
    });
    const streams = new ThreadStreams((message, transfer) => worker.postMessage(message, transfer ?? []));
    const running: Running = { worker, streams, exited: false };
    this.running = running;
    if (!this.forwarding) this.post({ t: 'forwarding', on: false });
    return new Promise((resolve, reject) => {
      let listening = false;
      worker.on('message', (message: FromRelayThread) => {
        if (message.t === 'listening') {
          listening = true;
          resolve(message.address);
        } else if (message.t === 'listen-failed') {
          reject(new Error(message.message));
          void worker.terminate();
        } else {
          this.receive(running, message);
        }
      });
      worker.on('error', (error) => {
        if (!listening) reject(error);
        else this.hooks.crashed(error.message);
      });
      worker.on('exit', (code) => {
        running.exited = true;
        streams.destroyAll();
        running.closed?.();
        if (!listening) reject(new Error(`the proxy relay thread exited with code ${code} before listening`));
        else if (this.running === running) this.restart(code);
      });
    });
  }

  private restart(code: number): void {
    this.hooks.crashed(`the proxy relay thread exited with code ${code}; starting it again`);
    this.running = undefined;
    if (this.closing) return;
    this.start(this.bound!).catch((error: Error) => this.hooks.crashed(`the proxy relay thread could not listen again: ${error.message}`));
  }

  private receive(running: Running, message: FromRelayThread): void {
    switch (message.t) {
      case 'data': case 'end': case 'destroy':
        running.streams.receive(message as StreamMessage);
        break;
      case 'open':
        this.server.acceptLocal(running.streams.create(message.id), message.peer);
        break;
      case 'tapped':
        this.hooks.tapped(message.exchange);
        break;
      case 'refused':
        this.hooks.refused(message.camera);
        break;
      case 'skipped':
        this.hooks.skipped(message.reason);
        break;
      case 'problem':
        this.hooks.problem(message.origin, message.reason, message.message);
        break;
      case 'closed':
        running.closed?.();
        break;
    }
  }
}
