// The review-page benchmark alone: node dist/bench/web-main.js [frames=200] [rounds=2]
// (after npm run build). Prints the Markdown table for BENCHMARKS.md "Review page".
import os from 'node:os';
import { runWebBench } from './web-bench.js';
import { markdownTable } from './timing.js';

const [frames = 200, rounds = 2] = process.argv.slice(2).map(Number);
const started = new Date().toISOString();
const table = await runWebBench((line) => process.stderr.write(`${line}\n`), { frames, rounds });
process.stdout.write(`Run ${started} on ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), Node ${process.version}, Chromium /usr/bin/chromium.\n\n${markdownTable(table)}`);
