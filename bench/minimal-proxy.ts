// The floor for the proxy latency bench: the least a node:http reverse proxy
// does (kept-alive upstream connections, the request and the answer piped,
// headers passed as they came), run as its own process like the agent. What
// it adds to a call is what any Node sidecar pays on this machine; the
// agent's proxy: source is compared with it in the same run.
//   node dist/bench/minimal-proxy.js <upstream port>   (prints {"port": N} once listening)
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

const upstreamPort = Number(process.argv[2]);
if (!Number.isSafeInteger(upstreamPort) || upstreamPort < 1) throw new RangeError('usage: minimal-proxy.js <upstream port>');
const agent = new Agent({ keepAlive: true });

const server = createServer((clientRequest, clientResponse) => {
  const upstreamRequest = request({
    host: '127.0.0.1', port: upstreamPort, method: clientRequest.method, path: clientRequest.url, agent,
    headers: { ...clientRequest.headers, connection: 'keep-alive' },
  }, (upstreamResponse) => {
    clientResponse.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
    upstreamResponse.pipe(clientResponse);
  });
  upstreamRequest.on('error', () => clientResponse.destroy());
  clientRequest.pipe(upstreamRequest);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  agent.destroy();
});
