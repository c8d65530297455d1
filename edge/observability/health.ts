// Whether the agent is ready: every camera's baseline loaded and every
// camera's source running, and not shutting down. GET /healthz answers 200
// when ready, else 503 naming each part that is not.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { maskUrlCredentials } from '../config/mask-secrets.js';

export type BaselineHealth =
  | { state: 'loading' }
  | { state: 'loaded'; digest: string }
  | { state: 'failed'; reason: string };

export type SourceHealth =
  | { state: 'starting' }
  | { state: 'running' }
  | { state: 'stopped'; reason: string };

export interface CameraHealth {
  baseline: BaselineHealth;
  source: SourceHealth;
}

export interface HealthReport {
  status: 'ok' | 'not_ready' | 'stopping';
  device: string | null;
  cameras: Record<string, CameraHealth>;
  /** One line per part that is not ready ('yard source: stopped (...)'); empty when ready. */
  notReady: string[];
}

// A reason may quote a URL with its password (a proxy upstream, a broker).
const reasonText = (reason: unknown): string => maskUrlCredentials(String(reason instanceof Error ? reason.message : reason)).slice(0, 300);

export class AgentHealth {
  private readonly cameras = new Map<string, CameraHealth>();
  private stopping = false;

  constructor(cameras: readonly string[], private readonly device: string | null = null) {
    if (!Array.isArray(cameras) || cameras.length === 0) throw new TypeError('cameras must list the configured camera ids');
    for (const camera of cameras) this.cameras.set(camera, { baseline: { state: 'loading' }, source: { state: 'starting' } });
  }

  private camera(camera: string): CameraHealth {
    const health = this.cameras.get(camera);
    if (!health) throw new RangeError(`unknown camera '${String(camera)}': health tracks only the configured cameras (${[...this.cameras.keys()].join(', ')})`);
    return health;
  }

  baselineLoaded(camera: string, digest: string): void {
    this.camera(camera).baseline = { state: 'loaded', digest: String(digest) };
  }

  baselineFailed(camera: string, reason: unknown): void {
    this.camera(camera).baseline = { state: 'failed', reason: reasonText(reason) };
  }

  sourceRunning(camera: string): void {
    this.camera(camera).source = { state: 'running' };
  }

  sourceStopped(camera: string, reason: unknown): void {
    this.camera(camera).source = { state: 'stopped', reason: reasonText(reason) };
  }

  /** Shutdown has begun: not ready from now on, whatever the cameras say. */
  shuttingDown(): void {
    this.stopping = true;
  }

  report(): HealthReport {
    const notReady: string[] = [];
    const cameras: Record<string, CameraHealth> = {};
    for (const [id, health] of this.cameras) {
      cameras[id] = { baseline: { ...health.baseline }, source: { ...health.source } };
      const { baseline, source } = health;
      if (baseline.state === 'loading') notReady.push(`${id} baseline: not loaded yet`);
      if (baseline.state === 'failed') notReady.push(`${id} baseline: failed (${baseline.reason})`);
      if (source.state === 'starting') notReady.push(`${id} source: starting`);
      if (source.state === 'stopped') notReady.push(`${id} source: stopped (${source.reason})`);
    }
    if (this.stopping) notReady.unshift('agent: shutting down');
    const status = this.stopping ? 'stopping' : notReady.length === 0 ? 'ok' : 'not_ready';
    return { status, device: this.device, cameras, notReady };
  }

  get ready(): boolean {
    return this.report().status === 'ok';
  }

  /** GET (or HEAD) /healthz; mount it on the path yourself. */
  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed: use GET\n');
      return;
    }
    const report = this.report();
    const body = `${JSON.stringify(report)}\n`;
    res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
