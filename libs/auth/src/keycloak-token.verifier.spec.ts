import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { KeycloakTokenVerifier, VERIFIED_TOKEN_CACHE_SIZE } from './keycloak-token.verifier';
import { createTestJwtIssuer, type TestJwtIssuer } from './testing';

describe('KeycloakTokenVerifier', () => {
  let issuer: TestJwtIssuer;
  let keyLookups: number;
  let verifier: KeycloakTokenVerifier;

  beforeAll(async () => {
    issuer = await createTestJwtIssuer();
  });

  beforeEach(() => {
    keyLookups = 0;
    // Counts signature checks: jose asks for the key once per verification.
    const counting: JWTVerifyGetKey = (header, token) => {
      keyLookups += 1;
      return issuer.keyResolver(header, token);
    };
    verifier = new KeycloakTokenVerifier(counting, {
      issuer: issuer.issuer,
      audience: issuer.audience,
    });
  });

  afterEach(() => jest.useRealTimers());

  it('checks a token once and answers its later uses from memory, unchangeable', async () => {
    const token = await issuer.sign({ username: 'ops', roles: ['operator'] });
    const first = await verifier.verify(token);
    const again = await verifier.verify(token);
    expect(again).toEqual(first);
    expect(first).toMatchObject({ type: 'user', username: 'ops', roles: ['operator'] });
    expect(keyLookups).toBe(1);
    expect(Object.isFrozen(again) && Object.isFrozen(again.roles)).toBe(true);
  });

  it('refuses a remembered token once it has expired (past the clock tolerance)', async () => {
    const token = await issuer.sign({ expiresInSeconds: 60 });
    await verifier.verify(token);
    jest.useFakeTimers({ now: Date.now() + 66_000 });
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('never remembers a refusal: a bad token is checked, and refused, every time', async () => {
    const token = await issuer.sign({ audience: 'someone-else' });
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    expect(keyLookups).toBe(2);
  });

  it('keeps at most VERIFIED_TOKEN_CACHE_SIZE tokens, dropping the oldest', async () => {
    const oldest = await issuer.sign({ subject: 'f4a1c0de-0000-4000-8000-00000000000a' });
    await verifier.verify(oldest);
    const cache = (verifier as unknown as { verified: Map<string, unknown> }).verified;
    // Fill the rest with entries of the same shape (signing 10,000 tokens would be slow).
    for (let i = cache.size; i < VERIFIED_TOKEN_CACHE_SIZE; i++) cache.set(`filler-${i}`, {});
    await verifier.verify(await issuer.sign());
    expect(cache.size).toBe(VERIFIED_TOKEN_CACHE_SIZE);
    expect(cache.has(oldest)).toBe(false);
    await verifier.verify(oldest);
    expect(keyLookups).toBe(3);
  });

  it('refuses an ID token of the realm even when its audience is ours', async () => {
    const token = await issuer.sign({ tokenType: 'ID', roles: ['admin'] });
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });

  describe('when the realm key set cannot be had', () => {
    let server: Server;
    let answer: { status: number; body: string };

    beforeAll(async () => {
      server = createServer((_request, response) => {
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(answer.body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });

    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it.each([
      ['answers 503 (Keycloak starting)', 503, '{"error":"unavailable"}'],
      ['answers 200 with HTML (a proxy page)', 200, '<html>maintenance</html>'],
      ['answers 200 with a malformed key set', 200, '{"keys":"none"}'],
    ])(
      'a fine token is a 503 AUTH_KEYS_UNAVAILABLE, not a 401, when it %s',
      async (_, status, body) => {
        answer = { status, body };
        const { port } = server.address() as AddressInfo;
        const remote = new KeycloakTokenVerifier(
          createRemoteJWKSet(new URL(`http://127.0.0.1:${port}/certs`)),
          { issuer: issuer.issuer, audience: issuer.audience },
        );
        await expect(remote.verify(await issuer.sign())).rejects.toMatchObject({
          kind: 'unavailable',
          code: 'AUTH_KEYS_UNAVAILABLE',
        });
      },
    );
  });
});
