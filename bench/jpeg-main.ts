// The JPEG decode benchmark alone: node dist/bench/jpeg-main.js (pin it with taskset -c 0).
import { runJpegDecodeBench } from './jpeg-decode.js';
import { markdownTable } from './timing.js';

process.stdout.write(markdownTable(await runJpegDecodeBench((line) => process.stderr.write(`${line}\n`))));
