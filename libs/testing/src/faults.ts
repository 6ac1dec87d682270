import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { api, type ApiResponse, keycloakToken } from './gateway';
import { waitFor } from './wait-for';

/**
 * Faults of the native stack's Postgres, Redis and ChromaDB for the end-to-end fault tests of every service
 * (scripts/test/fault.sh): `stopped` is the server shut down, `stuck` its processes SIGSTOPped.
 * Other suites share the stack: keep each window a few seconds; it is always closed in a finally.
 */
export type Dependency = 'postgres' | 'redis' | 'chroma';
export type FaultKind = 'stopped' | 'stuck';

/** What the platform promises for a dead or stuck dependency: a 503 naming it within this. */
export const UNAVAILABLE_WITHIN_MS = 5000;
/** A paused server is resumed by fault.sh's watchdog after this long even if the test dies. */
const WATCHDOG_SECONDS = 20;

const run = promisify(execFile);

async function fault(action: 'pause' | 'resume' | 'stop' | 'start', dependency: Dependency) {
  const script = resolve(__dirname, '../../../scripts/test/fault.sh');
  const args = [script, action, dependency, ...(action === 'pause' ? [`${WATCHDOG_SECONDS}`] : [])];
  await run('bash', args, { timeout: 120_000 });
}

/**
 * Runs `during` with the dependency stopped or stuck, and always brings it back; then waits until
 * the platform reports every service up again on its own (base's status, which asks each service
 * over the Redis transport), so that the suites after this one meet a recovered platform.
 */
export async function withFault(
  kind: FaultKind,
  dependency: Dependency,
  during: () => Promise<void>,
): Promise<void> {
  await fault(kind === 'stopped' ? 'stop' : 'pause', dependency);
  try {
    await during();
  } finally {
    await fault(kind === 'stopped' ? 'start' : 'resume', dependency);
    await platformRecovered();
  }
}

/** Every service up again by base's system status (within 30 s of the dependency's return). */
export async function platformRecovered(): Promise<void> {
  const admin = await keycloakToken('dev-admin');
  await waitFor(
    async () => {
      const status = await api<{ state?: string }>('GET', '/base_api/v1/system/status', {
        token: admin,
      });
      return status.status === 200 && status.body.state === 'up' ? true : undefined;
    },
    { timeoutMs: 30_000, what: 'every service up again after the fault' },
  );
}

/** A call's answer and how long it took. */
export async function timed<T>(
  call: () => Promise<ApiResponse<T>>,
): Promise<[ApiResponse<T>, number]> {
  const started = performance.now();
  const response = await call();
  return [response, performance.now() - started];
}

/** The answer is a 503 with `code` (the dependency's), within {@link UNAVAILABLE_WITHIN_MS}. */
export function expectUnavailable<T>(
  [response, elapsedMs]: [ApiResponse<T>, number],
  code: string,
): void {
  expect([response.status, (response.body as { code?: unknown }).code]).toEqual([503, code]);
  expect(elapsedMs).toBeLessThan(UNAVAILABLE_WITHIN_MS);
}
