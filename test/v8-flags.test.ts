// Starting a worker thread undoes the V8 flags the agent sets at run time
// (edge/v8-flags.ts); the agent's relay thread sets them again as it starts. Each
// case runs in a child process (the flags are process-wide): it keeps the
// young generation small as `driftwatch run` does, churns short-lived
// objects, starts a worker, churns again, and prints the main thread's
// new-space size in MiB.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from './helpers/paths.js';

const flags = suite('V8 flags and worker threads');

const CHURN = 'const churn = () => { let keep = []; for (let i = 0; i < 2e6; i++) { keep.push({ i, s: "x" + i }); if (keep.length > 20000) keep = []; } };';
const NEW_SPACE = 'const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size / 1048576;';

function newSpaceAfter(startWorker: string): { before: number; after: number } {
  const dist = repoPath('dist', 'edge');
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { Worker } from 'node:worker_threads';
    import { keepYoungGenerationSmall } from '${dist}/young-generation.js';
    import { ListenServer } from '${dist}/http/listen-server.js';
    import { ProxySource } from '${dist}/sources/proxy-source.js';
    ${CHURN} ${NEW_SPACE}
    keepYoungGenerationSmall([]);
    churn();
    const before = newSpace();
    ${startWorker}
    churn();
    console.log(JSON.stringify({ before, after: newSpace() }));
    process.exit(0);
  `;
  // A file, not --eval: workers inherit the parent's execArgv, and --input-type would stop them.
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-v8-flags-'));
  try {
    writeFileSync(join(dir, 'case.mjs'), script);
    const child = spawnSync(process.execPath, [join(dir, 'case.mjs')], { encoding: 'utf8', timeout: 60_000 });
    if (child.status !== 0) throw new Error(`child failed (${child.status}): ${child.stderr}`);
    return JSON.parse(child.stdout.trim()) as { before: number; after: number };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

flags('a plain worker undoes --semi-space-growth-factor=1 (the Node behaviour the agent works around)', () => {
  const { before, after } = newSpaceAfter(`
    const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
    await new Promise((resolve) => worker.once('online', resolve));
    await new Promise((resolve) => setTimeout(resolve, 100));`);
  assert.ok(after >= 8 * before, `new space ${before} MiB before, ${after} MiB after a plain worker started: if this fails, Node no longer resets the flags and v8-flags.ts can go`);
});

flags('the proxy\'s relay thread sets the flags again: the young generation stays small', () => {
  const { before, after } = newSpaceAfter(`
    const server = new ListenServer({ host: '127.0.0.1', port: 0 });
    await new ProxySource(server, { upstream: new URL('http://127.0.0.1:9'), tapPath: '/predict', camera: 'cam', thread: true }).start({ offer: () => true });
    await server.listen();`);
  // One doubling happens now and then with the flags in force too; without them it is 16-fold.
  assert.ok(after <= 2 * before, `new space ${before} MiB before, ${after} MiB after the relay thread started`);
});

flags.run();
