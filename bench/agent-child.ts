// `driftwatch run` as a child process for the benchmarks: started as an
// operator would (optionally pinned to a CPU with taskset and niced), its
// listen port read from the log, its metrics and resident memory read while
// it runs, and a clean SIGTERM stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = fileURLToPath(new URL('../edge/cli.js', import.meta.url));

export interface AgentChildOptions {
  /** CPU list for `taskset -c` (e.g. "1"); the agent runs unpinned when absent. */
  cpus?: string;
  /** `nice -n` increment for the agent. */
  nice?: number;
  /** Keep stdin open as a pipe (for stdin: sources). */
  stdin?: boolean;
  env?: Record<string, string>;
  /** Node options before the script (e.g. --cpu-prof, which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
  /** Another build's dist/edge/cli.js (to compare two builds in one run); default this build's. */
  cli?: string;
}

export class AgentChild {
  readonly process: ChildProcess;
  readonly exited: Promise<number>;
  readonly listening: Promise<number>;
  private stderrTail = '';

  constructor(args: string[], options: AgentChildOptions = {}) {
    const command = [process.execPath, ...(options.nodeArgs ?? []), options.cli ?? CLI, 'run', ...args];
    if (options.nice !== undefined) command.unshift('nice', '-n', String(options.nice));
    if (options.cpus !== undefined) command.unshift('taskset', '-c', options.cpus);
    // taskset and nice exec the agent, so the child's pid is the agent's.
    this.process = spawn(command[0], command.slice(1), {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: [options.stdin ? 'pipe' : 'ignore', 'ignore', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.process.on('close', (code) => resolve(code ?? -1)));
    this.listening = new Promise((resolve, reject) => {
      let pending = '';
      this.process.stderr!.on('data', (chunk: Buffer) => {
        this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000);
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop()!;
        for (const line of lines) {
          const listen = /"listen":"[^"]*:(\d+)"/.exec(line);
          if (listen) resolve(Number(listen[1]));
        }
      });
      void this.exited.then((code) => reject(new Error(`the agent exited (${code}) before listening:\n${this.stderrTail}`)));
    });
  }

  get pid(): number {
    return this.process.pid!;
  }

  /** The last 4,000 characters of the agent's log. */
  get stderr(): string {
    return this.stderrTail;
  }

  /** Resident and peak resident memory in MiB, from /proc/<pid>/status (Linux). */
  async memory(): Promise<{ rssMiB: number; hwmMiB: number }> {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
  }

  async metrics(): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${await this.listening}/metrics`);
    return response.text();
  }

  async stop(): Promise<number> {
    this.process.kill('SIGTERM');
    return this.exited;
  }
}

/** The sum of a metric's series that carry (at least) these labels, 0 when there is none. */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.startsWith(`${name}{`) ? line.slice(name.length + 1, line.indexOf('}')) : '';
    if (Object.entries(labels).every(([k, v]) => labelText.split(',').includes(`${k}="${v}"`))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
