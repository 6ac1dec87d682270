import { setUpIntegrationHttp } from '@platform/testing/integration';
import { databaseDefinition } from '../database/database-definition';
import { baseHttp, baseRemotes, testCardKeyHash } from '../testing/base-http-ports';
import { EngineersModule } from './engineers.module';
import { maskOf } from './privileges';

const ID = '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e';
const TABLES = ['base.engineers', 'base.auth_cards'];

/**
 * The production EngineersModule over HTTP (argon2 password hashes, HMAC card keys), on a
 * database of its own (integration tier).
 */
describe('engineers admin over HTTP', () => {
  const { http, tokens } = setUpIntegrationHttp(
    databaseDefinition,
    baseHttp([EngineersModule], baseRemotes()),
    { admin: { roles: ['admin'] }, operator: { roles: ['operator'] } },
  );

  /** Olga, a robot admin with a card. */
  beforeEach(async () => {
    const sql = http.database.dataSource;
    await sql.query('TRUNCATE base.engineers CASCADE');
    await sql.query(
      `INSERT INTO base.engineers (id, login, password_hash, privileges) VALUES ($1, 'olga', 'x', $2)`,
      [ID, maskOf(['ROBOT_ADMIN'])],
    );
    await sql.query('INSERT INTO base.auth_cards (engineer_id, key_hash) VALUES ($1, $2)', [
      ID,
      testCardKeyHash('0x01'),
    ]);
  });

  /** Olga's privileges as the list shows them, and her card's key hash. */
  async function olga(): Promise<{ privileges: unknown; card: string | null }> {
    const [status, page] = await http.call('GET', '/admin/engineers', { token: tokens.admin });
    expect(status).toBe(200);
    const listed = (page['items'] as { id: string; privileges: string[] }[]).find(
      (engineer) => engineer.id === ID,
    );
    const cards: { key_hash: string }[] = await http.database.dataSource.query(
      'SELECT key_hash FROM base.auth_cards WHERE engineer_id = $1',
      [ID],
    );
    return { privileges: listed?.privileges, card: cards[0]?.key_hash ?? null };
  }

  const routes: [string, string, unknown?][] = [
    ['POST', '/admin/engineer', { login: 'ivan', password: 'long enough' }],
    ['GET', '/admin/engineers', undefined],
    ['DELETE', `/admin/engineers/${ID}`, undefined],
    ['PUT', '/admin/engineer_privileges', { id: ID, privileges: ['ROBOT_LOGIN'] }],
    ['PUT', `/admin/engineer/${ID}/auth_card`, { key: '0xDE 0xAD' }],
  ];

  it.each(routes)(
    '%s %s refuses no token (401) and a non-admin (403)',
    async (method, path, body) => {
      await http.unchanged(TABLES, async () => {
        expect((await http.call(method, path, { body }))[0]).toBe(401);
        expect((await http.call(method, path, { body, token: tokens.operator }))[0]).toBe(403);
      });
    },
  );

  it('creates an engineer without privileges and never echoes or stores the password', async () => {
    const [status, body] = await http.call('POST', '/admin/engineer', {
      token: tokens.admin,
      body: { login: 'ivan', password: 'long enough' },
    });
    expect([status, body]).toEqual([
      200,
      { id: expect.any(String), login: 'ivan', privileges: [] },
    ]);
    const [row] = await http.database.dataSource.query(
      'SELECT login, password_hash, privileges FROM base.engineers WHERE id = $1',
      [body['id']],
    );
    expect(row).toEqual({
      login: 'ivan',
      password_hash: expect.stringMatching(/^\$argon2id\$/),
      privileges: 0,
    });
    expect(row.password_hash).not.toContain('long enough');
  });

  it('takes a login as one whichever Unicode form spells it (NFC)', async () => {
    const create = (login: string) =>
      http.call('POST', '/admin/engineer', {
        token: tokens.admin,
        body: { login, password: 'long enough' },
      });
    const [created, body] = await create('Jos\u00e9');
    expect([created, body['login']]).toEqual([200, 'Jos\u00e9']);
    const [again, refusal] = await create('Jose\u0301');
    expect([again, refusal['code']]).toEqual([409, 'ENGINEER_LOGIN_TAKEN']);
  });

  it('deletes an engineer with their card', async () => {
    expect(await http.call('DELETE', `/admin/engineers/${ID}`, { token: tokens.admin })).toEqual([
      200,
      { status: 'OK' },
    ]);
    expect(await olga()).toEqual({ privileges: undefined, card: null });
  });

  it.each<[string, string, unknown, Awaited<ReturnType<typeof olga>>]>([
    [
      'PUT',
      '/admin/engineer_privileges',
      { id: ID, privileges: ['ROBOT_LOGIN'] },
      { privileges: ['ROBOT_LOGIN'], card: testCardKeyHash('0x01') },
    ],
    [
      'PUT',
      '/admin/engineer_privileges',
      { id: ID, privileges: [] },
      { privileges: [], card: testCardKeyHash('0x01') },
    ],
    [
      'PUT',
      `/admin/engineer/${ID}/auth_card`,
      { key: '0xde  0xAD' },
      { privileges: ['ROBOT_ADMIN'], card: testCardKeyHash('0xDE 0xAD') },
    ],
    [
      'PUT',
      `/admin/engineer/${ID}/auth_card`,
      { key: null },
      { privileges: ['ROBOT_ADMIN'], card: null },
    ],
    ['PUT', `/admin/engineer/${ID}/auth_card`, {}, { privileges: ['ROBOT_ADMIN'], card: null }],
    [
      'PUT',
      `/admin/engineer/${ID}/auth_card`,
      { key: '' },
      { privileges: ['ROBOT_ADMIN'], card: null },
    ],
  ])('%s %s %j is accepted and takes effect', async (method, path, body, after) => {
    expect(await olga()).toEqual({ privileges: ['ROBOT_ADMIN'], card: testCardKeyHash('0x01') });
    expect(await http.call(method, path, { token: tokens.admin, body })).toEqual([
      200,
      { status: 'OK' },
    ]);
    expect(await olga()).toEqual(after);
  });

  it.each<[string, string, unknown?]>([
    ['POST', '/admin/engineer', { login: 'ivan' }],
    ['POST', '/admin/engineer', { login: 'x'.repeat(61), password: 'long enough' }],
    ['POST', '/admin/engineer', { login: ' ivan', password: 'long enough' }],
    ['POST', '/admin/engineer', { login: 'ivan', password: 'short' }],
    ['POST', '/admin/engineer', { login: 'ivan', password: 'x'.repeat(257) }],
    ['POST', '/admin/engineer', { login: 'ivan', password: 'long enough', privileges: 15 }],
    ['DELETE', '/admin/engineers/abc', undefined],
    ['PUT', '/admin/engineer_privileges', { id: 'abc', privileges: [] }],
    ['PUT', '/admin/engineer_privileges', { id: ID, privileges: ['SUPERUSER'] }],
    ['PUT', '/admin/engineer_privileges', { id: ID, privileges: 7 }],
    ['PUT', '/admin/engineer_privileges', { id: ID }],
    ['PUT', '/admin/engineer/abc/auth_card', { key: '0x01' }],
    ['PUT', `/admin/engineer/${ID}/auth_card`, { key: 'x'.repeat(257) }],
    ['PUT', `/admin/engineer/${ID}/auth_card`, { key: 42 }],
  ])('%s %s with bad input is a 400 and changes nothing', async (method, path, body) => {
    await http.unchanged(TABLES, async () => {
      expect((await http.call(method, path, { token: tokens.admin, body }))[0]).toBe(400);
    });
  });
});
