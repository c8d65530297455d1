// Every option of `driftwatch run`, once: its config key, flag, environment
// variable, default, accepted values and meaning. The loader, --help,
// formatConfig and docs/configuration.md are all generated from this table.
import { sourceSpec, type SourceSpec } from './source-spec.js';
import {
  boolean, byteSize, identifier, integer, label, listenAddress, mqttUrl, nullable, oneOf, path, positiveNumber,
  type ListenAddress, type ValueType,
} from './values.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface OptionSpec<T> {
  /** Config file key, dotted for nested ones ('falseAlarm.perDays'); for camera options, the key inside a camera entry. */
  readonly key: string;
  readonly flag: string;
  readonly env: string;
  /** The flag's value in usage text ('<n>'); empty for a boolean flag, which also has a --no- form. */
  readonly valueName: string;
  readonly type: ValueType<T>;
  /** The default as a config file would write it (parsed like one); undefined: the option must be given. */
  readonly default: unknown;
  /** What is missing when it is not given ("file" gives "file not given"). */
  readonly missing?: string;
  readonly summary: string;
}

function option<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return Object.freeze(spec);
}

/** Options of the agent as a whole. */
export const AGENT_OPTIONS = {
  device: option({
    key: 'device', flag: '--device', env: 'DRIFTWATCH_DEVICE', valueName: '<id>', type: identifier, default: undefined, missing: 'device id',
    summary: 'Id of this edge box; it names the box in alerts and, later, in MQTT topics.',
  }),
  checkEvery: option({
    key: 'checkEvery', flag: '--check-every', env: 'DRIFTWATCH_CHECK_EVERY', valueName: '<n>', type: integer(1), default: 25,
    summary: "Frames between two drift checks of a camera's window.",
  }),
  window: option({
    key: 'window', flag: '--window', env: 'DRIFTWATCH_WINDOW', valueName: '<n>', type: integer(2), default: 300,
    summary: 'Latest frames of a camera each check compares with its baseline.',
  }),
  falseAlarmDays: option({
    key: 'falseAlarm.perDays', flag: '--false-alarm-days', env: 'DRIFTWATCH_FALSE_ALARM_DAYS', valueName: '<days>', type: positiveNumber(), default: 30,
    summary: 'False-alarm target: at most one false alert per camera in this many days of stable frames.',
  }),
  falseAlarmFps: option({
    key: 'falseAlarm.fps', flag: '--false-alarm-fps', env: 'DRIFTWATCH_FALSE_ALARM_FPS', valueName: '<fps>', type: positiveNumber(1000), default: 10,
    summary: 'Frame rate the false-alarm target is counted at (frames per day = fps x 86400).',
  }),
  decodeScale: option({
    key: 'decodeScale', flag: '--decode-scale', env: 'DRIFTWATCH_DECODE_SCALE', valueName: '<1|2|4|8>', type: oneOf([1, 2, 4, 8] as const), default: 1,
    summary: "Decode frames at 1/n of their width and height (cheaper; docs/decode.md). Each camera uses its baseline's recorded scale (baseline build --decode-scale); a scale given here must equal it.",
  }),
  stateDir: option({
    key: 'stateDir', flag: '--state-dir', env: 'DRIFTWATCH_STATE_DIR', valueName: '<folder>', type: path, default: './driftwatch-state',
    summary: 'Folder the agent keeps its checkpoints in.',
  }),
  checkpointIntervalS: option({
    key: 'checkpointIntervalS', flag: '--checkpoint-interval-s', env: 'DRIFTWATCH_CHECKPOINT_INTERVAL_S', valueName: '<s>', type: integer(1), default: 60,
    summary: "Seconds between checkpoints of each camera's monitor state.",
  }),
  listen: option<ListenAddress>({
    key: 'listen', flag: '--listen', env: 'DRIFTWATCH_LISTEN', valueName: '<host:port>', type: listenAddress, default: '127.0.0.1:9464',
    summary: 'Address of the HTTP server for GET /metrics, GET /healthz and http: sources; port 0 picks a free port.',
  }),
  queueMaxFrames: option({
    key: 'queue.maxFrames', flag: '--queue-max-frames', env: 'DRIFTWATCH_QUEUE_MAX_FRAMES', valueName: '<n>', type: integer(1), default: 32,
    summary: 'Frames a camera may have waiting; a frame arriving at a full queue is rejected (reason queue_full).',
  }),
  queueMaxBytes: option({
    key: 'queue.maxBytes', flag: '--queue-max-bytes', env: 'DRIFTWATCH_QUEUE_MAX_BYTES', valueName: '<size>', type: byteSize(1024), default: 64 * 1024 * 1024,
    summary: 'Bytes of frames a camera may have waiting; a frame that would pass this is rejected (reason queue_full).',
  }),
  logLevel: option<LogLevel>({
    key: 'log.level', flag: '--log-level', env: 'DRIFTWATCH_LOG_LEVEL', valueName: '<level>', type: oneOf(LOG_LEVELS), default: 'info',
    summary: 'Least severe level logged; logs are JSON lines on stderr.',
  }),
  stdout: option({
    key: 'sinks.stdout', flag: '--stdout', env: 'DRIFTWATCH_STDOUT', valueName: '', type: boolean, default: true,
    summary: 'Alert transitions as JSON lines on stdout (--no-stdout turns them off).',
  }),
  mqtt: option<string | null>({
    key: 'sinks.mqtt', flag: '--mqtt', env: 'DRIFTWATCH_MQTT_URL', valueName: '<url>', type: nullable(mqttUrl), default: null,
    summary: 'MQTT broker URL (mqtt://host:1883 or mqtts://host:8883; user:password@ allowed, never logged). Summaries, alerts, state and birth go there (docs/mqtt.md); none: no MQTT.',
  }),
  site: option<string | null>({
    key: 'site', flag: '--site', env: 'DRIFTWATCH_SITE', valueName: '<id>', type: nullable(identifier), default: null,
    summary: 'Site this box belongs to; carried in summaries and birth so a collector can merge per site.',
  }),
  mqttUsername: option<string | null>({
    key: 'mqtt.username', flag: '--mqtt-username', env: 'DRIFTWATCH_MQTT_USERNAME', valueName: '<name>', type: nullable(label), default: null,
    summary: "MQTT user name (overrides the URL's); the password comes from the URL, DRIFTWATCH_MQTT_PASSWORD or --mqtt-password-file, never a flag.",
  }),
  mqttPasswordFile: option<string | null>({
    key: 'mqtt.passwordFile', flag: '--mqtt-password-file', env: 'DRIFTWATCH_MQTT_PASSWORD_FILE', valueName: '<file>', type: nullable(path), default: null,
    summary: 'File holding the MQTT password (its first line); overrides the URL and DRIFTWATCH_MQTT_PASSWORD.',
  }),
  mqttCa: option<string | null>({
    key: 'mqtt.ca', flag: '--mqtt-ca', env: 'DRIFTWATCH_MQTT_CA', valueName: '<file>', type: nullable(path), default: null,
    summary: "PEM file of the CA that signed the broker's certificate (mqtts://); none: the system's CAs.",
  }),
  mqttCert: option<string | null>({
    key: 'mqtt.cert', flag: '--mqtt-cert', env: 'DRIFTWATCH_MQTT_CERT', valueName: '<file>', type: nullable(path), default: null,
    summary: "PEM file of this device's client certificate (mqtts://, with --mqtt-key).",
  }),
  mqttKey: option<string | null>({
    key: 'mqtt.key', flag: '--mqtt-key', env: 'DRIFTWATCH_MQTT_KEY', valueName: '<file>', type: nullable(path), default: null,
    summary: "PEM file of the client certificate's private key.",
  }),
  mqttProtocol: option<5 | 4>({
    key: 'mqtt.protocol', flag: '--mqtt-protocol', env: 'DRIFTWATCH_MQTT_PROTOCOL', valueName: '<5|4>', type: oneOf([5, 4] as const), default: 5,
    summary: 'MQTT protocol version: 5, or 4 (3.1.1) for brokers without MQTT 5, which cannot report denied publishes.',
  }),
  outboxMaxBytes: option({
    key: 'outbox.maxBytes', flag: '--outbox-max-bytes', env: 'DRIFTWATCH_OUTBOX_MAX_BYTES', valueName: '<size>', type: byteSize(64 * 1024), default: 64 * 1024 * 1024,
    summary: 'Bytes of unsent MQTT messages kept on disk; past it the oldest summaries are dropped (alerts last; docs/outbox.md).',
  }),
  outboxMaxAgeS: option({
    key: 'outbox.maxAgeS', flag: '--outbox-max-age-s', env: 'DRIFTWATCH_OUTBOX_MAX_AGE_S', valueName: '<s>', type: integer(60), default: 7 * 24 * 3600,
    summary: 'Seconds an unsent MQTT message is kept before it is dropped.',
  }),
} as const;

/** Options of one camera: keys of a `cameras` entry, or flags when there is one camera. */
export const CAMERA_OPTIONS = {
  id: option({
    key: 'id', flag: '--camera', env: 'DRIFTWATCH_CAMERA', valueName: '<id>', type: identifier, default: 'cam0', missing: 'camera id',
    summary: 'Camera id, unique on the box; it labels metrics, logs and alerts.',
  }),
  source: option<SourceSpec>({
    key: 'source', flag: '--source', env: 'DRIFTWATCH_SOURCE', valueName: '<spec>', type: sourceSpec, default: undefined, missing: 'source spec',
    summary: 'Where frames come from: dir:<folder> (image files appearing in a folder), http: (frames POSTed to the agent), proxy:<url> (a proxy in front of the model at <url>), stdin:frames or stdin:jsonl.',
  }),
  baseline: option({
    key: 'baseline', flag: '--baseline', env: 'DRIFTWATCH_BASELINE', valueName: '<file>', type: path, default: undefined, missing: 'file',
    summary: "Baseline file (driftwatch baseline build) the camera's frames are compared with.",
  }),
  modelVersion: option<string | null>({
    key: 'modelVersion', flag: '--model-version', env: 'DRIFTWATCH_MODEL_VERSION', valueName: '<v>', type: nullable(label), default: null,
    summary: 'Version of the model behind the camera, carried in its alerts.',
  }),
  fps: option({
    key: 'fps', flag: '--fps', env: 'DRIFTWATCH_FPS', valueName: '<fps>', type: positiveNumber(1000), default: 10,
    summary: 'Frame rate used to time frames when the source gives no timestamps.',
  }),
} as const;

/** The config file itself. */
export const CONFIG_FILE_OPTION = { flag: '--config', env: 'DRIFTWATCH_CONFIG', valueName: '<file>' } as const;
export const HELP_FLAGS = ['-h', '--help'] as const;

export type AnyOption = OptionSpec<unknown>;
export const agentOptionList = (): AnyOption[] => Object.values(AGENT_OPTIONS) as AnyOption[];
export const cameraOptionList = (): AnyOption[] => Object.values(CAMERA_OPTIONS) as AnyOption[];

/** The default as written in --help and the docs. */
export function showDefault(spec: AnyOption): string {
  if (spec.default === undefined) return 'required';
  if (spec.default === null) return 'none';
  return typeof spec.default === 'string' ? spec.default : spec.type.show(spec.default);
}
