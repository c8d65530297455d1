// The agent's effective configuration, as loadAgentConfig returns it.
import type { LogLevel } from './schema.js';
import type { SourceSpec } from './source-spec.js';
import type { ListenAddress } from './values.js';

export interface CameraConfig {
  id: string;
  source: SourceSpec;
  /** Absolute path of the baseline file. */
  baseline: string;
  modelVersion: string | null;
  /** Frame rate for frame times when the source gives none. */
  fps: number;
}

export interface AgentConfig {
  device: string;
  cameras: CameraConfig[];
  checkEvery: number;
  window: number;
  /** At most one false alert per camera per `perDays` days of frames at `fps`. */
  falseAlarm: { perDays: number; fps: number };
  decodeScale: 1 | 2 | 4 | 8;
  /** Absolute path. */
  stateDir: string;
  checkpointIntervalS: number;
  listen: ListenAddress;
  queue: { maxFrames: number; maxBytes: number };
  log: { level: LogLevel };
  /** mqtt: the broker URL, or null for no MQTT. */
  sinks: { stdout: boolean; mqtt: string | null };
  site: string | null;
  /** Credentials and TLS files (absolute paths) for the broker; the password itself is never in the config. */
  mqtt: { username: string | null; passwordFile: string | null; ca: string | null; cert: string | null; key: string | null; protocol: 5 | 4 };
  outbox: { maxBytes: number; maxAgeS: number };
  /** Absolute path of the config file read, or null. */
  configFile: string | null;
  /** Where each value came from, by config key ('cameras[0].source'): a flag, a variable, the file's name or 'default'. */
  origins: Readonly<Record<string, string>>;
}
