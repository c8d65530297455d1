// The proxy's relay thread (started by proxy-thread.ts): owns the listening
// socket, forwards inference calls to the upstream with the byte relay, and
// hands the agent's own requests (metrics, health, ingest) back to the
// agent's thread through in-memory connections. Nothing the agent does in
// its own thread (drift checks, checkpoints, garbage collection of its heap)
// can then hold up a forwarded call. Tapped exchanges are posted to the
// agent's thread once they are over; their bytes move, they are not copied.
import { parentPort, workerData } from 'node:worker_threads';
import type { Socket } from 'node:net';
import { RelayServer } from '../http/relay-server.js';
import { servedLocally, type RouteSnapshot } from '../http/route-snapshot.js';
import { ThreadStreams, type StreamMessage } from '../http/thread-stream.js';
import type { ListenAddress, RelaySettings } from '../http/listen-server.js';
import { ProxyForwarder, type ProxyForwardOptions, type TappedExchange } from './proxy-forwarder.js';
import type { FromRelayThread, ToRelayThread } from './proxy-thread-messages.js';
import { applyV8Flags } from '../v8-flags.js';

if (!parentPort) throw new Error('proxy-worker.js runs as a worker thread');
const port = parentPort;
const { address, settings, forward, v8Flags } = workerData as { address: ListenAddress; settings: RelaySettings; forward: ProxyForwardOptions; v8Flags: string[] };
// Starting this thread undid the agent's V8 flags (v8-flags.ts).
applyV8Flags(v8Flags);

const post = (message: FromRelayThread, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
const streams = new ThreadStreams((message, transfer) => post(message, transfer));
let routes: RouteSnapshot = settings.routes;
let forwarding = true;
let nextStream = 0;

// Tapped frames handed to the agent's thread and not yet settled there. The
// agent's queue cannot refuse what has not reached it: while the agent's
// thread is busy, taps would wait in the message port without bound. Past
// this many, the relay taps nothing (the call is still forwarded) and the
// frame counts as refused, as a full queue would.
let unsettled = 0;

const forwarder = new ProxyForwarder(forward, {
  refuseIfFull: () => unsettled >= forward.maxTapsAhead,
  refused: (camera) => post({ t: 'refused', camera }),
  skipped: (reason) => post({ t: 'skipped', reason }),
  problem: (origin, reason, message) => post({ t: 'problem', origin, reason, message }),
  tapped: (exchange: TappedExchange) => {
    unsettled++;
    post({ t: 'tapped', exchange }, [...movable(exchange.request), ...movable(exchange.response)]);
  },
});

const relay = new RelayServer({
  forwarder: () => (forwarding ? forwarder : undefined),
  servesLocally: (target) => servedLocally(routes, target),
  localConnection: (client: Socket) => {
    const id = nextStream++;
    const stream = streams.create(id);
    post({ t: 'open', id, peer: { remoteAddress: client.remoteAddress, remotePort: client.remotePort, remoteFamily: client.remoteFamily, localAddress: client.localAddress, localPort: client.localPort } });
    return stream;
  },
  keepAliveTimeoutMs: settings.keepAliveTimeoutMs,
  headersTimeoutMs: settings.headersTimeoutMs,
  requestTimeoutMs: settings.requestTimeoutMs,
});

port.on('message', (message: ToRelayThread) => {
  switch (message.t) {
    case 'data': case 'end': case 'destroy':
      streams.receive(message as StreamMessage);
      break;
    case 'routes':
      routes = message.routes;
      break;
    case 'forwarding':
      forwarding = message.on;
      break;
    case 'recycle':
      for (const buffer of message.buffers) forwarder.memory.give(buffer);
      unsettled = Math.max(0, unsettled - message.settled);
      break;
    case 'close':
      void relay.close(message.graceMs).then(() => {
        forwarder.close();
        streams.destroyAll();
        post({ t: 'closed' });
      });
      break;
  }
});

relay.listen(address.host, address.port).then(
  (info) => post({ t: 'listening', address: { host: info.address, port: info.port } }),
  (error: Error) => post({ t: 'listen-failed', message: error.message }),
);

/** The buffer behind a tapped body: its own (TapBuffer.take), so it can move rather than be copied. */
function movable(bytes: Uint8Array | undefined): ArrayBuffer[] {
  return bytes && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
}
