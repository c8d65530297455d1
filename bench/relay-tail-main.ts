// Which of the slowest calls through the proxy's relay code meet one of its
// garbage collections (not part of `npm run bench`):
//   node dist/bench/relay-tail-main.js [--calls 2000] [--rate 30] [--upstream-ms 5] [--verbose] [--bare]
// (--bare: a bare byte relay, as bench/relay-proxy.ts, instead of the relay code)
// Sequential 75 KiB POSTs go through the relay code (relay-allocation-child.ts,
// its own process, no profiler) to a local model answering after
// --upstream-ms, 300 to warm up, then `calls` timed, n a second with --rate or
// back to back. Each call's start and end, and each of the relay's GCs, are
// taken on the same clock (ms since the epoch); a call meets a GC when their
// intervals overlap. The model notes when each request's body has arrived and
// when it sent the answer, so each call splits into the way there (client to
// model, through the relay), the model's wait, and the way back. The same
// calls made directly to the model, in alternate blocks of 100, are the
// reference. Printed: p50 and p99, how many of all calls and of the slowest
// 1% met a GC, and the median way there and back of all calls and of the
// slowest 1%, through the relay and direct.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Agent as HttpAgent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface Call { start: number; end: number; there: number; back: number; answered: number }

const { values } = parseArgs({ options: { bare: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false }, calls: { type: 'string', default: '2000' }, rate: { type: 'string' }, 'upstream-ms': { type: 'string', default: '5' } } });
const calls = Number(values.calls), upstreamMs = Number(values['upstream-ms']), rate = values.rate === undefined ? undefined : Number(values.rate);
if (!Number.isSafeInteger(calls) || calls < 100) throw new RangeError('--calls must be an integer of at least 100');
if (!(upstreamMs >= 0) || (rate !== undefined && !(rate > 0))) throw new RangeError('--upstream-ms must be ≥ 0 and --rate > 0');

const body = Buffer.alloc(75 * 1024, 7);
const now = () => performance.timeOrigin + performance.now();
// Per call, in order (calls are sequential): [body arrived, answer sent].
const modelTimes: Array<[number, number]> = [];
const model = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const arrived = now();
    setTimeout(() => {
      res.end('{"ok":true}');
      modelTimes.push([arrived, now()]);
    }, upstreamMs);
  });
});
await new Promise<void>((resolve) => model.listen(0, '127.0.0.1', resolve));
const client = new HttpAgent({ keepAlive: true, maxSockets: 1 });
const post = (port: number) => new Promise<Call>((resolve, reject) => {
  const started = now();
  const call = request({ host: '127.0.0.1', port, path: '/predict', method: 'POST', agent: client, headers: { 'content-type': 'image/jpeg', 'content-length': body.length } }, (response) => {
    response.resume();
    response.on('end', () => {
      const [arrived, answered] = modelTimes.shift()!;
      resolve({ start: started, end: now(), there: arrived - started, back: 0, answered } as Call);
    });
  });
  call.on('error', reject);
  call.end(body);
});

const relay = fork(fileURLToPath(new URL('./relay-allocation-child.js', import.meta.url)), [values.bare ? 'bare' : fileURLToPath(new URL('..', import.meta.url)), String((model.address() as AddressInfo).port)]);
const [{ port }] = (await once(relay, 'message')) as [{ port: number }];
const modelPort = (model.address() as AddressInfo).port;
for (let i = 0; i < 300; i++) await post(port);
for (let i = 0; i < 100; i++) await post(modelPort);
relay.send('start-timing');
await once(relay, 'message');
const timed: Call[] = [], direct: Call[] = [];
const first = performance.now();
for (let i = 0; i < 2 * calls; i++) {
  if (rate !== undefined) {
    const wait = first + (1000 * i) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const throughRelay = Math.floor(i / 100) % 2 === 0;
  const call = await post(throughRelay ? port : modelPort);
  call.back = call.end - call.answered;
  (throughRelay ? timed : direct).push(call);
}
relay.send('stop');
const [{ gcs, scavenges, otherGcs, clientReads, upstreamWrites }] = (await once(relay, 'message')) as [{ gcs: Array<[number, number]>; scavenges: number; otherGcs: number; clientReads: number[]; upstreamWrites: number[] }];
relay.kill();
client.destroy();
model.close();

const ms = (call: Call) => call.end - call.start;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const metGc = (call: Call) => gcs.some(([at, length]) => at < call.end && at + length > call.start);
function describe(name: string, sample: Call[]): string {
  const byTime = [...sample].sort((a, b) => ms(a) - ms(b));
  const slowest = byTime.slice(sample.length - Math.ceil(sample.length / 100));
  const ways = (some: Call[]) => `there ${median(some.map((c) => c.there)).toFixed(2)}, back ${median(some.map((c) => c.back)).toFixed(2)}`;
  return `${name}: p50 ${ms(byTime[Math.floor(sample.length / 2)]).toFixed(2)} ms, p99 ${ms(slowest[0]).toFixed(2)} ms; median ms all calls ${ways(sample)}; the slowest ${slowest.length} ${ways(slowest)}`;
}
// The way there through the relay, in four steps: until the relay read the first bytes, while it read the rest, until
// its last write upstream completed, until the model had the whole body.
function steps(call: Call): [number, number, number, number] | undefined {
  const arrived = call.start + call.there;
  const reads = clientReads.filter((t) => t >= call.start && t <= arrived);
  const writes = upstreamWrites.filter((t) => t >= call.start && t <= arrived);
  if (reads.length === 0 || writes.length === 0) return undefined;
  const [r0, r1, w1] = [reads[0], reads[reads.length - 1], writes[writes.length - 1]];
  return [r0 - call.start, r1 - r0, w1 - r1, arrived - w1];
}
function stepMedians(some: Call[]): string {
  const known = some.map(steps).filter((s): s is [number, number, number, number] => s !== undefined);
  const at = (k: number) => median(known.map((s) => s[k])).toFixed(2);
  return `to the relay's first read ${at(0)}, reading ${at(1)}, to the last write upstream done ${at(2)}, to the model ${at(3)} (${known.length} calls)`;
}
const slowestRelayed = [...timed].sort((a, b) => ms(a) - ms(b)).slice(timed.length - Math.ceil(timed.length / 100));
const gcMs = gcs.map(([, d]) => d).sort((a, b) => a - b);
process.stdout.write(`${calls} calls each way ${rate === undefined ? 'back to back' : `at ${rate} a second`}, model ${upstreamMs} ms\n`
  + `  ${describe(values.bare ? 'through the bare relay' : 'through the relay code', timed)}\n  ${describe('direct', direct)}\n`
  + (values.verbose ? `  the slowest, one by one (ms: total; there = first read + reading + last write + to the model; model; back):\n${slowestRelayed.map((c) => `    ${ms(c).toFixed(2)}; ${c.there.toFixed(2)} = ${(steps(c) ?? []).map((v) => v.toFixed(2)).join(' + ')}; ${(c.end - c.start - c.there - c.back).toFixed(2)}; ${c.back.toFixed(2)}`).join('\n')}\n` : '')
  + `  the way there, median ms, all relayed calls: ${stepMedians(timed)}\n  the slowest ${slowestRelayed.length}: ${stepMedians(slowestRelayed)}\n`
  + `  relay GCs: ${scavenges} scavenges, ${otherGcs} others, median ${(gcMs[Math.floor(gcMs.length / 2)] ?? 0).toFixed(2)} ms, longest ${(gcMs[gcMs.length - 1] ?? 0).toFixed(2)} ms; `
  + `relayed calls that met one: ${timed.filter(metGc).length} of ${timed.length}, ${[...timed].sort((a, b) => ms(a) - ms(b)).slice(timed.length - Math.ceil(timed.length / 100)).filter(metGc).length} of the slowest ${Math.ceil(timed.length / 100)}\n`);
