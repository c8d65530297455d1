// Timing helpers: candidates are interleaved round by round so that a noisy
// neighbour on the shared machine slows them all alike, and each figure is
// the median over rounds.

export interface Candidate {
  name: string;
  run: () => unknown | Promise<unknown>;
  /** Calls per round, for very fast candidates (the time is divided back). */
  repeat?: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function timeInterleaved(candidates: readonly Candidate[], rounds: number, warmup = 2): Promise<Map<string, number>> {
  const samples = new Map(candidates.map((c) => [c.name, [] as number[]]));
  for (let round = -warmup; round < rounds; round++) {
    for (const candidate of candidates) {
      const repeat = candidate.repeat ?? 1;
      const start = performance.now();
      for (let i = 0; i < repeat; i++) await candidate.run();
      const elapsed = (performance.now() - start) / repeat;
      if (round >= 0) samples.get(candidate.name)!.push(elapsed);
    }
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
}

export interface BenchTable {
  title: string;
  rows: Array<Record<string, string | number>>;
}

export function markdownTable(table: BenchTable): string {
  if (table.rows.length === 0) return `### ${table.title}\n\n(no rows)\n`;
  const columns = Object.keys(table.rows[0]);
  const lines = [`### ${table.title}`, '', `| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`];
  for (const row of table.rows) lines.push(`| ${columns.map((c) => String(row[c] ?? '')).join(' | ')} |`);
  return lines.join('\n') + '\n';
}
