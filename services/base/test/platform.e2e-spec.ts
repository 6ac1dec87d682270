import { api, keycloakToken, platformCommand, readServiceTable, waitFor } from '@platform/testing';

/** The whole platform through the Nginx gateway, against the real stack started by `npm test`. */

const SERVICES = readServiceTable().map(({ name, prefix }) => [name, prefix] as const);

/** What each service's readiness checks besides Postgres, Redis and Keycloak's keys. */
const EXTRA_DEPENDENCIES: Record<string, string[]> = { face: ['chromadb', 'face-models'] };

interface PlatformStatus {
  state: string;
  services: {
    service: string;
    state: string;
    dependencies: { name: string; state: string }[];
    error?: string;
  }[];
}

describe('platform through the gateway', () => {
  let adminToken: string;
  let passengerToken: string;

  beforeAll(async () => {
    [adminToken, passengerToken] = await Promise.all([
      keycloakToken('dev-admin'),
      keycloakToken('dev-passenger'),
    ]);
  });

  describe.each(SERVICES)('%s', (service, prefix) => {
    it('is alive', async () => {
      const response = await api('GET', `${prefix}/health`);
      expect([response.status, response.body]).toEqual([200, { status: 'up' }]);
      // Nothing a client has no use for: no framework banner, no ETag hashed from every body.
      expect([response.headers.get('x-powered-by'), response.headers.get('etag')]).toEqual([
        null,
        null,
      ]);
    });

    it('is ready, with every dependency up', async () => {
      const response = await api<{
        service: string;
        state: string;
        dependencies: { name: string; state: string }[];
      }>('GET', `${prefix}/health/ready`);
      expect(response.status).toBe(200);
      expect(response.body.service).toBe(service);
      expect(response.body.dependencies.map((d) => d.name)).toEqual(
        expect.arrayContaining([
          'postgres',
          'redis',
          'keycloak',
          ...(EXTRA_DEPENDENCIES[service] ?? []),
        ]),
      );
      expect(response.body.dependencies.every((d) => d.state === 'up')).toBe(true);
    });

    it('publishes its OpenAPI document', async () => {
      const response = await api<{ openapi: string; info: { title: string } }>(
        'GET',
        `${prefix}/docs/openapi.json`,
      );
      expect(response.status).toBe(200);
      expect(response.body.info.title).toBe(`${service} API`);
    });
  });

  describe('GET /base_api/v1/system/status', () => {
    it('refuses a caller without a token with 401', async () => {
      const response = await api('GET', '/base_api/v1/system/status');
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ statusCode: 401, code: 'MISSING_BEARER_TOKEN' });
    });

    it('refuses a forged token with 401', async () => {
      const [header, payload] = adminToken.split('.');
      const response = await api('GET', '/base_api/v1/system/status', {
        token: `${header}.${payload}.c2lnbmF0dXJl`,
      });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: 'INVALID_TOKEN' });
    });

    it('refuses a real token without the admin role with 403', async () => {
      const response = await api('GET', '/base_api/v1/system/status', { token: passengerToken });
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ statusCode: 403, code: 'INSUFFICIENT_ROLE' });
    });

    it('reports every service up to an admin', async () => {
      const response = await api<PlatformStatus>('GET', '/base_api/v1/system/status', {
        token: adminToken,
      });
      expect(response.status).toBe(200);
      expect(response.body.services.map((s) => [s.service, s.state])).toEqual(
        SERVICES.map(([name]) => [name, 'up']),
      );
      expect(response.body.state).toBe('up');
    });

    it('reports a stopped service as down, promptly, and up again once restarted', async () => {
      await platformCommand('stop-service', 'store');
      try {
        const started = Date.now();
        const response = await api<PlatformStatus>('GET', '/base_api/v1/system/status', {
          token: adminToken,
        });
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(response.status).toBe(200);
        expect(response.body.state).toBe('degraded');
        const store = response.body.services.find((s) => s.service === 'store');
        expect(store).toMatchObject({
          state: 'down',
          error: expect.stringContaining('store.system.status'),
        });
        expect(response.body.services.map((s) => [s.service, s.state])).toEqual(
          SERVICES.map(([name]) => [name, name === 'store' ? 'down' : 'up']),
        );
      } finally {
        await platformCommand('start-service', 'store');
      }
      await waitFor(
        async () => {
          const response = await api<PlatformStatus>('GET', '/base_api/v1/system/status', {
            token: adminToken,
          });
          return response.body.state === 'up' ? true : undefined;
        },
        { timeoutMs: 60_000, what: 'store to be reported up again' },
      );
    }, 180_000);
  });

  describe('gateway behaviour', () => {
    it('answers an oversized body with a JSON 413', async () => {
      const response = await api('POST', '/base_api/v1/system/status', {
        rawBody: 'x'.repeat(13 * 1024 * 1024),
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(response.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    });

    it('passes a caller request id through to the service and back', async () => {
      const response = await api('GET', '/base_api/v1/system/status', {
        headers: { 'x-request-id': 'e2e-trace-42' },
      });
      expect(response.headers.get('x-request-id')).toBe('e2e-trace-42');
      expect(response.body).toMatchObject({ requestId: 'e2e-trace-42' });
    });

    it('generates a request id when the caller sends none', async () => {
      const response = await api('GET', '/base_api/v1/nowhere');
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({
        statusCode: 404,
        code: 'NOT_FOUND',
        requestId: expect.any(String),
      });
      expect(response.headers.get('x-request-id')).toBe(
        (response.body as { requestId: string }).requestId,
      );
    });

    it('answers malformed JSON with a 400 JSON error, not a stack trace', async () => {
      const response = await api('POST', '/base_api/v1/admin/user', {
        rawBody: '{"broken": ',
        headers: { 'content-type': 'application/json' },
        token: adminToken,
      });
      expect([response.status, response.body.code]).toEqual([400, 'MALFORMED_BODY']);
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.js:\d+/);
    });

    it('answers a method the path does not take with 405 before reading the body', async () => {
      const response = await api('POST', '/base_api/v1/system/status', {
        rawBody: '{"broken": ',
        headers: { 'content-type': 'application/json' },
        token: adminToken,
      });
      expect([response.status, response.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    });
  });
});
