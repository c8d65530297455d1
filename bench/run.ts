// `npm run bench`: every benchmark in one run, printed as Markdown tables
// (ratios against peers measured in the same run) for BENCHMARKS.md; also
// written to dist/bench/results/latest.md. Progress goes to stderr.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { runFrameBench } from './frame-bench.js';
import { runKsBench } from './ks.js';
import { runSketchBench } from './sketch-bench.js';
import { runCameraStateBench } from './camera-state-bench.js';
import { runJpegDecodeBench } from './jpeg-decode.js';
import { runMqttBench } from './mqtt-bench.js';
import { runWebBench } from './web-bench.js';
import { runReplayBench } from './replay-bench.js';
import { markdownTable, type BenchTable } from './timing.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

const tables: BenchTable[] = [];
tables.push(await runFrameBench(log));
tables.push(await runKsBench(log));
tables.push(...await runSketchBench(log));
tables.push(await runCameraStateBench(log));
tables.push(await runJpegDecodeBench(log));
tables.push(await runReplayBench(log));
tables.push(...await runMqttBench(log));
tables.push(await runWebBench(log));

const header = `Run ${new Date().toISOString()} on ${os.cpus()[0]?.model ?? 'unknown CPU'} ` +
  `(${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)} at the end), Node ${process.version}.\n\n`;
const report = header + tables.map(markdownTable).join('\n');
process.stdout.write(report);
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(new URL('./results/latest.md', import.meta.url), report);
