// Child of relay-allocation-main.ts and relay-tail-main.ts: the agent's relay
// code (RelayServer with ProxyForwarder, nothing tapped) from a given build's
// dist/, or a bare byte relay ('bare', as relay-proxy.ts), in a process of
// its own. On 'start' it begins V8's sampling heap
// profiler (every object, whether a later GC collected it or not) and counts
// GCs; on 'start-timing' it only notes when each GC ran (no profiler, so they
// take their real time); on 'stop' it sends the bytes sampled, the GCs seen
// since, and each GC's start (ms since the epoch) and duration. With
// 'start-timing' it also notes, on the same clock, each chunk of bytes read
// from a client and each write to the upstream completing (its callback):
// where a call's time goes inside the relay.
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { Socket } from 'node:net';
import { startBareRelay } from './bare-relay.js';

interface ProfileNode { selfSize: number; children: ProfileNode[] }

const [dist, upstreamPortText] = process.argv.slice(2);
const upstreamPort = Number(upstreamPortText);
if (!dist || !Number.isSafeInteger(upstreamPort)) throw new RangeError("usage: relay-allocation-child.js <dist folder, or 'bare'> <upstream port>");

let scavenges = 0, otherGcs = 0;
const gcs: Array<[number, number]> = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcs.push([performance.timeOrigin + entry.startTime, entry.duration]);
    if ((entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges++;
    else otherGcs++;
  }
}).observe({ entryTypes: ['gc'] });

/** Listens on a free loopback port with the relay code of `dist`, or with a bare byte relay (as relay-proxy.ts) for 'bare'. */
async function listen(): Promise<number> {
  if (dist === 'bare') return startBareRelay(upstreamPort);
  const { RelayServer } = (await import(`${dist}/edge/http/relay-server.js`)) as typeof import('../edge/http/relay-server.js');
  const { ProxyForwarder } = (await import(`${dist}/edge/sources/proxy-forwarder.js`)) as typeof import('../edge/sources/proxy-forwarder.js');
  const forwarder = new ProxyForwarder({
    upstream: `http://127.0.0.1:${upstreamPort}`, tapPath: '/not-tapped', camera: 'bench',
    maxTapBytes: 16 << 20, maxTapBytesInFlight: 64 << 20, maxTapsAhead: 40, upstreamTimeoutMs: 60_000,
  }, { refused: () => undefined, skipped: () => undefined, problem: () => undefined, tapped: () => undefined });
  const relay = new RelayServer({
    forwarder: () => forwarder, servesLocally: () => false,
    localConnection: () => { throw new Error('no routes of its own'); },
    keepAliveTimeoutMs: 5_000, headersTimeoutMs: 10_000, requestTimeoutMs: 60_000,
  });
  return (await relay.listen('127.0.0.1', 0)).port;
}
let profiling = false;
let tracing = false;
const clientReads: number[] = [], upstreamWrites: number[] = [];
const now = () => performance.timeOrigin + performance.now();
// Reads: 'data' emitted by a connection the relay accepted (its local port is the relay's).
const emit = Socket.prototype.emit;
Socket.prototype.emit = function (this: Socket, event: string | symbol, ...args: unknown[]): boolean {
  if (tracing && event === 'data' && this.localPort === relayPort) clientReads.push(now());
  return (emit as (this: Socket, event: string | symbol, ...rest: unknown[]) => boolean).call(this, event, ...args);
} as typeof Socket.prototype.emit;
// Writes to the upstream: their completion, when the kernel took the bytes.
const write = Socket.prototype._write;
Socket.prototype._write = function (this: Socket, chunk: unknown, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
  if (tracing && this.remotePort === upstreamPort) return write.call(this, chunk, encoding, (error?: Error | null) => { upstreamWrites.push(now()); callback(error); });
  return write.call(this, chunk, encoding, callback);
};
const writev = Socket.prototype._writev!;
Socket.prototype._writev = function (this: Socket, chunks: Array<{ chunk: unknown; encoding: BufferEncoding }>, callback: (error?: Error | null) => void): void {
  if (tracing && this.remotePort === upstreamPort) return writev.call(this, chunks, (error?: Error | null) => { upstreamWrites.push(now()); callback(error); });
  return writev.call(this, chunks, callback);
};
const session = new Session();
session.connect();
const port = await listen();
const relayPort = port;
process.send!({ port });
process.on('message', (message) => {
  void (async () => {
    if (message === 'start' || message === 'start-timing') {
      scavenges = 0;
      otherGcs = 0;
      gcs.length = 0;
      profiling = message === 'start';
      tracing = !profiling;
      clientReads.length = 0;
      upstreamWrites.length = 0;
      if (!profiling) {
        process.send!('started');
        return;
      }
      await session.post('HeapProfiler.startSampling', { samplingInterval: 128, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
      process.send!('started');
    } else if (message === 'stop') {
      let bytes = 0;
      if (profiling) {
        const { profile } = await session.post('HeapProfiler.stopSampling');
        const add = (node: ProfileNode): void => { bytes += node.selfSize; node.children.forEach(add); };
        add(profile.head as ProfileNode);
      }
      tracing = false;
      process.send!({ bytes, scavenges, otherGcs, gcs, clientReads, upstreamWrites });
    }
  })();
});
