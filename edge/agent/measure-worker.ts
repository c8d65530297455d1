// The agent's measuring thread: decodes each frame and computes its
// features (frame-measurer.ts), one frame at a time, in arrival order, at
// the lowest CPU priority (thread-priority.ts): forwarding comes first.
import { parentPort, workerData } from 'node:worker_threads';
import { loadKernels } from '../library.js';
import { measureFrame, type MeasureRequest } from './frame-measurer.js';
import { lowerThisThreadsPriority } from './thread-priority.js';
import { applyV8Flags } from '../v8-flags.js';

if (!parentPort) throw new Error('measure-worker.js runs as a worker thread');
// Starting this thread undid the agent's V8 flags (v8-flags.ts).
applyV8Flags((workerData as { v8Flags?: string[] } | null)?.v8Flags ?? []);
lowerThisThreadsPriority();
const port = parentPort;
const kernels = loadKernels();
let chain: Promise<void> = Promise.resolve();

port.on('message', ({ id, request }: { id: number; request: MeasureRequest }) => {
  chain = chain.then(async () => {
    const measured = await measureFrame(await kernels, request);
    const transfer = measured.ok ? Object.values(measured.stats.histograms).map((h) => h.buffer as ArrayBuffer) : [];
    port.postMessage({ id, measured }, transfer);
  });
});
