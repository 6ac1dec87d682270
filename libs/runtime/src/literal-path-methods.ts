import { literalRouteMethods, MethodNotAllowedError, routeKeyOf } from '@platform/errors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Refuses, before routing, a method a parameterless path does not take, which Express would
 * otherwise hand to a template route matching the same path (GET `/robot/user/current_ticket`
 * reached `GET /robot/user/{user_id}` and came back 400 INVALID_ID instead of 405).
 */
export function refuseMethodsLiteralPathsDoNotTake(): RequestHandler {
  // Read once the routes exist: at the first request, which comes after `listen`.
  let methodsByPath: ReadonlyMap<string, readonly string[]> | undefined;
  return (req: Request, _res: Response, next: NextFunction): void => {
    methodsByPath ??= literalRouteMethods(req.app);
    const allowed = methodsByPath.get(routeKeyOf(req.path));
    next(allowed && !allowed.includes(req.method) ? new MethodNotAllowedError(allowed) : undefined);
  };
}
