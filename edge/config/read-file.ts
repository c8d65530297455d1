// The config file (YAML or JSON) into settings, key by key. Keys it does not
// know are errors, with the nearest known key as a suggestion.
import { dirname, extname, resolve } from 'node:path';
import type { ConfigOrigin } from './config-error.js';
import { agentOptionList, cameraOptionList } from './schema.js';
import type { Problems, Setting, Settings } from './settings.js';
import { didYouMean } from './suggest.js';
import { yamlModule } from './yaml-module.js';

export interface FileLayer {
  /** The file as the operator named it (used in messages). */
  file: string;
  path: string;
  agent: Settings;
  /** The `cameras` entries (null for an entry that is not a mapping); null when the file has no valid `cameras` list. */
  cameras: (Settings | null)[] | null;
}

export type ReadText = (path: string) => string;

const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function parseText(text: string, file: string): unknown {
  const extension = extname(file).toLowerCase();
  if (extension === '.json') return JSON.parse(text);
  if (extension === '.yaml' || extension === '.yml') return yamlModule().parse(text, { prettyErrors: true, uniqueKeys: true }) ?? {};
  throw new Error(`${file} must end in .yaml, .yml or .json`);
}

/** Leaves and groups of the agent's keys: 'checkEvery' is a leaf, 'queue' a group of maxFrames and maxBytes. */
function keyTree(): { leaves: Set<string>; groups: Map<string, Set<string>> } {
  const leaves = new Set<string>();
  const groups = new Map<string, Set<string>>();
  for (const { key } of agentOptionList()) {
    const [head, child] = key.split('.');
    if (child === undefined) leaves.add(head);
    else groups.set(head, (groups.get(head) ?? new Set()).add(child));
  }
  return { leaves, groups };
}

export function readConfigFile(file: string, by: ConfigOrigin, cwd: string, readText: ReadText, problems: Problems): FileLayer | null {
  const path = resolve(cwd, file);
  const fail = (message: string) => {
    problems.push({ key: 'config', origin: by, message });
    return null;
  };
  if (file.trim() === '') return fail('needs a file name');
  let text: string;
  try {
    text = readText(path);
  } catch (error) {
    return fail(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let content: unknown;
  try {
    content = parseText(text, file);
  } catch (error) {
    return fail(`${file} cannot be parsed: ${parseProblem(error as Error, text)}`);
  }
  if (!isMapping(content)) return fail(`${file} must hold a mapping of keys (device, cameras, ...), not ${Array.isArray(content) ? 'a list' : typeof content}`);

  const origin: ConfigOrigin = { kind: 'file', file };
  const setting = (raw: unknown) => ({ raw, text: false, origin, baseDir: dirname(path) });
  const unknown = (key: string, name: string, known: Iterable<string>) =>
    problems.push({ key, origin, message: `unknown key${didYouMean(name, known)}` });
  const { leaves, groups } = keyTree();
  const layer: FileLayer = { file, path, agent: new Map(), cameras: null };

  for (const [key, value] of Object.entries(content)) {
    if (key === 'cameras') {
      layer.cameras = readCameras(value, setting, (k, message) => problems.push({ key: k, origin, message }), unknown);
    } else if (leaves.has(key)) {
      layer.agent.set(key, setting(value));
    } else if (groups.has(key)) {
      const children = groups.get(key)!;
      if (!isMapping(value)) {
        problems.push({ key, origin, message: `must be a mapping of ${[...children].join(', ')}` });
        continue;
      }
      for (const [child, childValue] of Object.entries(value)) {
        if (children.has(child)) layer.agent.set(`${key}.${child}`, setting(childValue));
        else unknown(`${key}.${child}`, child, children);
      }
    } else {
      unknown(key, key, [...leaves, ...groups.keys(), 'cameras']);
    }
  }
  return layer;
}

function readCameras(value: unknown, setting: (raw: unknown) => Setting,
                     problem: (key: string, message: string) => void,
                     unknown: (key: string, name: string, known: Iterable<string>) => void): (Settings | null)[] | null {
  if (!Array.isArray(value)) {
    problem('cameras', 'must be a list of cameras, each { id, source, baseline, modelVersion?, fps? }');
    return null;
  }
  const keys = cameraOptionList().map((spec) => spec.key);
  return value.map((entry, i) => {
    const settings: Settings = new Map();
    if (!isMapping(entry)) {
      problem(`cameras[${i}]`, 'must be a mapping { id, source, baseline, modelVersion?, fps? }');
      return null;
    }
    for (const [key, raw] of Object.entries(entry)) {
      if (keys.includes(key)) settings.set(`camera.${key}`, setting(raw));
      else unknown(`cameras[${i}].${key}`, key, keys);
    }
    return settings;
  });
}

// The parser's first line names the place ("at line 4, column 13:"); the
// line itself follows, and a plain value ending in ':' (source: http:) is
// the usual cause, so that gets a hint.
function parseProblem(error: Error, text: string): string {
  const first = error.message.split('\n')[0].replace(/:$/, '');
  const at = /at line (\d+), column \d+$/.exec(first);
  const line = at ? text.split(/\r?\n/)[Number(at[1]) - 1]?.trim() : undefined;
  if (line === undefined || line === '') return first;
  const hint = /:\s*[^'"\s][^#]*:\s*$/.test(line) ? '; a value that ends with \':\' must be quoted, as in source: "http:"' : '';
  return `${first} ('${line}')${hint}`;
}
