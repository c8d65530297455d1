#!/usr/bin/env node
// The driftwatch command line: dispatches to one module per command.
import { readFileSync } from 'node:fs';
import { UsageError, processIO, type CommandIO } from './command-io.js';
import { trimHeapWhileRunning } from './heap-trim.js';
import { keepOldGenerationTight } from './old-generation.js';
import { keepYoungGenerationSmall } from './young-generation.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

type Command = (argv: string[], io: CommandIO) => Promise<number>;

// Each command's module is imported only when it runs: the agent then never
// loads what other commands need (sharp for the demo, mqtt for watch, aedes),
// which is about 30 MiB of resident memory (docs/memory.md).
const commands: Record<string, () => Promise<Command>> = {
  features: async () => (await import('./commands/features.js')).runFeatures,
  baseline: async () => (await import('./commands/baseline.js')).runBaseline,
  replay: async () => (await import('./commands/replay.js')).runReplay,
  run: async () => {
    keepYoungGenerationSmall();
    keepOldGenerationTight();
    trimHeapWhileRunning();
    return (await import('./commands/run.js')).runAgent;
  },
  demo: async () => (await import('./commands/demo.js')).runDemo,
  watch: async () => (await import('./commands/watch.js')).runWatch,
  collect: async () => (await import('./commands/collect.js')).runCollect,
  review: async () => (await import('./commands/review.js')).runReview,
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
  const load = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!load) {
    io.error(`driftwatch: unknown command '${command}'. Run 'driftwatch --help' for the list.`);
    return 2;
  }
  // `baseline build` and `baseline inspect` have help texts of their own: name the one that failed.
  const name = command === 'baseline' && (rest[0] === 'build' || rest[0] === 'inspect') ? `${command} ${rest[0]}` : command;
  try {
    const run = await load();
    return await run(rest, io);
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.error(`driftwatch ${name}: ${error instanceof Error ? error.message : String(error)}`);
    if (usage) io.error(`Run 'driftwatch ${name} --help' for usage.`);
    return usage ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
