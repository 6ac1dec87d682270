import { setUpIntegrationHttp } from '@platform/testing/integration';
import { databaseDefinition } from '../database/database-definition';
import { baseHttp, baseRemotes } from '../testing/base-http-ports';
import { hashTicketCode } from '../tickets/ticket-code';
import { PassengerModule } from './passenger.module';

const ANNA = '11111111-1111-4111-8111-111111111111';
const BORIS = '22222222-2222-4222-8222-222222222222';
const TABLES = ['base.users', 'base.tickets'];

/**
 * The production PassengerModule (with the users and tickets modules it imports) over HTTP, on a
 * database of its own (integration tier); the face service is a fake.
 */
describe('passenger website over HTTP', () => {
  const remotes = baseRemotes();
  const { http, tokens } = setUpIntegrationHttp(
    databaseDefinition,
    baseHttp([PassengerModule], remotes),
    {
      passenger: { roles: ['passenger'], subject: 'kc-anna', username: 'anna' },
      newcomer: { roles: ['passenger'], subject: 'kc-vera', username: 'vera' },
      admin: { roles: ['admin'] },
    },
  );

  /** Anna (account kc-anna, face enrolled) with two tickets, and Boris with one. */
  beforeEach(async () => {
    remotes.faces.reset();
    remotes.faces.enrolled.set(ANNA, 'YW5uYQ==');
    const sql = http.database.dataSource;
    await sql.query('TRUNCATE base.users CASCADE');
    await sql.query(
      `INSERT INTO base.users (id, name, keycloak_subject) VALUES ($1, 'Anna', 'kc-anna'),
         ($2, 'Boris', NULL)`,
      [ANNA, BORIS],
    );
    for (const [user, place, departure] of [
      [ANNA, 1, '2026-11-22T06:00:00Z'],
      [ANNA, 2, '2026-12-01T06:00:00Z'],
      [BORIS, 3, '2026-11-22T06:00:00Z'],
    ] as const) {
      await sql.query(
        `INSERT INTO base.tickets (user_id, train_number, wagon_number, place_number, station_id,
           destination_id, departure_at, code_hash)
         VALUES ($1, 1013, 1, $2, 'MOSCOW', 'SPB', $3, $4)`,
        [user, place, departure, hashTicketCode(`code-${place}`)],
      );
    }
  });

  async function unchanged(request: () => Promise<void>): Promise<void> {
    await http.unchanged(TABLES, request);
    expect(remotes.faces.calls).toEqual([]);
  }

  const order = {
    wagon_number: 3,
    place_number: 7,
    station_id: 'MOSCOW',
    destination_id: 'SPB',
    date: '2026-12-05T13:00:00+03:00',
  };

  it.each<[string, string, unknown?]>([
    ['GET', '/frontend/tickets', undefined],
    ['GET', '/frontend/get_ticket', undefined],
    ['POST', '/frontend/tickets', order],
    ['POST', '/frontend/face', { face: null }],
    ['GET', '/frontend/faces', undefined],
  ])('%s %s needs a passenger token', async (method, path, body) => {
    // A caller let through would get a users row of their own.
    await unchanged(async () => {
      expect((await http.call(method, path, { body }))[0]).toBe(401);
      expect((await http.call(method, path, { body, token: tokens.admin }))[0]).toBe(403);
    });
  });

  it('acts for the caller, identified by the token', async () => {
    const [status, page] = await http.call('GET', '/frontend/tickets?page=2&size=1', {
      token: tokens.passenger,
    });
    expect([status, page]).toEqual([
      200,
      {
        items: [expect.objectContaining({ user_id: ANNA, place_number: 1, code: '' })],
        total: 2,
        page: 2,
        size: 1,
        pages: 2,
      },
    ]);
    const [, latest] = await http.call('GET', '/frontend/get_ticket', { token: tokens.passenger });
    expect(latest).toMatchObject({ user_id: ANNA, place_number: 2, code: '' });
  });

  it("makes a new account's users row on its first call", async () => {
    expect(await http.call('GET', '/frontend/tickets', { token: tokens.newcomer })).toEqual([
      200,
      { items: [], total: 0, page: 1, size: 50, pages: 0 },
    ]);
    expect(
      await http.database.dataSource.query(
        `SELECT name FROM base.users WHERE keycloak_subject = 'kc-vera'`,
      ),
    ).toEqual([{ name: 'vera' }]);
    expect(
      (await http.call('GET', '/frontend/get_ticket', { token: tokens.newcomer }))[1].code,
    ).toBe('TICKET_NOT_FOUND');
  });

  it('buys a seat on the train of the station and hour, for the caller', async () => {
    const date = `${new Date().getUTCFullYear() + 1}-06-05T13:00:00+03:00`;
    const [status, ticket] = await http.call('POST', '/frontend/tickets', {
      token: tokens.passenger,
      body: { ...order, date },
    });
    expect([status, ticket]).toEqual([
      200,
      expect.objectContaining({ user_id: ANNA, train_number: 1014, code: expect.any(String) }),
    ]);
    const [row] = await http.database.dataSource.query(
      'SELECT user_id, code_hash FROM base.tickets WHERE id = $1',
      [ticket['id']],
    );
    expect(row).toEqual({ user_id: ANNA, code_hash: hashTicketCode(ticket['code'] as string) });
  });

  it.each<[unknown, string | undefined]>([
    [{ face: null }, undefined],
    [{}, undefined],
    [{ face: 'aGVsbG8=' }, 'aGVsbG8='],
  ])('accepts a face upload %j', async (body, enrolled) => {
    expect(await http.call('POST', '/frontend/face', { token: tokens.passenger, body })).toEqual([
      200,
      { status: 'OK' },
    ]);
    expect(remotes.faces.enrolled.get(ANNA)).toBe(enrolled);
  });

  it('tells whether the caller has a face enrolled', async () => {
    expect(await http.call('GET', '/frontend/faces', { token: tokens.passenger })).toEqual([
      200,
      { status: 'OK' },
    ]);
    remotes.faces.enrolled.clear();
    expect((await http.call('GET', '/frontend/faces', { token: tokens.passenger }))[1].code).toBe(
      'FACE_NOT_FOUND',
    );
  });

  it.each<[string, Record<string, unknown>]>([
    ['wagon 0', { wagon_number: 0 }],
    ['wagon 31', { wagon_number: 31 }],
    ['place 121', { place_number: 121 }],
    ['an unknown station', { station_id: 'KAZAN' }],
    ['an unknown destination', { destination_id: 'moscow' }],
    ['no date', { date: undefined }],
    ['a garbage date', { date: 'next friday' }],
    ['another user', { user_id: BORIS }],
  ])('refuses a purchase with %s (400)', async (_, change) => {
    await unchanged(async () => {
      const refused = await http.call('POST', '/frontend/tickets', {
        token: tokens.passenger,
        body: { ...order, ...change },
      });
      expect(refused[0]).toBe(400);
    });
  });

  it('refuses a face that is not base64', async () => {
    await unchanged(async () => {
      const refused = await http.call('POST', '/frontend/face', {
        token: tokens.passenger,
        body: { face: '%%%' },
      });
      expect(refused[0]).toBe(400);
    });
    expect(remotes.faces.enrolled.get(ANNA)).toBe('YW5uYQ==');
  });
});
