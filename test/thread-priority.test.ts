// The agent's thread lowers its own priority beside the proxy's relay
// thread, and only its own: on Linux each thread is a task with its own nice
// value in /proc/<pid>/task/<tid>/stat. Here a worker thread lowers itself
// (this test runner's own thread is left alone): it alone runs at nice 19.
// test/agent-sources.test.ts checks the running agent's threads.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { platform } from 'node:os';
import { Worker } from 'node:worker_threads';
import { BACKGROUND_NICE } from '../edge/agent/thread-priority.js';
import { threadNices } from './helpers/thread-nices.js';
import { repoPath } from './helpers/paths.js';

const priority = suite('thread priority');

priority('on Linux the calling thread alone takes nice 19; every other thread keeps the process\'s nice value', async () => {
  if (platform() !== 'linux') return;
  const processNice = (await threadNices(process.pid)).get(process.pid)!;
  if (processNice === BACKGROUND_NICE) return; // nothing to tell apart
  const module = repoPath('dist', 'edge', 'agent', 'thread-priority.js');
  const worker = new Worker(`
    const { parentPort, threadId } = require('node:worker_threads');
    import(${JSON.stringify(module)}).then(({ lowerThisThreadsPriority }) => parentPort.postMessage(lowerThisThreadsPriority()));
    setInterval(() => {}, 1000);`, { eval: true });
  try {
    const [applied] = (await new Promise((resolve) => worker.once('message', (m) => resolve([m])))) as [boolean];
    assert.is(applied, true);
    const nices = await threadNices(process.pid);
    assert.is(nices.get(process.pid), processNice, 'the main thread keeps its priority');
    assert.is([...nices.values()].filter((nice) => nice === BACKGROUND_NICE).length, 1, 'exactly one thread runs at nice 19: the worker');
  } finally {
    await worker.terminate();
  }
});

priority.run();
