// A third floor for the proxy latency bench: the agent's own relay code
// (RelayServer with the proxy: source's ProxyForwarder, nothing tapped) in a
// plain process of its own, on its main thread, with Node's default V8 flags:
// no agent around it, no relay thread, no measuring. Beside the bare byte
// relay (relay-proxy.ts) it shows what the relay's own per-call code costs;
// beside the agent's untapped path, what the agent around that code costs.
//   node dist/bench/relay-code-proxy.js <upstream port>   (prints {"port": N} once listening)
import { RelayServer } from '../edge/http/relay-server.js';
import { ProxyForwarder } from '../edge/sources/proxy-forwarder.js';
import { DEFAULT_MAX_BODY_BYTES } from '../edge/http/listen-server.js';

const upstreamPort = Number(process.argv[2]);
if (!Number.isSafeInteger(upstreamPort) || upstreamPort < 1) throw new RangeError('usage: relay-code-proxy.js <upstream port>');

const forwarder = new ProxyForwarder({
  // The bench calls /predict: another tap path leaves every call untapped, as on the agent's untapped path.
  upstream: `http://127.0.0.1:${upstreamPort}`, tapPath: '/not-tapped', camera: 'bench',
  maxTapBytes: DEFAULT_MAX_BODY_BYTES, maxTapBytesInFlight: 4 * DEFAULT_MAX_BODY_BYTES, maxTapsAhead: 40, upstreamTimeoutMs: 60_000,
}, {
  refused: () => undefined, skipped: () => undefined, problem: () => undefined, tapped: () => undefined,
});
const relay = new RelayServer({
  forwarder: () => forwarder,
  servesLocally: () => false,
  localConnection: () => { throw new Error('relay-code-proxy serves no routes of its own'); },
  keepAliveTimeoutMs: 5_000, headersTimeoutMs: 10_000, requestTimeoutMs: 60_000,
});
const { port } = await relay.listen('127.0.0.1', 0);
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => process.exit(0));
