// The outbox contract, run against the in-memory backend.
import { MemoryOutbox } from '../edge/outbox/memory-outbox.js';
import { outboxContract } from './outbox-contract.js';

outboxContract({
  name: 'MemoryOutbox',
  open: async (limits, now) => new MemoryOutbox(limits, { now }),
  cleanup: async () => {},
});
