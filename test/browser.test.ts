// Smoke test: in a real headless Chromium, the portable loader (dist/src served
// over http) loads both kernel builds from the default /build/ location and
// computes the same features, bit for bit, as Node does on the same pixels.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { repoRoot } from './helpers/paths.js';
import { startStaticServer, type StaticServer } from './helpers/static-server.js';
import { decodeSmokeFrame, type SmokeFrame } from './helpers/smoke-frame.js';
import { assertBitIdenticalToNode, type RemoteResults } from './helpers/bit-identical.js';

// Debian's Chromium; a browser is never downloaded.
const CHROMIUM = '/usr/bin/chromium';
// Without the networking flags Chromium tries to reach Google's hosts, which this machine's network refuses.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const SMOKE_PAGE = '<!doctype html><title>driftwatch smoke</title>'
  + '<script type="importmap">{"imports": {"msgpackr/pack": "/node_modules/msgpackr/pack.js"}}</script>';

interface PageRun {
  frame: SmokeFrame;
  results: RemoteResults;
  wasmRequests: string[];
}

let server: StaticServer | undefined;
let browser: Browser | undefined;
let pending: Promise<PageRun> | undefined;

async function runInPage(): Promise<PageRun> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's Chromium with \`apt-get install chromium\` (.ci/run does)`);
  }
  const frame = await decodeSmokeFrame();
  server = await startStaticServer(repoRoot, {
    // dist/src is unbundled ESM: the page maps the core's one bare import (msgpackr) as a bundler would.
    '/__smoke/page.html': { body: SMOKE_PAGE, type: 'text/html; charset=utf-8' },
    '/__smoke/frame.raw': { body: frame.pixels, type: 'application/octet-stream' },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') pageErrors.push(message.text()); });
  const wasmRequests: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith('.wasm')) wasmRequests.push(url.pathname);
  });
  await page.goto(`${server.url}__smoke/page.html`);
  const args = {
    core: '/dist/src/index.js',
    smoke: '/test/fixtures/smoke-stats.mjs',
    raw: '/__smoke/frame.raw',
    frame: { width: frame.width, height: frame.height, format: frame.format },
  };
  try {
    // Runs in the page: module specifiers are passed in so tsc leaves them alone.
    const results = await page.evaluate(async ({ core, smoke, raw, frame }) => {
      const { loadKernels } = await import(core);
      const { smokeStats } = await import(smoke);
      const response = await fetch(raw);
      if (!response.ok) throw new Error(`GET ${raw}: HTTP ${response.status}`);
      const pixels = new Uint8Array(await response.arrayBuffer());
      return smokeStats(loadKernels, pixels, frame);
    }, args) as RemoteResults;
    return { frame, results, wasmRequests };
  } catch (error) {
    const detail = pageErrors.length ? `\npage errors:\n  ${pageErrors.join('\n  ')}` : '';
    throw new Error(`the page could not compute frame stats: ${(error as Error).message}${detail}`);
  }
}

// One browser session for the whole suite; every test reports its own failure.
function pageRun(): Promise<PageRun> {
  pending ??= runInPage();
  return pending;
}

const browserSuite = suite('browser (Chromium)');

browserSuite.after(async () => {
  await browser?.close();
  await server?.close();
});

browserSuite('the default loader fetches the SIMD build from the served /build/', async () => {
  const { results, wasmRequests } = await pageRun();
  assert.is(results.default.simd, true, 'loadKernels() in Chromium should pick the SIMD build');
  assert.equal([...wasmRequests].sort(), ['/build/kernels-scalar.wasm', '/build/kernels-simd.wasm']);
});

browserSuite('both builds give bit-identical features and histograms to Node', async () => {
  const { frame, results } = await pageRun();
  await assertBitIdenticalToNode('Chromium', frame, results);
});

browserSuite.run();
