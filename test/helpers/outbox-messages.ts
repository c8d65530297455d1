// The numbered messages of the outbox kill test: topic and payload follow
// from the number, so the parent can check any entry it finds on its own.
import type { OutboxMessage } from '../../edge/outbox/outbox.js';

export function outboxChildMessage(n: number): OutboxMessage {
  const payload = new Uint8Array(50 + ((n * 37) % 400));
  for (let i = 0; i < payload.length; i++) payload[i] = (n + i) & 0xff;
  return { topic: `driftwatch/v1/kill/${n}`, payload, lane: n % 5 === 0 ? 'priority' : 'bulk' };
}

/** The number in a topic made by outboxChildMessage. */
export const numberOf = (topic: string): number => Number(topic.slice('driftwatch/v1/kill/'.length));
