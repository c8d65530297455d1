// One value as it arrived, before it is parsed: from a flag, a variable or
// the config file, with the folder its relative paths are resolved against.
import type { ConfigOrigin, ConfigProblem } from './config-error.js';

export interface Setting {
  raw: unknown;
  /** Text from a flag or variable rather than a typed value from a file. */
  text: boolean;
  origin: ConfigOrigin;
  baseDir: string;
}

/** Settings by config key; camera options as 'camera.<key>', the config file as 'config'. */
export type Settings = Map<string, Setting>;

export type Problems = ConfigProblem[];
