// The eval's results as Markdown tables (for BENCHMARKS.md) and JSON.
import type { DriftScore, StableScore } from './score.js';

export interface StableRow { scenario: string; camera: string; policy: string; score: StableScore; policyMs: number }
export interface DriftRow { scenario: string; camera: string; kind: string; onset: string; policy: string; score: DriftScore; policyMs: number }

export interface EvalReport {
  command: string;
  parameters: Record<string, unknown>;
  stable: StableRow[];
  drift: DriftRow[];
  wallSeconds: number;
  generatedFrames: number;
  cachedFrames: number;
}

const fixed = (x: number, digits: number) => x.toFixed(digits);

export function stableTable(rows: readonly StableRow[]): string {
  const lines = [
    '| stream | frames | policy | false firing alerts | per 100,000 frames | share of time firing |',
    '|---|---:|---|---:|---:|---:|',
  ];
  const policies = [...new Set(rows.map((r) => r.policy))];
  for (const r of rows) {
    lines.push(`| ${r.scenario} | ${r.score.frames.toLocaleString('en-US')} | ${r.policy} | ${r.score.falseFirings} | ${fixed(r.score.falseFiringsPer100k, 0)} | ${fixed(100 * r.score.firingShare, 1)}% |`);
  }
  for (const policy of policies) {
    const mine = rows.filter((r) => r.policy === policy);
    const frames = mine.reduce((s, r) => s + r.score.frames, 0);
    const firings = mine.reduce((s, r) => s + r.score.falseFirings, 0);
    const firing = mine.reduce((s, r) => s + r.score.firingShare * r.score.frames, 0);
    lines.push(`| **all stable** | **${frames.toLocaleString('en-US')}** | ${policy} | **${firings}** | **${fixed((firings * 100_000) / frames, 0)}** | **${fixed((100 * firing) / frames, 1)}%** |`);
  }
  return lines.join('\n');
}

function delayCell(s: DriftScore): string {
  return s.delay === null ? 'not fired' : String(s.delay);
}

export function driftTable(rows: readonly DriftRow[]): string {
  const lines = [
    '| drift | onset | camera | policy | delay (frames) | fired before full size | false firings before the drift | already firing at the drift start | cause when fired | cause at full size | last cause |',
    '|---|---|---|---|---:|---|---:|---|---|---|---|',
  ];
  for (const r of rows) {
    const s = r.score;
    const early = s.firedBeforeFullSize === null ? '—' : s.firedBeforeFullSize ? 'yes' : 'no';
    lines.push(`| ${r.kind} | ${r.onset} | ${r.camera} | ${r.policy} | ${delayCell(s)} | ${early} | ${s.firingsBeforeStart} | ${s.firingAtStart ? 'yes' : 'no'} | ${s.cause ?? '—'} | ${s.causeAtFullSize ?? '—'} | ${s.lastCause ?? '—'} |`);
  }
  return lines.join('\n');
}

export function markdownReport(report: EvalReport): string {
  return [
    `Command: \`${report.command}\``, '',
    'Parameters:', '', '```json', JSON.stringify(report.parameters, null, 2), '```', '',
    '### Stable streams', '', stableTable(report.stable), '',
    '### Drift scenarios', '', driftTable(report.drift), '',
    `Wall time ${report.wallSeconds.toFixed(0)} s: ${report.generatedFrames.toLocaleString('en-US')} frames generated, ${report.cachedFrames.toLocaleString('en-US')} read from the cache.`,
  ].join('\n');
}
