// How `driftwatch watch` prints a message: one readable line, or one JSON
// object (the envelope with its decoded body, plus the topic). Every string
// that came over MQTT goes through safe-text.ts first.
import type { Received } from './decode-message.js';
import { safeJson, safeText } from './safe-text.js';

/** 2026-12-01T17:10:28Z (seconds; the envelope's ts in UTC). */
export function isoSeconds(ms: number | bigint): string {
  const value = Number(ms);
  if (!Number.isFinite(value) || Math.abs(value) > 8.64e15) return '(bad time)';
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface Finding { effect: number; description: string }

function topFindings(findings: readonly Finding[], count: number): string {
  const top = [...findings].sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect)).slice(0, count).map((f) => f.description);
  return top.join(', ') + (findings.length > count ? ', …' : '');
}

export function humanLine(message: Received): string {
  const { envelope } = message;
  const when = isoSeconds(envelope.ts);
  switch (message.kind) {
    case 'alert': {
      const b = message.body;
      const what = b.causeRevised ? `${b.state.toUpperCase()}  cause revised: ${b.cause}` : `${b.state.toUpperCase()}  ${b.cause}`;
      const findings = b.findings.length ? `  ${topFindings(b.findings, 3)}` : '';
      return safeText(`${when}  ${envelope.dev}/${b.camera}  ${what}${findings}  (alert ${b.id})${envelope.hist ? '  [replayed]' : ''}`);
    }
    case 'state':
      return safeText(`${when}  ${envelope.dev} ${message.body.online ? `online (bdSeq ${message.body.bdSeq})` : 'OFFLINE'}`);
    case 'birth':
      return safeText(`${when}  ${envelope.dev} birth (bdSeq ${envelope.bdSeq})  ${safeJson(message.body)}`);
    case 'summary':
      return safeText(`${when}  ${envelope.dev}/${envelope.cam ?? ''}  summary (seq ${envelope.seq})`);
  }
}

export function jsonLine(message: Received): string {
  return safeJson({ topic: message.topic, ...message.envelope, body: message.body });
}
