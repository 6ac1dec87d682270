import { setUpIntegrationHttp } from '@platform/testing/integration';
import { databaseDefinition } from '../database/database-definition';
import { baseHttp, baseRemotes } from '../testing/base-http-ports';
import { hashTicketCode } from './ticket-code';
import { TicketsModule } from './tickets.module';

const ID = '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e';
const USER = '11111111-1111-4111-8111-111111111111';
const TABLES = ['base.tickets'];

/** The production TicketsModule over HTTP, on a database of its own (integration tier). */
describe('tickets admin over HTTP', () => {
  const { http, tokens } = setUpIntegrationHttp(
    databaseDefinition,
    baseHttp([TicketsModule], baseRemotes()),
    { admin: { roles: ['admin'] }, passenger: { roles: ['passenger'] } },
  );

  const body = {
    user_id: USER,
    train_number: 1013,
    wagon_number: 5,
    place_number: 12,
    station_id: 'MOSCOW',
    destination: 'SPB',
    date: '2026-11-22T09:00:00+03:00',
    start_date: '2026-11-22T09:00:00+03:00',
  };

  /** Anna, with one ticket (seat 1 of wagon 1). */
  beforeEach(async () => {
    const sql = http.database.dataSource;
    await sql.query('TRUNCATE base.users CASCADE');
    await sql.query(`INSERT INTO base.users (id, name) VALUES ($1, 'Anna')`, [USER]);
    await sql.query(
      `INSERT INTO base.tickets (id, user_id, train_number, wagon_number, place_number,
         station_id, destination_id, departure_at, code_hash)
       VALUES ($1, $2, 1013, 1, 1, 'MOSCOW', 'SPB', '2026-11-22T06:00:00Z', $3)`,
      [ID, USER, hashTicketCode('seeded')],
    );
  });

  async function listed(): Promise<unknown[]> {
    const [status, page] = await http.call('GET', '/admin/tickets', { token: tokens.admin });
    expect(status).toBe(200);
    return page['items'] as unknown[];
  }

  it.each<[string, string, unknown?]>([
    ['POST', '/admin/ticket', body],
    ['GET', '/admin/tickets', undefined],
    ['DELETE', `/admin/ticket/${ID}`, undefined],
  ])('%s %s refuses no token (401) and a non-admin (403)', async (method, path, payload) => {
    await http.unchanged(TABLES, async () => {
      expect((await http.call(method, path, { body: payload }))[0]).toBe(401);
      expect((await http.call(method, path, { body: payload, token: tokens.passenger }))[0]).toBe(
        403,
      );
    });
  });

  it('answers the user id in lower case when it was typed in upper case', async () => {
    const [status, answer] = await http.call('POST', '/admin/ticket', {
      token: tokens.admin,
      body: { ...body, user_id: USER.toUpperCase() },
    });
    expect([status, answer['user_id']]).toEqual([200, USER]);
  });

  it('issues a ticket at the departure instant and shows its code once', async () => {
    const [status, answer] = await http.call('POST', '/admin/ticket', {
      token: tokens.admin,
      body,
    });
    expect(status).toBe(200);
    expect(answer).toEqual({
      ...body,
      id: expect.any(String),
      date: '2026-11-22T06:00:00.000Z',
      start_date: '2026-11-22T06:00:00.000Z',
      code: expect.stringMatching(/^[\w-]{43}$/),
      used_at: null,
    });
    const [row] = await http.database.dataSource.query(
      'SELECT departure_at, code_hash FROM base.tickets WHERE id = $1',
      [answer['id']],
    );
    expect(row.departure_at.toISOString()).toBe('2026-11-22T06:00:00.000Z');
    expect(row.code_hash).toBe(hashTicketCode(answer['code'] as string));
    expect(await listed()).toEqual([expect.objectContaining({ id: ID }), { ...answer, code: '' }]);
  });

  it('refuses a seat sold for that departure (409 SEAT_TAKEN) and an unknown user (404)', async () => {
    await http.unchanged(TABLES, async () => {
      const seated = { ...body, wagon_number: 1, place_number: 1 };
      const [status, answer] = await http.call('POST', '/admin/ticket', {
        token: tokens.admin,
        body: seated,
      });
      expect([status, answer.code]).toEqual([409, 'SEAT_TAKEN']);
      const stranger = { ...body, user_id: '22222222-2222-4222-8222-222222222222' };
      expect(
        (await http.call('POST', '/admin/ticket', { token: tokens.admin, body: stranger }))[1].code,
      ).toBe('USER_NOT_FOUND');
    });
  });

  it('deletes a ticket once; then it is a 404', async () => {
    const path = `/admin/ticket/${ID}`;
    expect(await http.call('DELETE', path, { token: tokens.admin })).toEqual([
      200,
      { status: 'OK' },
    ]);
    expect(await listed()).toEqual([]);
    expect((await http.call('DELETE', path, { token: tokens.admin }))[1].code).toBe(
      'TICKET_NOT_FOUND',
    );
  });

  it.each<[string, Record<string, unknown>]>([
    ['a non-UUID user', { user_id: 'anna' }],
    ['an int overflow', { train_number: 2 ** 31 }],
    ['a negative train', { train_number: -1 }],
    ['a fractional wagon', { wagon_number: 1.5 }],
    ['wagon 31', { wagon_number: 31 }],
    ['place 121', { place_number: 121 }],
    ['a string number', { place_number: '12' }],
    ['an over-long station', { station_id: 'x'.repeat(61) }],
    ['an over-long destination', { destination: 'x'.repeat(61) }],
    ['a bad date', { date: '22.11.2026 09:00' }],
    ['an impossible date', { date: '2026-02-30T09:00:00Z' }],
    ['an unknown field', { code: 'my-own-code' }],
  ])('refuses %s with 400', async (_, change) => {
    await http.unchanged(TABLES, async () => {
      const refused = await http.call('POST', '/admin/ticket', {
        token: tokens.admin,
        body: { ...body, ...change },
      });
      expect(refused[0]).toBe(400);
    });
  });

  it('refuses a non-UUID ticket id with 400', async () => {
    await http.unchanged(TABLES, async () => {
      expect(await http.call('DELETE', '/admin/ticket/7', { token: tokens.admin })).toEqual([
        400,
        expect.objectContaining({ code: 'INVALID_ID' }),
      ]);
    });
  });
});
