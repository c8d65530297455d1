// Where a command writes: results to stdout, messages to stderr, and a
// progress line that only a terminal sees.

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CommandIO {
  out(line: string): void;
  error(line: string): void;
  progress(line: string): void;
  progressDone(): void;
}

export function processIO(): CommandIO {
  const tty = Boolean(process.stderr.isTTY);
  let shown = false;
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    error: (line) => {
      if (shown) { process.stderr.write('\r\x1b[K'); shown = false; }
      process.stderr.write(`${line}\n`);
    },
    progress: (line) => {
      if (!tty) return;
      process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 80) - 1)}`);
      shown = true;
    },
    progressDone: () => {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
