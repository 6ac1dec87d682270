import { createPublicKey } from 'node:crypto';
import { type ErrorBody } from '@platform/errors';
import { api, gatewayUrl, keycloakToken } from '@platform/testing';
import { type JWK, SignJWT } from 'jose';

/**
 * Every service behind the gateway refuses a missing or bad credential the same way: a JSON 401
 * with a clear code and the RFC 6750 challenge, whatever the route's kind (Keycloak user or
 * device session), and forged Keycloak tokens (`alg: none`, HS256 keyed with the realm's public
 * key) are refused like any other invalid token.
 */

/** One route per service and credential kind; each needs a credential and takes a GET. */
const USER_ROUTES = [
  '/base_api/v1/admin/users',
  '/store_api/v1/admin/stores',
  '/delivery_api/v1/locker-models',
  '/telematics_api/v2/devices',
];
const DEVICE_ROUTES = [
  '/base_api/v1/robot/train/stores',
  '/store_api/v1/store/items',
  '/delivery_api/v1/locker/commands',
];

/** RFC 6750 §3.1: the challenge when the bearer token sent is not valid. */
const INVALID = 'Bearer error="invalid_token"';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function refusal(path: string, authorization?: string) {
  const response = await api<ErrorBody>('GET', path, {
    headers: authorization === undefined ? {} : { authorization },
  });
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    body: response.body,
  };
}

function expectRefused(
  answer: Awaited<ReturnType<typeof refusal>>,
  code: string,
  challenge: string,
): void {
  expect(answer).toEqual({
    status: 401,
    challenge,
    body: {
      statusCode: 401,
      code,
      message: expect.any(String),
      requestId: expect.any(String),
      detail: answer.body.message,
    },
  });
}

describe('services refuse a missing or bad credential alike', () => {
  it.each([...USER_ROUTES, ...DEVICE_ROUTES])('%s without a token', async (path) => {
    expectRefused(await refusal(path), 'MISSING_BEARER_TOKEN', 'Bearer');
  });

  it.each(USER_ROUTES)('%s with a token that is no JWT', async (path) => {
    expectRefused(await refusal(path, 'Bearer not-a-token'), 'INVALID_TOKEN', INVALID);
  });

  it.each(DEVICE_ROUTES)('%s with a token that is no session', async (path) => {
    expectRefused(await refusal(path, 'Bearer not-a-token'), 'INVALID_SESSION', INVALID);
  });

  describe('forged Keycloak tokens', () => {
    let forgeries: [string, string][];

    beforeAll(async () => {
      const real = await keycloakToken('dev-admin');
      const [header = '', payload = ''] = real.split('.');
      const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
      const certs = (await (
        await fetch(`${gatewayUrl()}/keycloak/realms/platform/protocol/openid-connect/certs`)
      ).json()) as { keys: JWK[] };
      const realmKey = certs.keys.find((key) => key.kid === kid);
      if (!realmKey) throw new Error(`the realm publishes no key ${kid}`);
      const pem = createPublicKey({ key: realmKey, format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      });
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
        string,
        unknown
      >;
      // The classic confusion: a verifier that takes the header's alg would check an HMAC keyed
      // with the public key, which anyone can make.
      const hs256 = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' })
        .sign(new TextEncoder().encode(String(pem)));
      forgeries = [
        ['alg none', `${base64url({ alg: 'none', typ: 'JWT', kid })}.${payload}.`],
        ['HS256 keyed with the public key', hs256],
      ];
    });

    it.each(USER_ROUTES)('%s refuses them', async (path) => {
      for (const [, token] of forgeries) {
        expectRefused(await refusal(path, `Bearer ${token}`), 'INVALID_TOKEN', INVALID);
      }
    });
  });
});

/**
 * A web app on a dev server (the origins the native stack allows by default, as the realm's
 * platform-web client does) calls every service through the gateway: its preflight is answered,
 * and its page may read a refusal; another origin gets no CORS header.
 */
describe('browsers on another origin (CORS_ALLOWED_ORIGINS)', () => {
  const DEV_SERVER = 'http://localhost:5173';

  it.each(USER_ROUTES)(
    '%s answers the dev server’s preflight and lets it read a 401',
    async (path) => {
      const preflight = await fetch(`${gatewayUrl()}${path}`, {
        method: 'OPTIONS',
        headers: {
          Origin: DEV_SERVER,
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'authorization',
        },
      });
      expect([preflight.status, preflight.headers.get('access-control-allow-origin')]).toEqual([
        204,
        DEV_SERVER,
      ]);
      const refused = await fetch(`${gatewayUrl()}${path}`, { headers: { Origin: DEV_SERVER } });
      expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([
        401,
        DEV_SERVER,
      ]);
      const stranger = await fetch(`${gatewayUrl()}${path}`, {
        headers: { Origin: 'https://evil.example.com' },
      });
      expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    },
  );
});
