// The effective configuration as YAML a config file could hold, each value
// commented with where it came from, and every password in a URL masked.
import type { AgentConfig } from './agent-config.js';
import { maskUrlCredentials } from './mask-secrets.js';
import { AGENT_OPTIONS, CAMERA_OPTIONS, type AnyOption } from './schema.js';
import { yamlModule } from './yaml-module.js';

// A value written the way the option's type shows it; passwords masked.
function shown(spec: AnyOption, value: unknown): unknown {
  if (value === null) return null;
  const text = maskUrlCredentials(spec.type.show(value));
  // Numbers and booleans stay typed unless the type writes them otherwise (64MiB).
  return (typeof value === 'number' || typeof value === 'boolean') && text === String(value) ? value : text;
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const [head, child] = key.split('.');
  if (child === undefined) target[head] = value;
  else target[head] = { ...(target[head] as Record<string, unknown> | undefined), [child]: value };
}

/** The configuration as a plain object in config file terms, secrets masked: for logs. */
export function configForDisplay(config: AgentConfig): Record<string, unknown> {
  const flat: Record<string, unknown> = {
    device: config.device,
    checkEvery: config.checkEvery,
    window: config.window,
    falseAlarmDays: config.falseAlarm.perDays,
    falseAlarmFps: config.falseAlarm.fps,
    decodeScale: config.decodeScale,
    stateDir: config.stateDir,
    checkpointIntervalS: config.checkpointIntervalS,
    listen: config.listen,
    queueMaxFrames: config.queue.maxFrames,
    queueMaxBytes: config.queue.maxBytes,
    logLevel: config.log.level,
    stdout: config.sinks.stdout,
    mqtt: config.sinks.mqtt,
    site: config.site,
    mqttUsername: config.mqtt.username,
    mqttPasswordFile: config.mqtt.passwordFile,
    mqttCa: config.mqtt.ca,
    mqttCert: config.mqtt.cert,
    mqttKey: config.mqtt.key,
    mqttProtocol: config.mqtt.protocol,
    outboxMaxBytes: config.outbox.maxBytes,
    outboxMaxAgeS: config.outbox.maxAgeS,
  };
  const out: Record<string, unknown> = {
    device: config.device,
    cameras: config.cameras.map((camera) => Object.fromEntries(
      (Object.entries(CAMERA_OPTIONS) as [keyof typeof camera, AnyOption][]).map(([field, spec]) => [spec.key, shown(spec, camera[field])]),
    )),
  };
  for (const [name, spec] of Object.entries(AGENT_OPTIONS) as [string, AnyOption][]) {
    if (name !== 'device') setPath(out, spec.key, shown(spec, flat[name]));
  }
  return out;
}

export function formatConfig(config: AgentConfig): string {
  const { Document, isScalar } = yamlModule();
  const document = new Document(configForDisplay(config));
  const note = (path: (string | number)[], key: string) => {
    const node = document.getIn(path, true);
    const origin = config.origins[key];
    if (isScalar(node) && origin !== undefined) node.comment = ` ${origin}`;
  };
  for (const spec of Object.values(AGENT_OPTIONS) as AnyOption[]) note(spec.key.split('.'), spec.key);
  config.cameras.forEach((_, i) => {
    for (const spec of Object.values(CAMERA_OPTIONS) as AnyOption[]) note(['cameras', i, spec.key], `cameras[${i}].${spec.key}`);
  });
  const header = config.configFile ? `# driftwatch run: effective configuration (config file ${config.configFile})\n` : '# driftwatch run: effective configuration\n';
  return header + document.toString({ lineWidth: 0 });
}
