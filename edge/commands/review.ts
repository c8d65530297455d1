// `driftwatch review [--port N] [--baseline <file>] [dir]`: serves the review
// page (dist/web/) on 127.0.0.1 and, given a folder, its images read-only at
// frames/, so the page opens on that folder and processes it in the browser.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { UsageError, type CommandIO } from '../command-io.js';

export const reviewHelp = `Usage: driftwatch review [<folder>] [options]

Serves the offline review page (docs/review.md) on http://127.0.0.1 and prints
its URL. The page runs the same WebAssembly as the agent in the browser's Web
Worker: it computes each frame's features and, with a baseline, runs the
drift monitor as \`driftwatch replay\` does. Nothing leaves this machine.

Given a <folder>, its .jpg/.jpeg/.png files (not subfolders) are served
read-only and the page opens on them, in file-name order; the folder's name is
the camera's name. Its recorded messages (.msgpack envelopes as the agent
publishes them, .jsonl alert lines of run or replay --json) are served too and
listed on the page: a folder of recorded messages alone is a recorded session.
Without a folder, pick or drop files on the page.

Options:
  --port <n>          TCP port on 127.0.0.1 (default 0: any free port)
  --baseline <file>   a baseline (.dwb) the page compares the folder with
  -h, --help          this text

Runs until interrupted (Ctrl-C). Exit code 2 on bad usage.`;

const IMAGE_NAME = /\.(jpe?g|png)$/i;
const RECORDED_NAME = /\.(msgpack|jsonl)$/i;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson',
  '.msgpack': 'application/vnd.msgpack',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
};
const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

export interface ReviewServerOptions {
  /** The built page; default the package's dist/web/. */
  webRoot?: string;
  folder?: string;
  baseline?: string;
  port?: number;
}

export interface ReviewServer {
  url: string;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, type: string, body: Uint8Array | string, head: boolean): void {
  response.writeHead(status, { 'content-type': type, ...SECURITY_HEADERS });
  response.end(head ? undefined : body);
}

export async function startReviewServer(options: ReviewServerOptions = {}): Promise<ReviewServer> {
  const webRoot = resolve(options.webRoot ?? fileURLToPath(new URL('../../web/', import.meta.url)));
  const pageFiles = new Set(await readdir(webRoot).catch(() => { throw new Error(`${webRoot} is missing: run npm run build:web`); }));
  if (!pageFiles.has('index.html')) throw new Error(`${webRoot} has no index.html: run npm run build:web`);
  const folder = options.folder === undefined ? undefined : resolve(options.folder);
  if (folder !== undefined && !(await stat(folder).catch(() => null))?.isDirectory()) throw new UsageError(`${options.folder} is not a folder`);
  if (options.baseline !== undefined && !(await stat(options.baseline).catch(() => null))?.isFile()) throw new UsageError(`--baseline ${options.baseline} is not a file`);

  // Only names listed here are served: the listing is re-read per request, so new frames show up on reload.
  const listing = async (pattern = IMAGE_NAME): Promise<string[]> => (folder ? (await readdir(folder, { withFileTypes: true })).filter((e) => e.isFile() && pattern.test(e.name)).map((e) => e.name).sort() : []);
  const served = async (): Promise<string[]> => [...await listing(IMAGE_NAME), ...await listing(RECORDED_NAME)];

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const head = request.method === 'HEAD';
    if (request.method !== 'GET' && !head) {
      send(response, 405, 'text/plain', 'read-only: GET and HEAD only', false);
      return;
    }
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (pathname === '/frames/index.json') {
      if (!folder) return send(response, 404, 'text/plain', 'no folder: run driftwatch review <folder>', head);
      return send(response, 200, TYPES['.json'], JSON.stringify({ camera: basename(folder), files: await listing(IMAGE_NAME), recorded: await listing(RECORDED_NAME), baseline: options.baseline !== undefined }), head);
    }
    if (pathname === '/frames/baseline.dwb' && options.baseline !== undefined) {
      return send(response, 200, 'application/octet-stream', await readFile(options.baseline), head);
    }
    if (pathname.startsWith('/frames/file/') && folder) {
      let name: string;
      try {
        name = decodeURIComponent(pathname.slice('/frames/file/'.length));
      } catch {
        return send(response, 400, 'text/plain', 'bad file name', head);
      }
      if (!(await served()).includes(name)) return send(response, 404, 'text/plain', 'not an image or recorded message of the served folder', head);
      return send(response, 200, TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream', await readFile(join(folder, name)), head);
    }
    const file = pathname === '/' ? 'index.html' : pathname.slice(1);
    if (!pageFiles.has(file)) return send(response, 404, 'text/plain', 'not found', head);
    return send(response, 200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(join(webRoot, file)), head);
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, 'text/plain', error instanceof Error ? error.message : String(error), false);
      else response.destroy();
    });
  });
  await new Promise<void>((done, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); }),
  };
}

function portOption(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer in [0, 65535], got '${text}'`);
  return port;
}

export async function runReview(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      baseline: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(reviewHelp);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError('give at most one folder');
  const server = await startReviewServer({ folder: positionals[0], baseline: values.baseline, port: portOption(values.port) });
  io.out(`driftwatch review: open ${server.url}${positionals[0] ? ` (folder ${positionals[0]})` : ''}`);
  await new Promise<void>((done) => {
    const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); done(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
