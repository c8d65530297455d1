// The proxy: sidecar's added latency percentiles, alone (about 2 minutes; not
// part of `npm run bench`):
//   node dist/bench/proxy-latency-main.js [--agent-cpus 1] [--rounds 20] [--per-round 100]
//        [--clients 1,4] [--sizes 640x480,1920x1080] [--upstream-ms 5]
//        [--paths direct,minimal,relay,relay-code,socat,untapped,tapped] [--rate 30]
//        [--baseline b.dwb] [--before <cli.js>] [--before-baseline b.dwb]
//        [--node-args='...'] [--before-node-args='...']
// --paths direct,untapped times the proxy with nothing tapped (the agent idle);
// minimal is a bare node:http proxy (bench/minimal-proxy.ts), relay a bare Node
// byte relay (bench/relay-proxy.ts) and socat a C relay (when /usr/bin/socat
// exists): the floors. relay-code is the agent's own relay code alone in a
// plain process (bench/relay-code-proxy.ts): between the bare relay and the
// agent's untapped path. --before <other checkout>/dist/edge/cli.js runs a
// second agent from another build, timed as the paths before-untapped and
// before-tapped (add them to --paths): two builds compared in one run.
// --baseline <file.dwb> gives the agent another baseline than the demo's (its
// recorded decode scale is the one the agent measures at); --before-baseline
// <file.dwb> gives the second agent one, and alone runs this build as the
// second agent: two baselines (say, two decode scales) compared in one run.
// --node-args='<options>' runs the agent with those Node options (space-
// separated; the '=' is needed since the value starts with a dash),
// --before-node-args='<options>' the second agent, and alone runs this build
// as the second agent: two sets of V8 flags compared in one run.
// --rate <n> starts n calls a second on each path (a camera's frame rate)
// instead of back to back.
// Run it as `taskset -c 0 node ...` with --agent-cpus 1 to give the proxies
// (the agent and the floors alike) one core and the clients (with the model)
// the other.
import { parseArgs } from 'node:util';
import os from 'node:os';
import { LATENCY_PATHS, latencyTable, runProxyLatency } from './proxy-latency.js';
import { markdownTable } from './timing.js';

const { values } = parseArgs({
  options: {
    'agent-cpus': { type: 'string' },
    rounds: { type: 'string', default: '20' },
    'per-round': { type: 'string', default: '100' },
    clients: { type: 'string', default: '1,4' },
    sizes: { type: 'string', default: '640x480,1920x1080' },
    'upstream-ms': { type: 'string', default: '5' },
    paths: { type: 'string', default: 'direct,minimal,relay,socat,untapped,tapped' },
    before: { type: 'string' },
    baseline: { type: 'string' },
    rate: { type: 'string' },
    'node-args': { type: 'string' },
    'before-node-args': { type: 'string' },
    'before-baseline': { type: 'string' },
  },
});
function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`--${name} must be a positive integer, got ${JSON.stringify(text)}`);
  return value;
}
/** A space-separated list of Node options, e.g. '--no-optimize-for-size --max-semi-space-size=16'. */
function nodeArgs(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(' ').filter((arg) => arg !== '');
}
const sizes = values.sizes.split(',').map((size): [number, number] => {
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (!match) throw new RangeError(`--sizes: ${JSON.stringify(size)} is not WIDTHxHEIGHT`);
  return [positive('sizes', match[1]), positive('sizes', match[2])];
});
const paths = values.paths.split(',').map((path) => {
  const known = LATENCY_PATHS.find((p) => p === path);
  if (!known) throw new RangeError(`--paths: ${JSON.stringify(path)} is not one of ${LATENCY_PATHS.join(', ')}`);
  return known;
});
const options = {
  paths,
  sizes, clients: values.clients.split(',').map((c) => positive('clients', c)),
  rounds: positive('rounds', values.rounds), perRound: positive('per-round', values['per-round']),
  upstreamMs: positive('upstream-ms', values['upstream-ms']), agentCpus: values['agent-cpus'], beforeCli: values.before,
  agentNodeArgs: nodeArgs(values['node-args']), beforeNodeArgs: nodeArgs(values['before-node-args']),
  rate: values.rate === undefined ? undefined : positive('rate', values.rate),
  baseline: values.baseline, beforeBaseline: values['before-baseline'],
};
const rows = await runProxyLatency(options, (line) => process.stderr.write(`${line}\n`));
const pinning = (options.agentCpus ? `agent and floors pinned to CPU ${options.agentCpus}` : 'proxies not pinned')
  + (options.rate === undefined ? '; calls back to back' : `; ${options.rate} calls a second per path`);
process.stdout.write(`Run ${new Date().toISOString()} (${pinning}; ${options.rounds} rounds of ${options.perRound} calls per path, interleaved; load average ${os.loadavg()[0].toFixed(2)} at the end), Node ${process.version}.\n\n` + markdownTable(latencyTable(rows, options)));
