// `npm run bench`: every benchmark in one run, printed as Markdown tables
// (ratios against peers measured in the same run) for BENCHMARKS.md.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { runFrameBench } from './frame-bench.js';
import { markdownTable, type BenchTable } from './timing.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

const tables: BenchTable[] = [];
tables.push(await runFrameBench(log));

const header = [
  `Run ${new Date().toISOString()} on ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), Node ${process.version}.`,
  '',
];
const report = header.join('\n') + tables.map(markdownTable).join('\n');
process.stdout.write(report);
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(new URL('./results/latest.md', import.meta.url), report);
