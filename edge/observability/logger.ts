// The agent's logger: pino, JSON lines on stderr (stdout carries alert
// lines), the device on every line, a child per camera, and every argument
// passed through redactForLog before it is written.
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/schema.js';
import { isoTime } from '../utc-text.js';
import { redactForLog } from './log-redaction.js';

export interface LoggerOptions {
  level: LogLevel;
  device: string;
  /** Where lines go; default stderr, written synchronously so that the last lines before an exit are not lost. */
  destination?: DestinationStream;
}

export type AgentLogger = Logger;

export function createLogger(options: LoggerOptions): AgentLogger {
  const logger = pino({
    level: options.level,
    base: { device: options.device },
    // pino's isoTime, without toISOString (utc-text.ts says why).
    timestamp: () => `,"time":"${isoTime(Date.now())}"`,
    // Errors are already plain { type, message, stack, code } from redactForLog.
    serializers: { err: (error: unknown) => error },
    formatters: {
      level: (label) => ({ level: label }),
    },
    hooks: {
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        // pino logs an Error first argument under `err`, its message as the message.
        const safe = first instanceof Error
          ? [{ err: redactForLog(first) }, ...(rest.length > 0 ? rest : [first.message]).map((a) => redactForLog(a))]
          : [first, ...rest].map((a) => redactForLog(a));
        method.apply(this, safe as Parameters<typeof method>);
      },
    },
  }, options.destination ?? pino.destination({ dest: 2, sync: true }));
  // pino applies no formatter to a child's bindings; children inherit this
  // method from the root (they are created from it with Object.create).
  const child = logger.child;
  logger.child = function redactedChild(this: AgentLogger, bindings, childOptions) {
    return child.call(this, redactForLog(bindings) as typeof bindings, childOptions);
  } as typeof logger.child;
  return logger;
}

/** The logger of one camera: every line carries `camera`. */
export function cameraLogger(logger: AgentLogger, camera: string): AgentLogger {
  return logger.child({ camera });
}
