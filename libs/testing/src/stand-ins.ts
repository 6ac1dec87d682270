/** Lifecycle hooks and probes Nest (or `await`) looks up on every provider value. */
const LOOKED_UP = new Set<string | symbol>([
  'then',
  'constructor',
  'onModuleInit',
  'onApplicationBootstrap',
  'onModuleDestroy',
  'beforeApplicationShutdown',
  'onApplicationShutdown',
  'toJSON',
]);

/**
 * For specs that compile a real module: a stand-in for a port the spec's routes must not reach
 * (e.g. the TypeORM repository behind a service the spec replaces by a fake). Any method called
 * on it throws, naming it, so a route that unexpectedly reaches it fails loudly.
 */
export function untouched<T = unknown>(name: string): T {
  return new Proxy(
    {},
    {
      get: (_target, key) => {
        if (typeof key === 'symbol' || LOOKED_UP.has(key)) return undefined;
        return () => {
          throw new Error(`${name}.${key}() was called, but this spec expects ${name} unused`);
        };
      },
    },
  ) as T;
}
