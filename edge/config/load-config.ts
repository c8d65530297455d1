// loadAgentConfig: flags over environment over config file over defaults,
// every value validated before the agent starts; all problems are reported
// together in one ConfigError.
import { existsSync, readFileSync } from 'node:fs';
import type { AgentConfig, CameraConfig } from './agent-config.js';
import { ConfigError, describeOrigin, ValueProblem, type ConfigOrigin } from './config-error.js';
import { readEnv } from './read-env.js';
import { readConfigFile, type ReadText } from './read-file.js';
import { readFlags } from './read-flags.js';
import { AGENT_OPTIONS, CAMERA_OPTIONS, type OptionSpec } from './schema.js';
import type { Problems, Setting, Settings } from './settings.js';

export interface LoadConfigInput {
  /** The arguments after `run`. */
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** Reads the config file; default fs.readFileSync as UTF-8. */
  readFile?: ReadText;
  /** Whether a baseline file exists; default fs.existsSync. */
  fileExists?: (path: string) => boolean;
  /** Folder flag and variable paths are relative to; default process.cwd(). */
  cwd?: string;
}

interface Resolved<T> {
  value: T;
  origin: ConfigOrigin;
}

class Resolver {
  readonly origins: Record<string, string> = {};
  /** When the config file could not be read, "not given" would only repeat that problem. */
  constructor(readonly problems: Problems, readonly cwd: string, readonly fileFailed: boolean) {}

  /** The first setting given, parsed; else the default; undefined (and a problem) when neither. */
  resolve<T>(spec: OptionSpec<T>, key: string, given: (Setting | undefined)[], missingOrigin: ConfigOrigin, required = spec.default === undefined): Resolved<T> | undefined {
    const setting = given.find((s) => s !== undefined);
    if (setting === undefined && required) {
      if (this.fileFailed) return undefined;
      const hint = missingOrigin.kind === 'default' ? `; set ${spec.flag}, ${spec.env} or ${key.replace(/\[\d+\]/, '[]')} in a config file` : '';
      this.problems.push({ key, origin: missingOrigin, message: `${spec.missing ?? 'value'} not given${hint}` });
      return undefined;
    }
    const from = setting ?? { raw: spec.default, text: false, origin: { kind: 'default' } as const, baseDir: this.cwd };
    try {
      const value = spec.type.parse(from.raw, from);
      this.origins[key] = describeOrigin(from.origin);
      return { value, origin: from.origin };
    } catch (error) {
      if (!(error instanceof ValueProblem)) throw error;
      this.problems.push({ key, origin: from.origin, message: error.message });
      return undefined;
    }
  }
}

type CameraValues = { [K in keyof typeof CAMERA_OPTIONS]?: Resolved<(typeof CAMERA_OPTIONS)[K] extends OptionSpec<infer T> ? T : never> };

function resolveCamera(resolver: Resolver, index: number, layers: Settings[], fromFile: ConfigOrigin | null): CameraValues {
  const values: CameraValues = {};
  const missingOrigin: ConfigOrigin = fromFile ?? { kind: 'default' };
  for (const name of Object.keys(CAMERA_OPTIONS) as (keyof typeof CAMERA_OPTIONS)[]) {
    const spec = CAMERA_OPTIONS[name] as OptionSpec<unknown>;
    // In a cameras list every entry names itself; 'cam0' is the default of a camera given by flags.
    const required = spec.default === undefined || (name === 'id' && fromFile !== null);
    const given = layers.map((layer) => layer.get(`camera.${spec.key}`));
    (values as Record<string, unknown>)[name] = resolver.resolve(spec, `cameras[${index}].${spec.key}`, given, missingOrigin, required);
  }
  return values;
}

// Flags and variables for one camera (--source, DRIFTWATCH_BASELINE, ...)
// describe the only camera: alone, or over the single entry of the file.
function cameraLayers(flags: Settings, env: Settings, fileCameras: (Settings | null)[] | null, file: string | null, problems: Problems): { index: number; layers: Settings[]; fromFile: boolean }[] {
  const overrides = [...flags, ...env].filter(([key]) => key.startsWith('camera.'));
  if (fileCameras !== null && fileCameras.length > 1) {
    for (const [, setting] of overrides) {
      problems.push({ key: 'cameras', origin: setting.origin, message: `sets one camera, but ${file} lists ${fileCameras.length}; set it in the file's cameras entries` });
    }
  }
  if (fileCameras !== null && fileCameras.length > 0) {
    return fileCameras.flatMap((entry, index) => (entry === null ? [] : [{ index, layers: fileCameras.length === 1 ? [flags, env, entry] : [entry], fromFile: true }]));
  }
  if (overrides.length > 0) return [{ index: 0, layers: [flags, env], fromFile: false }];
  if (fileCameras !== null) problems.push({ key: 'cameras', origin: { kind: 'file', file: file! }, message: 'must list at least one camera' });
  else problems.push({ key: 'cameras', origin: { kind: 'default' }, message: 'no camera configured: give --source and --baseline for one camera, or a cameras list in a config file (--config)' });
  return [];
}

function checkCameras(cameras: { index: number; values: CameraValues }[], problems: Problems, fileExists: (path: string) => boolean): void {
  const ids = new Map<string, number>();
  let stdinCamera = -1;
  cameras.forEach(({ index: i, values: camera }) => {
    if (camera.id) {
      const first = ids.get(camera.id.value);
      if (first !== undefined) problems.push({ key: `cameras[${i}].id`, origin: camera.id.origin, message: `'${camera.id.value}' is already the id of cameras[${first}]; camera ids must be unique` });
      else ids.set(camera.id.value, i);
    }
    if (camera.source?.value.kind === 'stdin') {
      if (stdinCamera >= 0) problems.push({ key: `cameras[${i}].source`, origin: camera.source.origin, message: `only one camera can read stdin, and cameras[${stdinCamera}] does` });
      else stdinCamera = i;
    }
    if (camera.baseline && !fileExists(camera.baseline.value)) {
      problems.push({ key: `cameras[${i}].baseline`, origin: camera.baseline.origin, message: `no such file: ${camera.baseline.value}` });
    }
  });
}

export function loadAgentConfig(input: LoadConfigInput): AgentConfig {
  const cwd = input.cwd ?? process.cwd();
  const problems: Problems = [];
  const flags = readFlags(input.argv, cwd, problems);
  const env = readEnv(input.env, cwd, problems);
  const configSetting = flags.get('config') ?? env.get('config');
  const file = configSetting === undefined ? null
    : readConfigFile(String(configSetting.raw), configSetting.origin, cwd, input.readFile ?? ((path) => readFileSync(path, 'utf8')), problems);

  const fileFailed = configSetting !== undefined && file === null;
  const resolver = new Resolver(problems, cwd, fileFailed);
  const agent = (spec: OptionSpec<unknown>) =>
    resolver.resolve(spec, spec.key, [flags.get(spec.key), env.get(spec.key), file?.agent.get(spec.key)], { kind: 'default' });
  const values = Object.fromEntries(Object.entries(AGENT_OPTIONS).map(([name, spec]) => [name, agent(spec as OptionSpec<unknown>)])) as
    { [K in keyof typeof AGENT_OPTIONS]: Resolved<(typeof AGENT_OPTIONS)[K] extends OptionSpec<infer T> ? T : never> | undefined };

  const fileOrigin: ConfigOrigin | null = file ? { kind: 'file', file: file.file } : null;
  const cameras = (fileFailed ? [] : cameraLayers(flags, env, file?.cameras ?? null, file?.file ?? null, problems))
    .map(({ index, layers, fromFile }) => ({ index, values: resolveCamera(resolver, index, layers, fromFile ? fileOrigin : null) }));
  checkCameras(cameras, problems, input.fileExists ?? existsSync);

  const { checkEvery, window } = values;
  if (checkEvery && window && checkEvery.value > window.value) {
    problems.push({ key: 'checkEvery', origin: checkEvery.origin, message: `${checkEvery.value} exceeds window (${window.value}, ${describeOrigin(window.origin)}): frames between checks would never be compared` });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const v = <T>(resolved: Resolved<T> | undefined): T => resolved!.value;
  return {
    device: v(values.device),
    cameras: cameras.map(({ values: c }): CameraConfig => ({ id: v(c.id), source: v(c.source), baseline: v(c.baseline), modelVersion: v(c.modelVersion), fps: v(c.fps) })),
    checkEvery: v(values.checkEvery),
    window: v(values.window),
    falseAlarm: { perDays: v(values.falseAlarmDays), fps: v(values.falseAlarmFps) },
    decodeScale: v(values.decodeScale),
    stateDir: v(values.stateDir),
    checkpointIntervalS: v(values.checkpointIntervalS),
    listen: v(values.listen),
    queue: { maxFrames: v(values.queueMaxFrames), maxBytes: v(values.queueMaxBytes) },
    log: { level: v(values.logLevel) },
    sinks: { stdout: v(values.stdout), mqtt: v(values.mqtt) },
    site: v(values.site),
    mqtt: {
      username: v(values.mqttUsername), passwordFile: v(values.mqttPasswordFile),
      ca: v(values.mqttCa), cert: v(values.mqttCert), key: v(values.mqttKey), protocol: v(values.mqttProtocol),
    },
    outbox: { maxBytes: v(values.outboxMaxBytes), maxAgeS: v(values.outboxMaxAgeS) },
    configFile: file?.path ?? null,
    origins: resolver.origins,
  };
}
