// The messages between the agent's thread and the proxy's relay thread
// (proxy-thread.ts and proxy-worker.ts).
import type { ListenAddress, PeerAddress } from '../http/listen-server.js';
import type { RouteSnapshot } from '../http/route-snapshot.js';
import type { StreamMessage } from '../http/thread-stream.js';
import type { TappedExchange } from './proxy-forwarder.js';

export type ToRelayThread =
  | StreamMessage
  | { t: 'routes'; routes: RouteSnapshot }
  | { t: 'forwarding'; on: boolean }
  /** Tap buffers the agent is done with, moved back for reuse (tap-memory.ts), and how many tapped frames it settled. */
  | { t: 'recycle'; buffers: ArrayBuffer[]; settled: number }
  | { t: 'close'; graceMs: number };

export type FromRelayThread =
  | StreamMessage
  | { t: 'listening'; address: ListenAddress }
  | { t: 'listen-failed'; message: string }
  /** A connection for the agent's own routes: the first message of stream `id`. */
  | { t: 'open'; id: number; peer: PeerAddress }
  | { t: 'tapped'; exchange: TappedExchange }
  | { t: 'refused'; camera: string }
  | { t: 'skipped'; reason: string }
  | { t: 'problem'; origin: string; reason: string; message: string }
  | { t: 'closed' };
