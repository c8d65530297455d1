// GET /metrics and GET /healthz on the agent's HTTP server, which may also
// serve http: sources: the router answers its two paths and leaves the rest.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgentHealth } from './health.js';
import type { AgentMetrics } from './metrics.js';

/** Handles /metrics and /healthz (query strings ignored); returns false for any other path. */
export function observabilityRoutes(parts: { metrics: AgentMetrics; health: AgentHealth }): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') parts.metrics.handler(req, res);
    else if (path === '/healthz') parts.health.handler(req, res);
    else return false;
    return true;
  };
}
