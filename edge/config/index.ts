// The agent's configuration: load it, print it, explain it.
export { loadAgentConfig, type LoadConfigInput } from './load-config.js';
export type { AgentConfig, CameraConfig } from './agent-config.js';
export { ConfigError, type ConfigProblem, type ConfigOrigin } from './config-error.js';
export { formatConfig, configForDisplay } from './format-config.js';
export { renderRunHelp } from './run-help.js';
export { runHelpRequested } from './read-flags.js';
export { maskUrlCredentials } from './mask-secrets.js';
export type { SourceSpec } from './source-spec.js';
export type { ListenAddress } from './values.js';
export { LOG_LEVELS, type LogLevel } from './schema.js';
