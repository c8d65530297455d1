// Which requests the listen server answers itself, as plain data: the relay
// decides from it whether a request goes to the agent's own routes or to the
// forwarder, in the listen server's thread or in the relay thread (which
// gets a fresh copy whenever a route is added or removed).

import { targetPath } from './target-path.js';

export interface RouteSnapshot {
  /** Paths of the exact routes, any method: a wrong method gets the listen server's 405. */
  exactPaths: string[];
  prefixes: string[];
  fallback: boolean;
}

/** Whether the listen server answers a request for `target` itself: a route, a 405, a fallback, or a target that is not a path (400). */
export function servedLocally(routes: RouteSnapshot, target: string): boolean {
  if (routes.fallback) return true;
  const path = targetPath(target);
  if (path === undefined) return true;
  return routes.exactPaths.includes(path) || routes.prefixes.some((prefix) => path.startsWith(prefix));
}
