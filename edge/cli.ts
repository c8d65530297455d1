#!/usr/bin/env node
// The driftwatch command line: dispatches to one module per command.
import { readFileSync } from 'node:fs';
import { runFeatures } from './commands/features.js';
import { runBaseline } from './commands/baseline.js';
import { runReplay } from './commands/replay.js';
import { runAgent } from './commands/run.js';
import { runDemo } from './commands/demo.js';
import { runWatch } from './commands/watch.js';
import { runCollect } from './commands/collect.js';
import { runReview } from './commands/review.js';
import { UsageError, processIO, type CommandIO } from './command-io.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const commands: Record<string, (argv: string[], io: CommandIO) => Promise<number>> = {
  features: runFeatures,
  baseline: runBaseline,
  replay: runReplay,
  run: runAgent,
  demo: runDemo,
  watch: runWatch,
  collect: runCollect,
  review: runReview,
};

const help = `driftwatch ${packageJson.version}: watches a vision model's camera frames for drift

Usage: driftwatch <command> [options]

Commands:
  features <file|folder>...   feature catalogue v1 of each JPEG/PNG image (--json for JSON lines)
  baseline build <folder> -o <file>
                              a reference baseline from the images a model was validated on
  baseline inspect <file>     check a baseline file and print what it holds (--json)
  replay <folder> --baseline <file>
                              a folder of images as a camera stream through the drift monitor
  run --source <spec> --baseline <file> --device <id> [options] | --config <file>
                              the edge agent: watches live frames (a folder, HTTP, a sidecar
                              proxy or stdin), alerts as JSON lines on stdout, /metrics, /healthz
  demo                        the agent end to end on a bundled sample stream with a drift (npm start),
                              its alerts also shown as they arrive through an MQTT broker
  watch --mqtt <url>          prints the alerts and device states arriving on an MQTT broker
                              as they come (--json for JSON lines)
  collect --mqtt <url> --group <name>
                              one of a group of collectors sharing the fleet's summaries
                              (MQTT 5 shared subscription): fleet view printed and on GET /fleet
  review [<folder>] [--baseline <file>]
                              serves the offline review page on 127.0.0.1: the same WASM in
                              the browser, features and drift for a folder of frames

Options:
  -h, --help       this text; 'driftwatch <command> --help' for a command's options
  -v, --version    the version

Feature definitions: docs/features.md; MQTT tools: docs/mqtt-tools.md`;

export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.out(help);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    io.out(packageJson.version);
    return 0;
  }
  const run = commands[command];
  if (!run) {
    io.error(`driftwatch: unknown command '${command}'. Run 'driftwatch --help' for the list.`);
    return 2;
  }
  try {
    return await run(rest, io);
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.error(`driftwatch ${command}: ${error instanceof Error ? error.message : String(error)}`);
    if (usage) io.error(`Run 'driftwatch ${command} --help' for usage.`);
    return usage ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
