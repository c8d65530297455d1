// Runs the proxy overhead benchmark alone: node dist/bench/proxy-main.js
import { runProxyBench } from './proxy-bench.js';
import { markdownTable } from './timing.js';

process.stdout.write(markdownTable(await runProxyBench((line) => process.stderr.write(`${line}\n`))));
