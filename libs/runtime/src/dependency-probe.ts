import { type DependencyStatus } from '@platform/contracts';

/** One thing a service needs to do its work (Postgres, Redis, Keycloak keys, ChromaDB, ...). */
export interface DependencyProbe {
  readonly name: string;
  /** Resolves when the dependency answers; rejects otherwise. */
  check(): Promise<void>;
}

/** Multi-provider token: every probe registered under it is checked by readiness and status. */
export const DEPENDENCY_PROBES = Symbol('DEPENDENCY_PROBES');

export async function runProbe(
  probe: DependencyProbe,
  timeoutMs: number,
): Promise<DependencyStatus> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([probe.check(), deadline]);
    return { name: probe.name, state: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch {
    return { name: probe.name, state: 'down', latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/** A probe that is an HTTP GET answering 2xx, e.g. Keycloak's JWKS or ChromaDB's heartbeat. */
export function httpProbe(name: string, url: string): DependencyProbe {
  return {
    name,
    async check() {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await response.body?.cancel();
      if (!response.ok) {
        throw new Error(`${name} answered ${response.status}`);
      }
    },
  };
}
