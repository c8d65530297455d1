// `driftwatch run --help`, generated from the option table so that it lists
// every option with its default, variable and config key.
import { AGENT_OPTIONS, CAMERA_OPTIONS, CONFIG_FILE_OPTION, showDefault, type AnyOption } from './schema.js';

const WIDTH = 80;
const COLUMN = 28;

function wrap(text: string, indent: number, width = WIDTH): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

function entry(flagText: string, paragraphs: string[]): string {
  const pad = ' '.repeat(COLUMN);
  const lines = paragraphs.flatMap((p) => wrap(p, COLUMN));
  const head = `  ${flagText}`;
  // A long flag puts its description on the next line.
  const first = head.length < COLUMN ? head.padEnd(COLUMN) + (lines.shift() ?? '') : head;
  return [first.trimEnd(), ...lines.map((l) => pad + l)].join('\n');
}

function optionEntry(spec: AnyOption, configKey: string): string {
  const flagText = spec.valueName === '' ? `${spec.flag}, --no-${spec.flag.slice(2)}` : `${spec.flag} ${spec.valueName}`;
  const facts = `default ${showDefault(spec)}; env ${spec.env}; config ${configKey}`;
  return entry(flagText, [spec.summary, `Accepts ${spec.type.accepts}.`, `[${facts}]`]);
}

export function renderRunHelp(): string {
  const camera = Object.values(CAMERA_OPTIONS) as AnyOption[];
  const agent = Object.values(AGENT_OPTIONS) as AnyOption[];
  return [
    'Usage: driftwatch run --device <id> --source <spec> --baseline <file> [options]',
    '       driftwatch run --config <file> [options]',
    '',
    ...wrap("Runs the edge agent: reads each camera's frames from its source, measures every frame, checks each camera's window against its baseline every checkEvery frames, and writes alert transitions as JSON lines on stdout. Metrics (GET /metrics) and health (GET /healthz) are served on the listen address; logs are JSON lines on stderr.", 0),
    '',
    ...wrap('Each option is read from, in order of precedence: its flag, its DRIFTWATCH_* environment variable, the config file, its default. A flag, DRIFTWATCH_* variable or config key that driftwatch does not know is an error.', 0),
    '',
    'Config file:',
    entry(`${CONFIG_FILE_OPTION.flag} ${CONFIG_FILE_OPTION.valueName}`, [
      'YAML (.yaml, .yml) or JSON (.json) file with the keys below; relative paths in it are resolved against its folder. Several cameras need a config file (a cameras list).',
      `[env ${CONFIG_FILE_OPTION.env}]`,
    ]),
    '',
    "One camera (flags suffice; they override a config file's only camera):",
    ...camera.map((spec) => optionEntry(spec, `cameras[].${spec.key}`)),
    '',
    'Agent:',
    ...agent.map((spec) => optionEntry(spec, spec.key)),
    '',
    'Other:',
    entry('-h, --help', ['this text']),
    '',
    'Exit codes:',
    '  0  clean shutdown on SIGTERM or SIGINT',
    '  1  a runtime failure',
    '  2  bad configuration (every problem is printed on stderr, one per line)',
    '',
    'Options: docs/configuration.md. Metrics, health, logs: docs/observability.md',
  ].join('\n');
}
