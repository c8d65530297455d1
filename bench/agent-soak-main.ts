// The agent's memory soak, alone (about 5–10 minutes; not part of `npm run bench`):
//   node dist/bench/agent-soak-main.js [--source stdin|dir|http|proxy] [--frames 200000] [--distinct 300] [--sample-every 5000]
//        [--nice 10] [--cpus 1] [--env KEY=VALUE ...] [--node-arg=--flag ...]
// --env sets a variable in the agent's environment only (e.g. NODE_OPTIONS,
// MALLOC_ARENA_MAX; docs/memory.md); the agent otherwise gets PATH alone.
// --node-arg passes an option to node itself, before the agent's script.
// Markdown tables on stdout, one progress line per sample on stderr.
import { parseArgs } from 'node:util';
import { runAgentSoak, SOAK_SOURCES, soakTables, type SoakSource } from './agent-soak.js';
import { markdownTable } from './timing.js';

const { values } = parseArgs({
  options: {
    source: { type: 'string', default: 'stdin' },
    frames: { type: 'string', default: '200000' },
    distinct: { type: 'string', default: '300' },
    'sample-every': { type: 'string', default: '5000' },
    cpus: { type: 'string' },
    nice: { type: 'string' },
    env: { type: 'string', multiple: true, default: [] },
    'node-arg': { type: 'string', multiple: true, default: [] },
  },
});
const env: Record<string, string> = {};
for (const pair of values.env) {
  const equals = pair.indexOf('=');
  if (equals < 1) throw new RangeError(`--env ${JSON.stringify(pair)} must be KEY=VALUE`);
  env[pair.slice(0, equals)] = pair.slice(equals + 1);
}
if (!SOAK_SOURCES.includes(values.source as SoakSource)) throw new RangeError(`--source must be one of ${SOAK_SOURCES.join(', ')}, got ${JSON.stringify(values.source)}`);
const options = {
  source: values.source as SoakSource, frames: Number(values.frames), distinct: Number(values.distinct), sampleEvery: Number(values['sample-every']),
  env, nodeArgs: values['node-arg'], cpus: values.cpus, nice: values.nice === undefined ? undefined : Number(values.nice),
};
for (const [key, value] of Object.entries({ frames: options.frames, distinct: options.distinct, 'sample-every': options.sampleEvery })) {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`--${key} must be a positive integer, got ${value}`);
}
const result = await runAgentSoak(options, (line) => process.stderr.write(`${line}\n`));
const settings = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ') || 'none';
const nodeOptions = values['node-arg'].join(' ') || 'none';
process.stdout.write(`Run ${new Date().toISOString()}, Node ${process.version}, source ${options.source}, agent environment: ${settings}, node options: ${nodeOptions}.\n\n` + soakTables(result, options).map(markdownTable).join('\n'));
