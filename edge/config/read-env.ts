// DRIFTWATCH_* environment variables into settings. A DRIFTWATCH_ variable
// the agent does not know is an error: it is almost always a typo.
import { agentOptionList, cameraOptionList, CONFIG_FILE_OPTION } from './schema.js';
import type { Problems, Settings } from './settings.js';
import { didYouMean } from './suggest.js';

export const ENV_PREFIX = 'DRIFTWATCH_';
/** Read where they are used, never kept in the configuration: secrets (the MQTT link reads the password itself). */
export const SECRET_ENV = ['DRIFTWATCH_MQTT_PASSWORD'] as const;

export function readEnv(env: Readonly<Record<string, string | undefined>>, cwd: string, problems: Problems): Settings {
  const table = new Map<string, string>();
  for (const spec of agentOptionList()) table.set(spec.env, spec.key);
  for (const spec of cameraOptionList()) table.set(spec.env, `camera.${spec.key}`);
  table.set(CONFIG_FILE_OPTION.env, 'config');
  const settings: Settings = new Map();
  for (const name of Object.keys(env).sort()) {
    const raw = env[name];
    if (!name.startsWith(ENV_PREFIX) || raw === undefined || (SECRET_ENV as readonly string[]).includes(name)) continue;
    const key = table.get(name);
    if (key === undefined) {
      problems.push({ key: name, origin: { kind: 'env', name }, message: `unknown variable${didYouMean(name, table.keys(), (s) => s)}` });
      continue;
    }
    settings.set(key, { raw, text: true, origin: { kind: 'env', name }, baseDir: cwd });
  }
  return settings;
}
