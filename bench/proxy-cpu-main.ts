// CPU time a proxy's forwarding thread spends per inference call: a figure
// a busy machine distorts far less than latency percentiles, because it
// counts the thread's own work (utime + stime from /proc/<pid>/task/<pid>/stat)
// and not the time it waited for a core. Paths as in proxy-latency.ts: the
// minimal node:http proxy (the floor), the agent's untapped path and its
// tapped path (whose frames also cost the forwarding thread the tap, the
// monitor's update and its checks; decoding runs in the worker and is not
// counted). One client, sequential calls, rounds interleaved; after each
// burst a pause lets the agent finish the frames it took. Linux only; not
// part of `npm run bench` (about 1 minute). Also the bare Node byte relay
// (bench/relay-proxy.ts), and with --before <other build>/dist/edge/cli.js
// a second agent from that build, so that two builds are compared in one run.
//   node dist/bench/proxy-cpu-main.js [--rounds 5] [--per-round 200] [--size 640x480] [--before <cli.js>]
import { Agent as HttpAgent } from 'node:http';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AgentChild, REPO_ROOT } from './agent-child.js';
import { frameJpeg, minimalProxy, slowModel, timedPost } from './proxy-latency.js';
import type { AddressInfo } from 'node:net';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, 'per-round': { type: 'string', default: '200' }, size: { type: 'string', default: '640x480' }, before: { type: 'string' } } });
const rounds = Number(values.rounds);
const perRound = Number(values['per-round']);
const [width, height] = values.size.split('x').map(Number);
const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux

/** CPU seconds (user + system) of one thread so far. */
async function threadCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

const model = slowModel(5);
await new Promise<void>((resolve) => model.listen(0, '127.0.0.1', resolve));
const modelPort = (model.address() as AddressInfo).port;
const floor = await minimalProxy(modelPort);
const relayFloor = await minimalProxy(modelPort, 'relay-proxy.js');
const state = await mkdtemp(join(tmpdir(), 'driftwatch-proxy-cpu-'));
const agent = new AgentChild([
  '--device', 'bench', '--camera', 'coffee-cam', '--source', `proxy:http://127.0.0.1:${modelPort}/predict`,
  '--baseline', join(REPO_ROOT, 'samples/demo/coffee-cam.dwb'), '--state-dir', state, '--listen', '127.0.0.1:0', '--no-stdout',
]);
const before = values.before === undefined ? undefined : new AgentChild([
  '--device', 'bench', '--camera', 'coffee-cam', '--source', `proxy:http://127.0.0.1:${modelPort}/predict`,
  '--baseline', join(REPO_ROOT, 'samples/demo/coffee-cam.dwb'), '--state-dir', join(state, 'before'), '--listen', '127.0.0.1:0', '--no-stdout',
], { cli: values.before });
try {
  const agentPort = await agent.listening;
  const beforePort = before ? await before.listening : 0;
  const jpeg = await frameJpeg(width, height);
  const http = new HttpAgent({ keepAlive: true, maxSockets: 1 });
  const arms = [
    { name: 'minimal node:http proxy', pid: floor.child.pid!, port: floor.port, path: '/predict', cpu: 0, calls: 0 },
    { name: 'agent, untapped path', pid: agent.pid, port: agentPort, path: '/other', cpu: 0, calls: 0 },
    { name: 'agent, tapped path', pid: agent.pid, port: agentPort, path: '/predict', cpu: 0, calls: 0 },
    { name: 'Node byte relay', pid: relayFloor.child.pid!, port: relayFloor.port, path: '/predict', cpu: 0, calls: 0 },
    ...(before ? [
      { name: 'other build, untapped path', pid: before.pid, port: beforePort, path: '/other', cpu: 0, calls: 0 },
      { name: 'other build, tapped path', pid: before.pid, port: beforePort, path: '/predict', cpu: 0, calls: 0 },
    ] : []),
  ];
  for (let round = -1; round < rounds; round++) {
    for (let i = 0; i < arms.length; i++) {
      const arm = arms[(i + Math.max(round, 0)) % arms.length];
      const before = await threadCpuSeconds(arm.pid);
      for (let call = 0; call < perRound; call++) await timedPost(http, arm.port, arm.path, jpeg);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (round < 0) continue; // warm-up
      arm.cpu += (await threadCpuSeconds(arm.pid)) - before;
      arm.calls += perRound;
    }
  }
  http.destroy();
  process.stdout.write(`Run ${new Date().toISOString()}, ${width}×${height} JPEG (${(jpeg.byteLength / 1024).toFixed(0)} KiB), ${rounds} rounds of ${perRound} sequential calls per path, load average ${loadavg()[0].toFixed(2)} at the end.\n\n| path | forwarding thread CPU ms per call |\n|---|---|\n`);
  for (const arm of arms) process.stdout.write(`| ${arm.name} | ${((1000 * arm.cpu) / arm.calls).toFixed(2)} |\n`);
} finally {
  await agent.stop();
  await before?.stop();
  floor.child.kill('SIGTERM');
  relayFloor.child.kill('SIGTERM');
  model.closeAllConnections();
  model.close();
  await rm(state, { recursive: true, force: true });
}
