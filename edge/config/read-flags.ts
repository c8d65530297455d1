// `driftwatch run` flags into settings: --name value, --name=value, and
// --no-name for a boolean. Unknown flags are errors with a suggestion.
import { agentOptionList, cameraOptionList, CONFIG_FILE_OPTION, HELP_FLAGS, type AnyOption } from './schema.js';
import type { Problems, Settings } from './settings.js';
import { didYouMean } from './suggest.js';

interface FlagTarget {
  key: string;
  boolean: boolean;
  /** The value a bare --no-name gives. */
  negated?: boolean;
}

function flagTable(): Map<string, FlagTarget> {
  const table = new Map<string, FlagTarget>();
  const add = (spec: AnyOption, key: string) => {
    const isBoolean = spec.valueName === '';
    table.set(spec.flag, { key, boolean: isBoolean });
    if (isBoolean) table.set(`--no-${spec.flag.slice(2)}`, { key, boolean: true, negated: true });
  };
  for (const spec of agentOptionList()) add(spec, spec.key);
  for (const spec of cameraOptionList()) add(spec, `camera.${spec.key}`);
  table.set(CONFIG_FILE_OPTION.flag, { key: 'config', boolean: false });
  return table;
}

/** True when the arguments ask for --help: the caller prints renderRunHelp() instead of loading. */
export function runHelpRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => (HELP_FLAGS as readonly string[]).includes(arg));
}

export function readFlags(argv: readonly string[], cwd: string, problems: Problems): Settings {
  const table = flagTable();
  const settings: Settings = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if ((HELP_FLAGS as readonly string[]).includes(arg)) continue;
    if (!arg.startsWith('-') || arg === '--' || arg === '-') {
      const rest = arg === '--' ? argv.slice(i + 1) : [arg];
      if (rest.length > 0) problems.push({ key: rest[0], origin: { kind: 'flag', name: rest[0] }, message: 'unexpected argument: run takes options only (--name value)' });
      if (arg === '--') break;
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals < 0 ? arg : arg.slice(0, equals);
    const inline = equals < 0 ? undefined : arg.slice(equals + 1);
    const target = table.get(name);
    if (!target) {
      problems.push({ key: name, origin: { kind: 'flag', name }, message: `unknown option${didYouMean(name, table.keys(), (s) => s)}` });
      // `--tpyo 5`: the 5 belongs to the unknown option, not a new error.
      if (inline === undefined && argv[i + 1] !== undefined && !argv[i + 1].startsWith('-')) i++;
      continue;
    }
    let raw: string;
    if (target.boolean) {
      if (target.negated && inline !== undefined) {
        problems.push({ key: target.key, origin: { kind: 'flag', name }, message: 'takes no value' });
        continue;
      }
      raw = target.negated ? 'false' : inline ?? 'true';
    } else if (inline !== undefined) {
      raw = inline;
    } else if (argv[i + 1] === undefined || argv[i + 1].startsWith('--')) {
      problems.push({ key: target.key, origin: { kind: 'flag', name }, message: 'needs a value' });
      continue;
    } else {
      raw = argv[++i];
    }
    settings.set(target.key, { raw, text: true, origin: { kind: 'flag', name }, baseDir: cwd });
  }
  return settings;
}
