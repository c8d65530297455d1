// Runs the MQTT upstream benchmark alone: node dist/bench/mqtt-main.js [alert latency samples, default 600]
// Starts its own Mosquitto (/usr/sbin/mosquitto) on a free loopback port.
import os from 'node:os';
import { runMqttBench } from './mqtt-bench.js';
import { markdownTable } from './timing.js';

const log = (line: string) => process.stderr.write(`${line}\n`);
const startLoad = os.loadavg()[0];
const started = new Date().toISOString();
const tables = await runMqttBench(log, { latencySamples: Number(process.argv[2] ?? 600), agentRuns: Number(process.argv[3] ?? 3) });
process.stdout.write(`Run ${started} (load average ${startLoad.toFixed(2)} at the start, ${os.loadavg()[0].toFixed(2)} at the end), Node ${process.version}.\n\n`);
process.stdout.write(tables.map(markdownTable).join('\n'));
process.exit(0);
