// The yaml package, loaded the first time a YAML config file is read or a
// config is shown as YAML. Loading it costs ~2.9 MiB resident (a bare node
// importing pino and msgpackr, with and without yaml, three runs each), which
// an agent configured by flags or a JSON file need not carry within its
// 96 MB (docs/memory.md).
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let yaml: typeof Yaml | undefined;

export function yamlModule(): typeof Yaml {
  yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yaml;
}
