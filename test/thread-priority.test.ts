// The measuring worker lowers its own thread's priority, and only its own:
// on Linux each thread is a task with its own nice value in
// /proc/<pid>/task/<tid>/stat, so the forwarding (main) thread keeps the
// process's priority while the worker runs at nice 19.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir, readFile } from 'node:fs/promises';
import { platform } from 'node:os';
import { WorkerMeasurer } from '../edge/agent/frame-measurer.js';
import { MEASURE_THREAD_NICE } from '../edge/agent/thread-priority.js';
import { repoPath } from './helpers/paths.js';

const priority = suite('measuring thread priority');

/** Nice value of each of this process's threads, by thread id (field 19 of stat, counted after the command name). */
async function threadNices(): Promise<Map<number, number>> {
  const nices = new Map<number, number>();
  for (const tid of await readdir('/proc/self/task')) {
    const stat = await readFile(`/proc/self/task/${tid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined) continue; // the thread ended between the listing and the read
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    nices.set(Number(tid), Number(fields[16]));
  }
  return nices;
}

priority('on Linux the worker runs at nice 19 and every other thread keeps the process\'s nice value', async () => {
  if (platform() !== 'linux') return;
  const processNice = (await threadNices()).get(process.pid)!;
  const before = [...(await threadNices()).values()].filter((nice) => nice === MEASURE_THREAD_NICE).length;
  const measurer = new WorkerMeasurer();
  try {
    const bytes = new Uint8Array(await readFile(repoPath('samples', 'rocket.jpg')));
    assert.ok((await measurer.measure({ bytes, origin: 'rocket.jpg', decode: {}, step: 1 })).ok);
    const nices = await threadNices();
    assert.is(nices.get(process.pid), processNice, 'the main thread keeps its priority');
    const lowered = [...nices.values()].filter((nice) => nice === MEASURE_THREAD_NICE).length;
    if (processNice !== MEASURE_THREAD_NICE) {
      assert.is(lowered - before, 1, 'exactly one more thread runs at nice 19: the worker');
      assert.ok([...nices.values()].filter((nice) => nice === processNice).length >= 2, 'the others keep the process\'s nice value');
    }
  } finally {
    await measurer.close();
  }
});

priority.run();
