// Issue 5's replay throughput alone (part of `npm run bench` too):
//   node dist/bench/replay-main.js [frames=1500] [rounds=3]
import { markdownTable } from './timing.js';
import { runReplayBench } from './replay-bench.js';

const [frames, rounds] = process.argv.slice(2).map(Number);
const table = await runReplayBench((line) => process.stderr.write(`${line}\n`), { frames: frames || undefined, rounds: rounds || undefined });
process.stdout.write(markdownTable(table));
