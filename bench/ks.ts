// ks2samp at n = m = 1e3, 1e5, 1e6 against scipy.stats.ks_2samp (method
// 'auto') timed by a python3 subprocess in the same run on the same data.
// Both sides time the whole test: sorting, the ECDF sweep and the p-value.
// Single thread on both sides; medians over several runs; seeded data.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKernels, ks2samp, type Ks2sampResult } from '../edge/library.js';

export interface KsBenchTable {
  title: string;
  rows: Array<Record<string, string | number>>;
}

const SIZES = [1_000, 100_000, 1_000_000];
const SCIPY_SCRIPT = fileURLToPath(new URL('../../bench/scipy-ks.py', import.meta.url));

/** Seeded standard normals: mulberry32 uniforms through Box–Muller. */
function normals(n: number, seed: number, shift: number): Float64Array {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(uniform())), angle = 2 * Math.PI * uniform();
    out[i] = shift + r * Math.cos(angle);
    if (i + 1 < n) out[i + 1] = shift + r * Math.sin(angle);
  }
  return out;
}

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function repeatsFor(n: number): number {
  return n <= 1_000 ? 200 : n <= 100_000 ? 21 : 9;
}

interface ScipyRun { medianMs: number; statistic: number; pvalue: number; scipy: string }

function timeScipy(a: Float64Array, b: Float64Array, repeats: number): ScipyRun | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-ks-'));
  try {
    const fa = join(dir, 'a.f64'), fb = join(dir, 'b.f64');
    writeFileSync(fa, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    writeFileSync(fb, new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    const run = spawnSync('python3', [SCIPY_SCRIPT, fa, fb, String(repeats)], {
      encoding: 'utf8',
      // One thread, as driftwatch: keep BLAS/OpenMP pools out of the comparison.
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    });
    if (run.status !== 0) return undefined;
    return JSON.parse(run.stdout) as ScipyRun;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runKsBench(log: (line: string) => void): Promise<KsBenchTable> {
  const kernels = await loadKernels();
  const rows: Array<Record<string, string | number>> = [];
  for (const n of SIZES) {
    const a = normals(n, 1234 + n, 0), b = normals(n, 4321 + n, 0.005);
    const repeats = repeatsFor(n);
    let result: Ks2sampResult | undefined;
    for (let i = 0; i < 3; i++) result = ks2samp(a, b, { kernels }); // warm up
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const start = performance.now();
      result = ks2samp(a, b, { kernels });
      times.push(performance.now() - start);
    }
    const ours = median(times);
    const scipy = timeScipy(a, b, repeats);
    const same = scipy !== undefined && result !== undefined
      && Math.abs(result.statistic - scipy.statistic) <= 1e-12
      && Math.abs(result.pvalue - scipy.pvalue) <= 1e-10 + 1e-6 * scipy.pvalue;
    log(`ks2samp n = m = ${n}: driftwatch ${ours.toFixed(3)} ms` +
      (scipy ? `, scipy ${scipy.medianMs.toFixed(3)} ms, same D and p: ${same}` : ', scipy unavailable'));
    rows.push({
      'n = m': n.toLocaleString('en-US'),
      method: result!.method,
      'driftwatch ms': ours.toFixed(3),
      'scipy ms': scipy ? scipy.medianMs.toFixed(3) : 'n/a',
      'scipy / driftwatch': scipy ? (scipy.medianMs / ours).toFixed(2) : 'n/a',
      D: result!.statistic.toPrecision(6),
      p: result!.pvalue.toPrecision(6),
      'same D and p': scipy ? String(same) : 'n/a',
    });
  }
  const version = timeScipy(normals(10, 1, 0), normals(10, 2, 0), 1)?.scipy ?? 'not found';
  return { title: `ks2samp (two-sided, method auto) against scipy.stats.ks_2samp ${version}, single thread`, rows };
}
