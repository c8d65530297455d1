// One `driftwatch replay --json` run of a folder against a baseline, in a
// child process, for the benchmarks that compare with it (replay-bench.ts,
// web-bench.ts): its summary line.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';

const CLI = new URL('../edge/cli.js', import.meta.url).pathname;

export interface ReplaySummary {
  fps: number;
  seconds: number;
  processed: number;
  alerts: number;
}

/** `taskset -c <last CPU>` around a command when taskset exists. */
function onOneCore(command: string[]): string[] {
  if (!existsSync('/usr/bin/taskset')) return command;
  return ['/usr/bin/taskset', '-c', String(os.cpus().length - 1), ...command];
}

/** oneCore: pinned to one CPU with one libuv thread, as issue 5's target says; else as a user would run it. */
export function replayFolder(folder: string, baseline: string, options: { oneCore?: boolean } = {}): ReplaySummary {
  const plain = [process.execPath, CLI, 'replay', folder, '--baseline', baseline, '--json'];
  const command = options.oneCore ? onOneCore(plain) : plain;
  const env = options.oneCore ? { ...process.env, UV_THREADPOOL_SIZE: '1' } : process.env;
  const run = spawnSync(command[0], command.slice(1), { encoding: 'utf8', env, maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`replay failed (${run.status}): ${run.stderr}`);
  const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as ReplaySummary & { type: string };
  if (summary.type !== 'summary') throw new Error(`replay's last line is not its summary: ${run.stdout.slice(-300)}`);
  return summary;
}
