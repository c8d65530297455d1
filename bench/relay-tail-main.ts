// Which of the slowest calls through the proxy's relay code meet one of its
// garbage collections (not part of `npm run bench`):
//   node dist/bench/relay-tail-main.js [--calls 2000] [--rate 30] [--upstream-ms 5]
// Sequential 75 KiB POSTs go through the relay code (relay-allocation-child.ts,
// its own process, no profiler) to a local model answering after
// --upstream-ms, 300 to warm up, then `calls` timed, n a second with --rate or
// back to back. Each call's start and end, and each of the relay's GCs, are
// taken on the same clock (ms since the epoch); a call meets a GC when their
// intervals overlap. Printed: p50 and p99, and how many of all calls and of
// the slowest 1% met a GC.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Agent as HttpAgent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '2000' }, rate: { type: 'string' }, 'upstream-ms': { type: 'string', default: '5' } } });
const calls = Number(values.calls), upstreamMs = Number(values['upstream-ms']), rate = values.rate === undefined ? undefined : Number(values.rate);
if (!Number.isSafeInteger(calls) || calls < 100) throw new RangeError('--calls must be an integer of at least 100');
if (!(upstreamMs >= 0) || (rate !== undefined && !(rate > 0))) throw new RangeError('--upstream-ms must be ≥ 0 and --rate > 0');

const body = Buffer.alloc(75 * 1024, 7);
const model = createServer((req, res) => {
  req.resume();
  req.on('end', () => setTimeout(() => res.end('{"ok":true}'), upstreamMs));
});
await new Promise<void>((resolve) => model.listen(0, '127.0.0.1', resolve));
const client = new HttpAgent({ keepAlive: true, maxSockets: 1 });
const now = () => performance.timeOrigin + performance.now();
const post = (port: number) => new Promise<[number, number]>((resolve, reject) => {
  const started = now();
  const call = request({ host: '127.0.0.1', port, path: '/predict', method: 'POST', agent: client, headers: { 'content-type': 'image/jpeg', 'content-length': body.length } }, (response) => {
    response.resume();
    response.on('end', () => resolve([started, now()]));
  });
  call.on('error', reject);
  call.end(body);
});

const relay = fork(fileURLToPath(new URL('./relay-allocation-child.js', import.meta.url)), [fileURLToPath(new URL('..', import.meta.url)), String((model.address() as AddressInfo).port)]);
const [{ port }] = (await once(relay, 'message')) as [{ port: number }];
for (let i = 0; i < 300; i++) await post(port);
relay.send('start-timing');
await once(relay, 'message');
const timed: Array<[number, number]> = [];
const first = performance.now();
for (let i = 0; i < calls; i++) {
  if (rate !== undefined) {
    const wait = first + (1000 * i) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  timed.push(await post(port));
}
relay.send('stop');
const [{ gcs, scavenges, otherGcs }] = (await once(relay, 'message')) as [{ gcs: Array<[number, number]>; scavenges: number; otherGcs: number }];
relay.kill();
client.destroy();
model.close();

const metGc = ([start, end]: [number, number]) => gcs.some(([at, ms]) => at < end && at + ms > start);
const byTime = [...timed].sort((a, b) => (a[1] - a[0]) - (b[1] - b[0]));
const ms = (call: [number, number]) => call[1] - call[0];
const slowest = byTime.slice(calls - Math.ceil(calls / 100));
const gcMs = gcs.map(([, d]) => d).sort((a, b) => a - b);
process.stdout.write(`${calls} calls ${rate === undefined ? 'back to back' : `at ${rate} a second`}, model ${upstreamMs} ms: p50 ${ms(byTime[Math.floor(calls / 2)]).toFixed(2)} ms, p99 ${ms(slowest[0]).toFixed(2)} ms; `
  + `relay GCs: ${scavenges} scavenges, ${otherGcs} others, median ${(gcMs[Math.floor(gcMs.length / 2)] ?? 0).toFixed(2)} ms, longest ${(gcMs[gcMs.length - 1] ?? 0).toFixed(2)} ms; `
  + `calls that met one: ${timed.filter(metGc).length} of ${calls}, ${slowest.filter(metGc).length} of the slowest ${slowest.length}\n`);
