// A child process for test/outbox-kill.test.ts, run as
//   node outbox-child.js <dir> <first seq>
// Four workers append numbered messages to a FileOutbox in <dir> back to back
// (every 5th in the priority lane) and ack every 7th. After an append resolves
// it prints "appended <id> <seq>"; after an ack resolves, "acked <id>".
// It runs until it is killed.
import { FileOutbox } from '../../edge/outbox/file-outbox.js';
import { outboxChildMessage } from './outbox-messages.js';

const [dir, first] = process.argv.slice(2);
const outbox = await FileOutbox.open(dir);
let seq = Number(first);

async function worker(): Promise<never> {
  for (;;) {
    const n = seq++;
    const entry = await outbox.append(outboxChildMessage(n));
    process.stdout.write(`appended ${entry.id} ${n}\n`);
    if (n % 7 === 0) {
      await outbox.ack(entry.id);
      process.stdout.write(`acked ${entry.id}\n`);
    }
  }
}

process.stdout.write('ready\n');
await Promise.all([worker(), worker(), worker(), worker()]);
