// How much JavaScript heap the proxy's relay code allocates per call, and how
// many scavenges that costs (not part of `npm run bench`; about a minute):
//   node dist/bench/relay-allocation-main.js [--before <other build>/dist] [--calls 2000] [--rounds 3]
// Sequential 75 KiB POSTs go through the relay code (relay-allocation-child.ts,
// its own process) to a local model answering after 1 ms, 300 to warm up,
// then `calls` counted. The bytes are V8's sampling heap profiler's estimate
// of everything allocated (128-byte interval); the profiler slows each
// scavenge, so their count is the figure, not their length. With --before,
// another build's relay code is measured in alternate rounds.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Agent as HttpAgent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { before: { type: 'string' }, calls: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '3' } } });
const calls = Number(values.calls), rounds = Number(values.rounds);
if (!Number.isSafeInteger(calls) || calls < 1 || !Number.isSafeInteger(rounds) || rounds < 1) throw new RangeError('--calls and --rounds must be positive integers');
const thisBuild = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const builds: Array<[string, string]> = [['this build', thisBuild], ...(values.before ? [['before', values.before.replace(/\/$/, '')] as [string, string]] : [])];

const body = Buffer.alloc(75 * 1024, 7);
const model = createServer((req, res) => {
  req.resume();
  req.on('end', () => setTimeout(() => res.end('{"ok":true}'), 1));
});
await new Promise<void>((resolve) => model.listen(0, '127.0.0.1', resolve));
const modelPort = (model.address() as AddressInfo).port;
const client = new HttpAgent({ keepAlive: true, maxSockets: 1 });
const post = (port: number) => new Promise<void>((resolve, reject) => {
  const call = request({ host: '127.0.0.1', port, path: '/predict', method: 'POST', agent: client, headers: { 'content-type': 'image/jpeg', 'content-length': body.length } }, (response) => {
    response.resume();
    response.on('end', resolve);
  });
  call.on('error', reject);
  call.end(body);
});

const child = fileURLToPath(new URL('./relay-allocation-child.js', import.meta.url));
for (let round = 0; round < rounds; round++) {
  for (const [name, dist] of builds) {
    const relay = fork(child, [dist, String(modelPort)]);
    const [{ port }] = (await once(relay, 'message')) as [{ port: number }];
    for (let i = 0; i < 300; i++) await post(port);
    relay.send('start');
    await once(relay, 'message');
    for (let i = 0; i < calls; i++) await post(port);
    relay.send('stop');
    const [result] = (await once(relay, 'message')) as [{ bytes: number; scavenges: number; otherGcs: number }];
    relay.kill();
    process.stdout.write(`${name}, round ${round + 1}: ${(result.bytes / calls / 1024).toFixed(1)} KiB allocated a call; ${result.scavenges} scavenges and ${result.otherGcs} other GCs over ${calls} calls\n`);
  }
}
client.destroy();
model.close();
