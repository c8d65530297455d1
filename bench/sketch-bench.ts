// Quantile sketches (issue 4): accuracy at equal serialized bytes against
// DDSketch and t-digest, update throughput, and the size and memory of the
// default sketch as n grows. All on the same seeded float32 streams, in one run.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { QuantileSketch } from '../src/index.js';
import { stream } from '../test/helpers/sketch-data.js';
import { totalCapacity } from '../src/sketch/capacity.js';
import { ddsketch, kll, maxQuantileRankError, tDigest, tuneToBytes, type Peer } from './sketch-peers.js';
import { median, timeInterleaved, type BenchTable } from './timing.js';

const N = 1e6;
const DISTRIBUTIONS = ['uniform', 'normal', 'lognormal'] as const;

function fixed(x: number, digits = 4): string { return x.toFixed(digits); }

const BUILDS = 5;

/** Median and worst max-rank-error over BUILDS builds (seeds 1..5 for KLL; tdigest is unseeded, DDSketch deterministic). */
function errors(peer: Peer, values: Float32Array, sorted: Float64Array, parameter: number): { bytes: number; median: number; worst: number } {
  const found: number[] = [];
  let bytes = 0;
  for (let seed = 1; seed <= BUILDS; seed++) {
    const built = peer.build(values, parameter, seed);
    bytes = built.bytes;
    found.push(maxQuantileRankError(built, sorted));
  }
  return { bytes, median: median(found), worst: Math.max(...found) };
}

function accuracyTable(log: (line: string) => void, tuned: Map<string, number>): BenchTable {
  const rows: BenchTable['rows'] = [];
  for (const name of DISTRIBUTIONS) {
    const values = stream(name, N, 1);
    const sorted = Float64Array.from(values).sort();
    const reference = errors(kll, values, sorted, 200);
    const row = (peer: Peer, parameter: string, e: typeof reference) => rows.push({ distribution: name, sketch: peer.name,
      parameter, 'serialized bytes': e.bytes, 'max rank error (median of 5)': fixed(e.median), 'worst of 5': fixed(e.worst),
      'median error vs KLL': (e.median / reference.median).toFixed(2) });
    row(kll, 'k = 200', reference);
    for (const peer of [ddsketch, tDigest]) {
      log(`sketch bench: tuning ${peer.name} to ${reference.bytes} bytes on ${name}`);
      const parameter = tuneToBytes(peer, values, reference.bytes);
      if (name === 'normal') tuned.set(peer.name, parameter);
      row(peer, `${peer.parameter} = ${parameter.toPrecision(3)}`, errors(peer, values, sorted, parameter));
    }
  }
  return { title: `Quantile sketches at equal serialized bytes (each peer tuned to the largest size <= the KLL's), n = 1e6: max normalized rank error of quantile(q), q = 0.001..0.999`, rows };
}

async function throughputTable(tuned: Map<string, number>): Promise<BenchTable> {
  const values = stream('normal', N, 2);
  const peers = [kll, ddsketch, tDigest];
  const parameter = (name: string) => tuned.get(name) ?? 200;
  const times = await timeInterleaved(peers.map((peer) => ({ name: peer.name, run: () => peer.build(values, parameter(peer.name)) })), 3, 1);
  const kllMs = times.get(kll.name)!;
  return {
    title: 'Update throughput: 1e6 normal values into one sketch (parameters as tuned above), median of 3 rounds',
    rows: peers.map((peer) => ({ sketch: peer.name, 'ms per 1e6': fixed(times.get(peer.name)!, 0),
      'values/s': `${(N / times.get(peer.name)! / 1e3).toFixed(1)} M`, 'time vs KLL': (times.get(peer.name)! / kllMs).toFixed(2) })),
  };
}

/**
 * One camera's 21 sketches at n = 1e6, measured in child processes with
 * --expose-gc (bench/sketch-memory.ts); median of 3 runs, as a stray
 * allocation elsewhere in the heap can move one run by ~100 KB.
 */
function cameraMemoryTable(): BenchTable {
  const script = fileURLToPath(new URL('./sketch-memory.js', import.meta.url));
  const runs = [0, 1, 2].map(() => {
    const child = spawnSync(process.execPath, ['--expose-gc', script], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`sketch-memory failed: ${child.stderr}`);
    return JSON.parse(child.stdout) as { sketches: number; idle: number; queried: number };
  });
  const count = runs[0].sketches;
  const idle = median(runs.map((r) => r.idle)), queried = median(runs.map((r) => r.queried));
  return {
    title: `Memory of one camera's ${count} default sketches (catalogue v1 scalar features), n = 1e6 each: live heap + typed arrays after GC, median of 3 runs`,
    rows: [
      { state: 'after updates', 'bytes, all sketches': idle, 'bytes per sketch': Math.round(idle / count) },
      { state: 'after a query on each (sorted views cached)', 'bytes, all sketches': queried, 'bytes per sketch': Math.round(queried / count) },
    ],
  };
}

function sizeTable(log: (line: string) => void): BenchTable {
  const rows: BenchTable['rows'] = [];
  for (const n of [1e2, 1e3, 1e4, 1e5, 1e6, 1e7]) {
    log(`sketch bench: size at n = ${n}`);
    const values = stream('uniform', Math.min(n, 1e6), 3);
    const s = new QuantileSketch();
    for (let i = 0; i < n; i++) s.update(values[i % values.length]);
    const bytes = s.serialize();
    const levels = bytes[6] + 256 * bytes[7];
    const bound = 36 + 4 * levels + 4 * (totalCapacity(200, levels) - 1);
    const memory = s.memoryBytes();
    s.quantile(0.5);
    rows.push({ n: n.toExponential(0), levels, 'retained items': s.retained, 'serialized bytes': bytes.length,
      'bound for these levels': bound, 'memoryBytes() (typed-array payload)': memory, 'after a query (+ sorted view)': s.memoryBytes() });
  }
  return { title: 'Default sketch (k = 200) by n: serialized size, its bound 36 + 4L + 4(C(L) - 1), memory', rows };
}

export async function runSketchBench(log: (line: string) => void): Promise<BenchTable[]> {
  const tuned = new Map<string, number>();
  const accuracy = accuracyTable(log, tuned);
  log('sketch bench: throughput');
  const throughput = await throughputTable(tuned);
  const sizes = sizeTable(log);
  log('sketch bench: memory of 21 sketches (child process)');
  return [accuracy, throughput, sizes, cameraMemoryTable()];
}
