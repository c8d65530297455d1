// Lists recorded messages (web/recorded-input.ts) on the page, as text:
// alerts in the alert-transitions table (their own tbody, kept when frames are
// processed again), summaries and other envelopes in the per-camera
// "Recorded messages" table, files that do not decode in the errors table.
import { appendRow } from './text-table.js';
import type { Recorded } from './recorded-input.js';

function ownBody(table: HTMLTableElement, id: string): HTMLTableSectionElement {
  const existing = table.querySelector<HTMLTableSectionElement>(`tbody#${id}`);
  if (existing) return existing;
  const body = document.createElement('tbody');
  body.id = id;
  table.append(body);
  return body;
}

export function showRecorded(recorded: Recorded, tables: { alerts: HTMLTableElement; messages: HTMLTableElement; errors: HTMLTableElement }): void {
  const alerts = ownBody(tables.alerts, 'recorded-alerts');
  for (const a of recorded.alerts) {
    const where = a.line === null ? `${a.file} (recorded${a.device ? `, device ${a.device}` : ''})` : `${a.file}:${a.line} (recorded)`;
    appendRow(alerts, [a.frame, where, a.causeRevised ? 'firing (cause revised)' : a.state, a.cause, a.id, [a.camera ? `camera ${a.camera}` : '', a.features.join(', ')].filter(Boolean).join('; ')], `${a.state} recorded`);
  }
  const messages = tables.messages.tBodies[0];
  const sorted = [...recorded.messages].sort((x, y) => String(x.camera ?? '').localeCompare(String(y.camera ?? '')) || x.ts - y.ts);
  for (const m of sorted) {
    appendRow(messages, [m.camera ?? '—', m.kind, m.device || '—', m.ts ? new Date(m.ts).toISOString() : '—', m.file, m.detail]);
  }
  const errors = ownBody(tables.errors, 'recorded-errors');
  for (const e of recorded.errors) appendRow(errors, ['—', e.file, `recorded file: ${e.message}`]);
}
