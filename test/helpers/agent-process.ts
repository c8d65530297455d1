// `driftwatch run` as a child process, as an operator starts it: its alert
// lines (stdout) and JSON logs (stderr) collected, its listen port read from
// the log, and a way to wait for a condition and to send it a signal.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { repoPath, repoRoot } from './paths.js';

export interface LogLine { level: string; msg: string; [key: string]: unknown }

// A failed assertion must not leave an agent running: it would keep the test
// process alive forever. Suites call killAgents() in their after hook.
const live = new Set<ChildProcessWithoutNullStreams>();

/** SIGKILLs every agent a test started and did not see exit. */
export function killAgents(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

export class AgentProcess {
  readonly alerts: Array<Record<string, unknown>> = [];
  readonly logs: LogLine[] = [];
  readonly exited: Promise<number>;
  stderrText = '';
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiters = new Set<() => void>();

  constructor(args: string[], options: { env?: Record<string, string>; stdin?: boolean } = {}) {
    this.child = spawn(process.execPath, [repoPath('dist/edge/cli.js'), 'run', ...args], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', ...options.env } });
    let out = '', err = '';
    this.child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) if (line) this.alerts.push(JSON.parse(line) as Record<string, unknown>);
      this.poke();
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderrText += chunk;
      err += chunk;
      const lines = err.split('\n');
      err = lines.pop()!;
      for (const line of lines) {
        if (!line) continue;
        try { this.logs.push(JSON.parse(line) as LogLine); } catch { this.logs.push({ level: 'text', msg: line }); }
      }
      this.poke();
    });
    this.exited = new Promise((resolve) => this.child.on('close', (code) => { live.delete(this.child); this.poke(); resolve(code ?? -1); }));
    live.add(this.child);
  }

  get stdin() { return this.child.stdin; }
  get pid(): number { return this.child.pid!; }

  /** The port from the 'listening' log line. */
  get port(): number {
    const line = this.logs.find((l) => typeof l.listen === 'string');
    if (!line) throw new Error('the agent has not logged its listen address yet');
    return Number(String(line.listen).split(':').pop());
  }

  /** Waits until `condition()` holds (checked on every output), failing after `ms` with the agent's stderr. */
  async until(condition: () => boolean, ms = 60_000, what = 'condition'): Promise<void> {
    if (condition()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { this.waiters.delete(check); reject(new Error(`timed out waiting for ${what}; agent stderr:\n${this.stderrText.slice(-3000)}`)); }, ms);
      const check = () => { if (condition()) { clearTimeout(timer); this.waiters.delete(check); resolve(); } };
      this.waiters.add(check);
      // Conditions on files or metrics are not announced on stdout: re-check now and then.
      const interval = setInterval(() => { if (!this.waiters.has(check)) clearInterval(interval); else check(); }, 100);
    });
  }

  signal(name: NodeJS.Signals): void { this.child.kill(name); }

  private poke(): void { for (const waiter of [...this.waiters]) waiter(); }
}

export async function metricsText(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  return response.text();
}

/** The value of the series `name` with (at least) these labels, e.g. metric(text, 'driftwatch_frames_processed_total', { camera: 'cam' }). */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => {
    if (!l.startsWith(`${name}{`) && !l.startsWith(`${name} `)) return false;
    const labelText = l.startsWith(`${name}{`) ? l.slice(name.length + 1, l.indexOf('}')) : '';
    const present = labelText === '' ? [] : labelText.split(',');
    return pairs.every((p) => present.includes(p));
  });
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}
