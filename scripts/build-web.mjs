#!/usr/bin/env node
// Builds the review page (web/) into dist/web/: type-checks it, bundles
// app.ts, worker.ts and reader.ts with esbuild (ES modules), and copies the page, its
// CSS, uPlot's CSS and build/*.wasm beside the bundles (the worker loads the
// kernels and the JPEG decoder from its own folder).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/web');
const require = createRequire(import.meta.url);

execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'web/tsconfig.json')], { stdio: 'inherit' });
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, 'web/app.ts'), join(root, 'web/worker.ts'), join(root, 'web/reader.ts')],
  outdir: out,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
for (const file of ['index.html', 'review.css', 'report.css']) copyFileSync(join(root, 'web', file), join(out, file));
copyFileSync(join(dirname(require.resolve('uplot')), 'uPlot.min.css'), join(out, 'uPlot.min.css'));
const wasm = readdirSync(join(root, 'build')).filter((name) => name.endsWith('.wasm'));
if (wasm.length === 0) throw new Error('build/ has no .wasm files: run npm run build:wasm first');
for (const name of wasm) copyFileSync(join(root, 'build', name), join(out, name));
console.log(`dist/web: app.js, worker.js, reader.js, index.html, ${wasm.length} .wasm files`);
