import { randomUUID } from 'node:crypto';
import { POSTGRES_UNAVAILABLE, REDIS_UNAVAILABLE } from '@platform/errors';
import {
  api,
  type ApiResponse,
  expectUnavailable,
  keycloakToken,
  timed,
  waitFor,
  withFault,
} from '@platform/testing';

/**
 * A dead (stopped) or stuck (SIGSTOPped) Postgres or Redis under requests, through the gateway
 * against the native stack (scripts/test/fault.sh, @platform/testing faults): each request is
 * answered within 5 s with a 503 naming the dependency, a write attempted meanwhile is all there
 * or not at all, and the service recovers by itself once the dependency is back.
 */

const V1 = '/base_api/v1';

describe('a dead or stuck dependency gets a fast 503 naming it', () => {
  let admin: string;
  let passenger: string;
  const createdEngineers: string[] = [];

  const listEngineers = () => api('GET', `${V1}/admin/engineers?page=1&size=1`, { token: admin });
  const createEngineer = (login: string) =>
    api<{ id: string; login: string }>('POST', `${V1}/admin/engineer`, {
      token: admin,
      body: { login, password: `pw-${randomUUID()}` },
    });
  /** The first step of a robot login: a challenge stored in Redis (any id gets one). */
  const robotLogin = () => api('POST', `${V1}/auth/robot/login`, { body: { id: randomUUID() } });

  async function recovered(call: () => Promise<ApiResponse>, what: string): Promise<void> {
    await waitFor(async () => ((await call()).status === 200 ? true : undefined), {
      timeoutMs: 30_000,
      what,
    });
  }

  /**
   * A creation attempted during the fault: either it never happened (creating it again works) or
   * it happened completely (the login is taken and the engineer is listed with all its fields).
   */
  async function expectAllOrNothing(login: string): Promise<void> {
    const again = await createEngineer(login);
    if (again.status === 200) {
      createdEngineers.push(again.body.id);
      return;
    }
    expect([again.status, again.body]).toEqual([
      409,
      expect.objectContaining({ code: 'ENGINEER_LOGIN_TAKEN' }),
    ]);
    const page = await api<{ items: { id: string; login: string; privileges: unknown }[] }>(
      'GET',
      `${V1}/admin/engineers?page=1&size=100`,
      { token: admin },
    );
    const found = page.body.items.find((engineer) => engineer.login === login);
    expect(found).toEqual(
      expect.objectContaining({ id: expect.any(String), login, privileges: expect.anything() }),
    );
    if (found) createdEngineers.push(found.id);
  }

  beforeAll(async () => {
    [admin, passenger] = await Promise.all([
      keycloakToken('dev-admin'),
      keycloakToken('dev-passenger'),
    ]);
    // warm the services' Keycloak key cache: the faults must not hide behind a JWKS fetch
    expect((await listEngineers()).status).toBe(200);
  });

  afterAll(async () => {
    for (const id of createdEngineers) {
      await api('DELETE', `${V1}/admin/engineers/${id}`, { token: admin });
    }
  });

  describe.each(['stopped', 'stuck'] as const)('Postgres %s', (kind) => {
    it('answers 503 POSTGRES_UNAVAILABLE within 5 s, writes all or nothing, recovers', async () => {
      const login = `e2e-fault-${kind}-${randomUUID().slice(0, 8)}`;
      await withFault(kind, 'postgres', async () => {
        const [list, create] = await Promise.all([
          timed(listEngineers),
          timed(() => createEngineer(login)),
        ]);
        expectUnavailable(list, POSTGRES_UNAVAILABLE);
        expectUnavailable(create, POSTGRES_UNAVAILABLE);
      });
      await recovered(listEngineers, 'the engineer list after Postgres came back');
      await expectAllOrNothing(login);
    });
  });

  describe.each(['stopped', 'stuck'] as const)('Redis %s', (kind) => {
    it('answers 503 REDIS_UNAVAILABLE within 5 s, and recovers', async () => {
      await withFault(kind, 'redis', async () => {
        const logins = await Promise.all([timed(robotLogin), timed(robotLogin)]);
        for (const login of logins) expectUnavailable(login, REDIS_UNAVAILABLE);
        // A call to another service goes over Redis: the 503 names Redis, not the face service
        const faceStatus = await timed(() =>
          api('GET', `${V1}/frontend/faces`, { token: passenger }),
        );
        expectUnavailable(faceStatus, REDIS_UNAVAILABLE);
        // Postgres alone still serves what needs no Redis
        expect((await listEngineers()).status).toBe(200);
      });
      await recovered(robotLogin, 'a robot login after Redis came back');
    });
  });
});
