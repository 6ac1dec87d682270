import type { Request } from 'express';

/** GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, QUERY: a route with more is a catch-all. */
const ENDPOINT_METHODS_AT_MOST = 8;

/** path-to-regexp's parameter, wildcard and optional-group marks. */
const PATH_PATTERN_MARK = /[:*{]/;

interface RouteLayer {
  match(path: string): unknown;
  route?: { path?: unknown; methods?: Record<string, boolean> };
}

/**
 * A method the routes of a path do not take, with the ones they do; the HTTP error filter answers
 * it with 405 and `Allow`.
 */
export class MethodNotAllowedError extends Error {
  constructor(readonly allowed: readonly string[]) {
    super(`not allowed; allowed: ${allowed.join(', ')}`);
    this.name = 'MethodNotAllowedError';
  }
}

/** The endpoint routes in Express's router table; empty when that table is not what this expects. */
function endpointLayers(app: unknown): RouteLayer[] {
  const stack = (app as { router?: { stack?: unknown } } | undefined)?.router?.stack;
  if (!Array.isArray(stack)) return [];
  return (stack as RouteLayer[]).filter((layer) => {
    const routed = Object.keys(layer.route?.methods ?? {});
    // Nest mounts middleware and its not-found handler for every method (`all`): not endpoints
    const catchAll = routed.includes('_all') || routed.length > ENDPOINT_METHODS_AT_MOST;
    return routed.length > 0 && !catchAll && typeof layer.match === 'function';
  });
}

/** GET brings HEAD, as Express answers it. */
function allowHeader(methods: Set<string>): string[] {
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

function addMethodsOf(layer: RouteLayer, into: Set<string>): void {
  for (const method of Object.keys(layer.route?.methods ?? {})) into.add(method.toUpperCase());
}

/**
 * The methods the app's routes answer at this request's path, for a 405's `Allow` header. Empty
 * when nothing routes the path (a 404 then).
 */
export function allowedMethodsOf(request: Request): string[] {
  // the whole path: a handler mounted under a prefix sees `path` without it
  const path = `${request.baseUrl}${request.path}`;
  const methods = new Set<string>();
  for (const layer of endpointLayers(request.app)) {
    if (layer.match(path)) addMethodsOf(layer, methods);
  }
  return methods.size > 0 ? allowHeader(methods) : [];
}

/** How Express compares paths by default: case-insensitive, a trailing slash optional. */
export function routeKeyOf(path: string): string {
  return (path.length > 1 ? path.replace(/\/$/, '') : path).toLowerCase();
}

/**
 * Every parameterless route path (by {@link routeKeyOf}) with the methods routed to it. In OpenAPI
 * a literal path is its own path item and outranks a template that also matches it
 * (`/user/current_ticket` over `/user/{user_id}`), so its methods are the whole answer there.
 */
export function literalRouteMethods(app: unknown): ReadonlyMap<string, readonly string[]> {
  const byPath = new Map<string, Set<string>>();
  for (const layer of endpointLayers(app)) {
    const path = layer.route?.path;
    if (typeof path !== 'string' || PATH_PATTERN_MARK.test(path)) continue;
    const key = routeKeyOf(path);
    const methods = byPath.get(key) ?? new Set<string>();
    addMethodsOf(layer, methods);
    byPath.set(key, methods);
  }
  return new Map([...byPath].map(([path, methods]) => [path, allowHeader(methods)]));
}
