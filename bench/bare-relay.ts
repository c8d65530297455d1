// A bare byte relay (net, one upstream connection per client connection,
// bytes piped both ways with Nagle off): it parses nothing. The proxy
// benches' floor (relay-proxy.ts) and relay-tail-main.ts's --bare.
import { connect, createServer, type AddressInfo } from 'node:net';

/** Listens on a free loopback port and relays each connection to 127.0.0.1:upstreamPort; resolves with the port. */
export async function startBareRelay(upstreamPort: number): Promise<number> {
  const server = createServer({ noDelay: true }, (client) => {
    const upstream = connect({ host: '127.0.0.1', port: upstreamPort, noDelay: true });
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}
