// A long-running driftwatch command (watch, collect) as a child process: its
// stdout and stderr lines collected, a way to wait for a line, and SIGTERM.
// Suites call killCliProcesses() in their after hook so that a failed
// assertion never leaves one running.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { repoPath, repoRoot } from './paths.js';

const live = new Set<ChildProcessWithoutNullStreams>();

export function killCliProcesses(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

export class CliProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<number>;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiters = new Set<() => void>();

  constructor(args: string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [repoPath('dist/edge/cli.js'), ...args], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', ...env } });
    const collect = (into: string[]) => {
      let rest = '';
      return (chunk: Buffer) => {
        rest += chunk.toString('utf8');
        const lines = rest.split('\n');
        rest = lines.pop()!;
        into.push(...lines);
        this.poke();
      };
    };
    this.child.stdout.on('data', collect(this.stdout));
    this.child.stderr.on('data', collect(this.stderr));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => { live.delete(this.child); this.poke(); resolve(code ?? -1); }));
    live.add(this.child);
  }

  /** Resolves once `test` holds (checked after every output chunk); rejects after timeoutMs. */
  waitFor(test: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => { if (test()) { done(); resolve(); } };
      const timer = setTimeout(() => { done(); reject(new Error(`timed out waiting for ${what}\nstdout:\n${this.stdout.join('\n')}\nstderr:\n${this.stderr.join('\n')}`)); }, timeoutMs);
      const done = () => { clearTimeout(timer); this.waiters.delete(check); };
      this.waiters.add(check);
    });
  }

  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void> {
    return this.waitFor(() => this.stderr.some((l) => pattern.test(l)), `stderr ${pattern}`, timeoutMs);
  }

  waitForStdoutLines(count: number, timeoutMs?: number): Promise<void> {
    return this.waitFor(() => this.stdout.length >= count, `${count} stdout lines`, timeoutMs);
  }

  stop(): Promise<number> {
    this.child.kill('SIGTERM');
    return this.exited;
  }

  private poke(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
