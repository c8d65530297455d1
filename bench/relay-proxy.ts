// A second floor for the proxy latency bench: a bare byte relay (net, one
// upstream connection per client connection, bytes piped both ways with
// Nagle off), run as its own process. It parses nothing, so what it adds to
// a call is what any user-space relay pays here: two more socket hops and
// one more event loop to schedule. The agent's proxy is compared with it.
//   node dist/bench/relay-proxy.js <upstream port>   (prints {"port": N} once listening)
import { connect, createServer, type AddressInfo } from 'node:net';

const upstreamPort = Number(process.argv[2]);
if (!Number.isSafeInteger(upstreamPort) || upstreamPort < 1) throw new RangeError('usage: relay-proxy.js <upstream port>');

const server = createServer({ noDelay: true }, (client) => {
  const upstream = connect({ host: '127.0.0.1', port: upstreamPort, noDelay: true });
  client.pipe(upstream);
  upstream.pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
