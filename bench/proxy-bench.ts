// What the proxy: sidecar adds to an inference call: a 112 KB JPEG POSTed to
// a loopback "inference service" that answers at once (the worst case for
// relative overhead; a real model takes milliseconds to seconds), directly,
// through the proxy on an untapped path, and through the proxy on the
// tapped path with the tap feeding a queue that a consumer empties; beside
// a bare node:http pipe proxy (no header filtering, no tap) as the peer, since
// any proxy pays for a second hop.
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { ListenServer } from '../edge/http/listen-server.js';
import { ProxySource } from '../edge/sources/proxy-source.js';
import { FrameQueue } from '../edge/queue/frame-queue.js';
import { timeInterleaved, type BenchTable } from './timing.js';

const CALLS_PER_ROUND = 20;

function post(agent: Agent, port: number, path: string, body: Uint8Array, type: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const call = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': type, 'content-length': body.byteLength } }, (response) => {
      response.resume();
      response.on('end', resolve);
    });
    call.on('error', reject);
    call.end(body);
  });
}

export async function runProxyBench(log: (line: string) => void, rounds = 15): Promise<BenchTable> {
  const image = new Uint8Array(await readFile(new URL('../../samples/rocket.jpg', import.meta.url)));
  const answer = JSON.stringify({ label: 'rocket', score: 0.875 });
  const upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) }).end(answer));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamPort = (upstream.address() as AddressInfo).port;
  const server = new ListenServer({ host: '127.0.0.1', port: 0 });
  const queue = new FrameQueue();
  const source = new ProxySource(server, { upstream: new URL(`http://127.0.0.1:${upstreamPort}`), tapPath: '/predict', camera: 'bench' });
  await source.start(queue);
  const proxyPort = (await server.listen()).port;
  let consumed = 0;
  const consumer = (async () => {
    for (;;) {
      try {
        await queue.take();
        consumed += 1;
      } catch {
        return;
      }
    }
  })();
  // The peer: the least a Node reverse proxy can do.
  const bareAgent = new Agent({ keepAlive: true });
  const bare = createServer((req, res) => {
    const forward = request({ host: '127.0.0.1', port: upstreamPort, path: req.url, method: req.method, headers: req.headers, agent: bareAgent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const barePort = (bare.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const calls = (port: number, path: string) => async () => {
    for (let i = 0; i < CALLS_PER_ROUND; i += 1) await post(agent, port, path, image, 'image/jpeg');
  };
  log(`proxy overhead: ${image.byteLength}-byte JPEG, ${CALLS_PER_ROUND} sequential calls × ${rounds} interleaved rounds`);
  const medians = await timeInterleaved([
    { name: 'direct to the upstream', run: calls(upstreamPort, '/predict') },
    { name: 'bare node:http pipe proxy (peer)', run: calls(barePort, '/predict') },
    { name: 'through the proxy, untapped path', run: calls(proxyPort, '/other') },
    { name: 'through the proxy, tapped path', run: calls(proxyPort, '/predict') },
  ], rounds);
  queue.close();
  await consumer;
  agent.destroy();
  bareAgent.destroy();
  bare.closeAllConnections();
  await new Promise((resolve) => bare.close(resolve));
  await server.close();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
  const direct = medians.get('direct to the upstream')! / CALLS_PER_ROUND;
  const peer = medians.get('bare node:http pipe proxy (peer)')! / CALLS_PER_ROUND;
  const rows = [...medians].map(([name, total]) => {
    const perCall = total / CALLS_PER_ROUND;
    return {
      path: name,
      'ms per call (median round)': perCall.toFixed(3),
      'added ms vs direct': (perCall - direct).toFixed(3),
      'vs bare proxy': `${(perCall / peer).toFixed(2)}×`,
    };
  });
  const stats = source.counters.snapshot();
  log(`tapped frames offered ${stats.offered}, refused ${stats.refused}, consumed ${consumed}, errors ${JSON.stringify(stats.errors)}`);
  return { title: `proxy: sidecar overhead per inference call (loopback upstream answering at once; tap offered ${stats.offered}, refused ${stats.refused})`, rows };
}
