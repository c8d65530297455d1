// Which requests the listen server answers itself, as plain data: the relay
// decides from it whether a request goes to the agent's own routes or to the
// forwarder, in the listen server's thread or in the relay thread (which
// gets a fresh copy whenever a route is added or removed).

export interface RouteSnapshot {
  /** Exact routes as 'METHOD /path'. */
  exact: string[];
  prefixes: string[];
  fallback: boolean;
}

/** Whether the listen server answers this request itself: a route, a 405, a fallback, or a target that is not a path (400). */
export function servedLocally(routes: RouteSnapshot, method: string, target: string): boolean {
  let path: string;
  try {
    path = new URL(target, 'http://listen.invalid').pathname;
  } catch {
    return true;
  }
  if (routes.fallback) return true;
  // Any method on an exact path: the wrong ones get the listen server's 405.
  if (routes.exact.some((key) => key.slice(key.indexOf(' ') + 1) === path)) return true;
  return routes.prefixes.some((prefix) => path.startsWith(prefix));
}
