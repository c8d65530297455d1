// A tiny static HTTP server on loopback for browser tests: files under one
// folder, plus a few in-memory routes, with the content types browsers need
// (module scripts must be JavaScript; streaming compile wants application/wasm).
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface Route {
  body: Uint8Array | string;
  type: string;
}

export interface StaticServer {
  /** Base URL ending in '/', e.g. http://127.0.0.1:41234/ */
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
};

async function fileFor(root: string, pathname: string): Promise<Route | undefined> {
  const path = resolve(root, '.' + decodeURIComponent(pathname));
  // Never serve outside the root, whatever the request path says.
  if (path !== root && !path.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  try {
    return { body: await readFile(path), type: TYPES[extname(path)] ?? 'application/octet-stream' };
  } catch {
    return undefined;
  }
}

export function startStaticServer(rootDir: string, routes: Record<string, Route> = {}): Promise<StaticServer> {
  const root = resolve(rootDir);
  const server: Server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end();
      return;
    }
    const found = Object.hasOwn(routes, pathname) ? Promise.resolve(routes[pathname]) : fileFor(root, pathname);
    found.then((route) => {
      if (!route) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${pathname}`);
        return;
      }
      response.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : route.body);
    }, (error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolvePromise({
        url: `http://127.0.0.1:${port}/`,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
