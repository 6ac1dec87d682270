import { DomainError } from '@platform/errors';
import { waitFor } from '@platform/testing';
import { setUpIntegrationHttp } from '@platform/testing/integration';
import { databaseDefinition } from '../database/database-definition';
import { baseHttp, baseRemotes } from '../testing/base-http-ports';
import { UsersModule } from './users.module';

const ID = '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e';
const FACE = 'aGVsbG8=';

/**
 * The production UsersModule over HTTP, on a database of its own migrated by base's migrations
 * and a Redis database of its own (the face deletion queue); only the face service is a fake.
 */
describe('users admin over HTTP', () => {
  const remotes = baseRemotes();
  const { http, tokens } = setUpIntegrationHttp(
    databaseDefinition,
    baseHttp([UsersModule], remotes),
    { admin: { roles: ['admin'] }, passenger: { roles: ['passenger'] } },
  );

  /** Boris, with his face enrolled; nothing else. */
  beforeEach(async () => {
    remotes.faces.reset();
    await http.database.dataSource.query('TRUNCATE base.users CASCADE');
    await http.database.dataSource.query('INSERT INTO base.users (id, name) VALUES ($1, $2)', [
      ID,
      'Boris',
    ]);
    remotes.faces.enrolled.set(ID, FACE);
  });

  async function unchanged(request: () => Promise<void>): Promise<void> {
    await http.unchanged(['base.users'], request);
    expect(remotes.faces.calls).toEqual([]);
  }

  async function names(): Promise<string[]> {
    const [status, page] = await http.call('GET', '/admin/users', { token: tokens.admin });
    expect(status).toBe(200);
    return (page['items'] as { name: string }[]).map((user) => user.name);
  }

  const routes: [string, string, unknown?][] = [
    ['POST', '/admin/user', { name: 'Anna' }],
    ['GET', '/admin/users', undefined],
    ['DELETE', `/admin/users/${ID}`, undefined],
    ['PATCH', `/admin/user/${ID}/face`, { face: 'bmV3IGZhY2U=' }],
    ['DELETE', `/admin/user/face?user_id=${ID}`, undefined],
  ];

  it.each(routes)(
    '%s %s refuses no token (401) and a non-admin (403), changing nothing',
    async (method, path, body) => {
      await unchanged(async () => {
        expect((await http.call(method, path, { body }))[0]).toBe(401);
        expect((await http.call(method, path, { body, token: tokens.passenger }))[0]).toBe(403);
      });
    },
  );

  it('answers the seed shapes with 200', async () => {
    const [created, user] = await http.call('POST', '/admin/user', {
      token: tokens.admin,
      body: { name: ' Anna ' },
    });
    expect([created, user]).toEqual([200, { id: expect.any(String), name: 'Anna' }]);
    expect(await names()).toEqual(['Boris', 'Anna']);
    expect(await http.call('DELETE', `/admin/users/${ID}`, { token: tokens.admin })).toEqual([
      200,
      { status: 'OK' },
    ]);
    expect(await names()).toEqual(['Anna']);
    expect(await http.call('GET', '/admin/users?page=2&size=10', { token: tokens.admin })).toEqual([
      200,
      { items: [], total: 1, page: 2, size: 10, pages: 1 },
    ]);
  });

  it("deletes a user's face with them, once, through the face deletion queue", async () => {
    const [, cecilia] = await http.call('POST', '/admin/user', {
      token: tokens.admin,
      body: { name: 'Cecilia', face: 'Y2VjaWxpYQ==' },
    });
    const id = cecilia['id'] as string;
    expect(remotes.faces.enrolled.has(id)).toBe(true);
    await http.call('DELETE', `/admin/users/${id}`, { token: tokens.admin });
    await waitFor(async () => (remotes.faces.enrolled.has(id) ? undefined : true), {
      timeoutMs: 10_000,
      intervalMs: 50,
      what: "the face deletion job to forget Cecilia's face",
    });
    expect(remotes.faces.calls.filter((call) => call.endsWith(id))).toEqual([
      `enroll ${id}`,
      `delete ${id}`,
    ]);
  });

  it('creates a user with a face, enrols and forgets faces', async () => {
    const annasFace = 'YW5uYQ==';
    const [, user] = await http.call('POST', '/admin/user', {
      token: tokens.admin,
      body: { name: 'Anna', face: annasFace },
    });
    expect(remotes.faces.enrolled.get(user['id'] as string)).toBe(annasFace);
    expect(
      await http.call('PATCH', `/admin/user/${ID}/face`, {
        token: tokens.admin,
        body: { face: 'bmV3IGZhY2U=' },
      }),
    ).toEqual([200, { status: 'OK' }]);
    expect(remotes.faces.enrolled.get(ID)).toBe('bmV3IGZhY2U=');
    expect(
      await http.call('DELETE', `/admin/user/face?user_id=${ID}`, { token: tokens.admin }),
    ).toEqual([200, { status: 'OK' }]);
    expect(remotes.faces.enrolled.has(ID)).toBe(false);
  });

  it('passes a user id typed in upper case on to the face service in lower case', async () => {
    const [status] = await http.call('PATCH', `/admin/user/${ID.toUpperCase()}/face`, {
      token: tokens.admin,
      body: { face: 'bmV3IGZhY2U=' },
    });
    expect(status).toBe(200);
    expect(remotes.faces.enrolled.get(ID.toLowerCase())).toBe('bmV3IGZhY2U=');
    expect(remotes.faces.enrolled.has(ID.toUpperCase())).toBe(false);
  });

  it('forgets the face of a user id typed in upper case in the query under its lower-case id', async () => {
    const [status] = await http.call('DELETE', `/admin/user/face?user_id=${ID.toUpperCase()}`, {
      token: tokens.admin,
    });
    expect(status).toBe(200);
    expect(remotes.faces.enrolled.has(ID)).toBe(false);
  });

  it('links one Keycloak account to a user when admins race; the others get 409', async () => {
    const subjects = ['kc-1', 'kc-2', 'kc-3', 'kc-4', 'kc-5'];
    const answers = await Promise.all(
      subjects.map((k_id) =>
        http.call('POST', '/admin/keycloak_user', {
          token: tokens.admin,
          body: { k_id, user_id: ID },
        }),
      ),
    );
    const winners = subjects.filter((_, index) => answers[index]?.[0] === 200);
    expect(winners).toHaveLength(1);
    for (const [status, answer] of answers.filter(([status]) => status !== 200)) {
      expect([status, answer['code']]).toEqual([409, 'KEYCLOAK_LINK_EXISTS']);
    }
    const [row] = await http.database.dataSource.query(
      'SELECT keycloak_subject FROM base.users WHERE id = $1',
      [ID],
    );
    expect(row.keycloak_subject).toBe(winners[0]);
  });

  it('forgets a face that face wrote after base stopped waiting for it (user creation, 503)', async () => {
    const late = 'bGF0ZQ==';
    // Face enrols the image, but its answer comes after base's RPC deadline.
    jest.spyOn(remotes.faces, 'enroll').mockImplementationOnce(async (userId, image) => {
      remotes.faces.enrolled.set(userId, image);
      throw new DomainError('unavailable', 'FACE_SERVICE_UNAVAILABLE', 'Face is unavailable');
    });
    const before = await names();
    const [status, body] = await http.call('POST', '/admin/user', {
      token: tokens.admin,
      body: { name: 'Dora', face: late },
    });
    expect([status, body['code']]).toEqual([503, 'FACE_SERVICE_UNAVAILABLE']);
    expect(await names()).toEqual(before);
    await waitFor(
      async () => ([...remotes.faces.enrolled.values()].includes(late) ? undefined : true),
      {
        timeoutMs: 10_000,
        intervalMs: 50,
        what: 'the face deletion job to forget the face of the user never made',
      },
    );
  });

  it("refuses a user with someone else's face: 409 FACE_ALREADY_ENROLLED, no user made", async () => {
    const before = await names();
    const [status, body] = await http.call('POST', '/admin/user', {
      token: tokens.admin,
      body: { name: 'Boris again', face: FACE },
    });
    expect([status, body['code']]).toEqual([409, 'FACE_ALREADY_ENROLLED']);
    expect(await names()).toEqual(before);
    expect(remotes.faces.enrolled.get(ID)).toBe(FACE);
  });

  it.each<[string, string, unknown?]>([
    ['POST', '/admin/user', {}],
    ['POST', '/admin/user', { name: '' }],
    ['POST', '/admin/user', { name: '    ' }],
    ['POST', '/admin/user', { name: 'x'.repeat(257) }],
    ['POST', '/admin/user', { name: 42 }],
    ['POST', '/admin/user', { name: 'Anna', role: 'admin' }],
    ['POST', '/admin/user', { name: 'Anna', face: 'not base64!' }],
    ['POST', '/admin/user', '{"name": '],
    ['GET', '/admin/users?page=0', undefined],
    ['GET', '/admin/users?size=101', undefined],
    ['GET', '/admin/users?size=abc', undefined],
    ['DELETE', '/admin/users/42', undefined],
    ['DELETE', "/admin/users/1' OR '1'='1", undefined],
    ['PATCH', '/admin/user/not-a-uuid/face', { face: FACE }],
    ['PATCH', `/admin/user/${ID}/face`, {}],
    ['PATCH', `/admin/user/${ID}/face`, { face: '' }],
    ['PATCH', `/admin/user/${ID}/face`, { face: FACE, extra: true }],
    ['DELETE', '/admin/user/face', undefined],
    ['DELETE', '/admin/user/face?user_id=abc', undefined],
  ])('%s %s with bad input is a 400 and changes nothing', async (method, path, body) => {
    await unchanged(async () => {
      const [status, answer] = await http.call(method, path, { token: tokens.admin, body });
      expect(status).toBe(400);
      expect(answer).toMatchObject({ statusCode: 400, code: expect.any(String) });
    });
  });
});
