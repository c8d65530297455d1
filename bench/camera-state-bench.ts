// One camera's whole streaming state against the 1 MB budget, measured
// in a child process with --expose-gc (median of three runs).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, type BenchTable } from './timing.js';

const BUDGET_BYTES = 1024 * 1024;

export async function runCameraStateBench(log: (line: string) => void): Promise<BenchTable> {
  log('camera state memory: 4 cameras, windows filled, 21 sketches of 1e6 updates each');
  const script = fileURLToPath(new URL('./camera-state-memory.js', import.meta.url));
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const child = spawnSync(process.execPath, ['--expose-gc', script], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`camera-state-memory failed: ${child.stderr}`);
    runs.push((JSON.parse(child.stdout) as { perCameraBytes: number }).perCameraBytes);
  }
  const bytes = median(runs);
  return {
    title: 'One camera\'s streaming state (catalogue v1: windows, sketches, class counts), live heap',
    rows: [{
      'bytes per camera (median of 3)': Math.round(bytes),
      'KB': (bytes / 1024).toFixed(1),
      'share of the 1 MB budget': `${((100 * bytes) / BUDGET_BYTES).toFixed(1)}%`,
      'runs': runs.map((r) => Math.round(r / 1024)).join(', ') + ' KB',
    }],
  };
}
