// A second floor for the proxy latency bench: a bare byte relay (net, one
// upstream connection per client connection, bytes piped both ways with
// Nagle off), run as its own process. It parses nothing, so what it adds to
// a call is what any user-space relay pays here: two more socket hops and
// one more event loop to schedule. The agent's proxy is compared with it.
//   node dist/bench/relay-proxy.js <upstream port>   (prints {"port": N} once listening)
import { startBareRelay } from './bare-relay.js';

const upstreamPort = Number(process.argv[2]);
if (!Number.isSafeInteger(upstreamPort) || upstreamPort < 1) throw new RangeError('usage: relay-proxy.js <upstream port>');

const port = await startBareRelay(upstreamPort);
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => process.exit(0));
