// The agent's metrics, health and logs.
export { AgentMetrics, METRIC_PREFIX, type AgentMetricsOptions } from './metrics.js';
export { REJECT_REASONS, FEATURE_STATISTICS, type RejectReason, type FeatureStatistic, type CheckpointResult } from './metric-labels.js';
export { AgentHealth, type HealthReport, type CameraHealth } from './health.js';
export { createLogger, cameraLogger, type AgentLogger, type LoggerOptions } from './logger.js';
export { redactForLog } from './log-redaction.js';
export { observabilityRoutes } from './routes.js';
