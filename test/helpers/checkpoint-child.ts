// A child process for test/checkpoint-process.test.ts, run as
//   node checkpoint-child.js term <dir>   count in the event loop, save every 20 ms,
//                                         and on SIGTERM save once more and exit
//   node checkpoint-child.js loop <dir>   load the checkpoint, then save { seq, payload }
//                                         back to back forever, seq counting on from it
// It reports on stdout, one line each: "start <seq>", "saved <n>", "exit <code> <counter>".
import { CheckpointStore } from '../../edge/checkpoint/checkpoint-store.js';
import { Checkpointer } from '../../edge/checkpoint/checkpointer.js';
import { flushOnSignals } from '../../edge/checkpoint/flush-on-signal.js';
import { loopPayload } from './checkpoint-payload.js';


async function term(dir: string): Promise<void> {
  const store = await CheckpointStore.open(dir);
  let counter = 0;
  const work = setInterval(() => { counter++; }, 1);
  process.on('SIGTERM', () => clearInterval(work)); // registered first: the work stops before the last save
  const checkpointer = new Checkpointer({
    store, name: 'term', intervalMs: 20,
    snapshot: () => ({ counter, payload: loopPayload(counter).slice(0, 1000) }),
    onError: (e) => process.stdout.write(`error ${e.message}\n`),
    onSaved: () => process.stdout.write(`saved ${counter}\n`),
  }).start();
  flushOnSignals([checkpointer], { exit: (code) => { process.stdout.write(`exit ${code} ${counter}\n`); process.exit(code); } });
}

async function loop(dir: string): Promise<void> {
  const store = await CheckpointStore.open(dir);
  // Like an agent: carry on from the checkpoint a killed predecessor left.
  const loaded = await store.load('loop');
  const start = loaded && loaded.ok ? (loaded.value as { seq: number }).seq : 0;
  process.stdout.write(`start ${start}\n`);
  for (let seq = start + 1; ; seq++) {
    await store.save('loop', { seq, payload: loopPayload(seq) });
    process.stdout.write(`saved ${seq}\n`);
  }
}

const [mode, dir] = process.argv.slice(2);
if (mode === 'term') await term(dir);
else if (mode === 'loop') await loop(dir);
else throw new RangeError(`mode must be term or loop; got ${mode}`);
