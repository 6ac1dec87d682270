import type { Request } from 'express';

/** GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, QUERY: a route with more is a catch-all. */
const ENDPOINT_METHODS_AT_MOST = 8;

interface RouteLayer {
  match(path: string): unknown;
  route?: { methods?: Record<string, boolean> };
}

/**
 * The methods the app's routes answer at this request's path, for a 405's `Allow` header (GET
 * brings HEAD, as Express answers it). Read from Express's router table; empty when nothing routes
 * the path (a 404 then), or when that table is not what this expects.
 */
export function allowedMethodsOf(request: Request): string[] {
  const stack = (request.app as { router?: { stack?: unknown } } | undefined)?.router?.stack;
  if (!Array.isArray(stack)) return [];
  // the whole path: a handler mounted under a prefix sees `path` without it
  const path = `${request.baseUrl}${request.path}`;
  const methods = new Set<string>();
  for (const layer of stack as RouteLayer[]) {
    const routed = Object.keys(layer.route?.methods ?? {});
    // Nest mounts middleware and its not-found handler for every method (`all`): not endpoints
    const catchAll = routed.includes('_all') || routed.length > ENDPOINT_METHODS_AT_MOST;
    if (
      routed.length === 0 ||
      catchAll ||
      typeof layer.match !== 'function' ||
      !layer.match(path)
    ) {
      continue;
    }
    for (const method of routed) methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
