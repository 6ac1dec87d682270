import { DomainError } from '@platform/errors';
import { remoteUnavailable } from '@platform/messaging';
import { setUpIntegrationHttp } from '@platform/testing/integration';
import { toTrainDate } from '../common/instant';
import { databaseDefinition } from '../database/database-definition';
import { maskOf } from '../engineers/privileges';
import { baseHttp, baseRemotes, testCardKeyHash, testStore } from '../testing/base-http-ports';
import { hashTicketCode } from '../tickets/ticket-code';
import { RobotApiModule } from './robot-api.module';
import { RobotPassengers } from './robot-passengers';
import { RobotPassengersRpcController } from './robot-passengers.rpc.controller';

const ROBOT = '7e57ab1e-0000-4000-8000-000000000001';
const OTHER_ROBOT = '7e57ab1e-0000-4000-8000-0000000000b2';
const USER = '11111111-1111-4111-8111-111111111111';
/** Anna's ticket for the door, not used yet; its QR code is `c`. */
const OPEN = '22222222-2222-4222-8222-222222222222';
/** Anna's ticket she boarded with (QR code `used`). */
const USED = '33333333-3333-4333-8333-333333333333';
const STORE_TODAY = '44444444-4444-4444-8444-444444444444';
const STORE_LATER = '55555555-5555-4555-8555-555555555555';
const FACE = 'aGVsbG8=';
const TABLES = [
  'base.users',
  'base.tickets',
  'base.engineers',
  'base.auth_cards',
  'base.hotels',
  'base.attractions',
  'base.train_store_bindings',
];

/**
 * The production RobotApiModule (and the users, tickets, destinations, engineers and train-store
 * modules it imports) over HTTP, on a database of its own (integration tier). The face service
 * and the store directory are fakes; robot sessions come from the harness's device verifier
 * (device-auth, which issues them, is another module).
 */
describe('robot kiosk API over HTTP', () => {
  const remotes = baseRemotes();
  const { http, tokens } = setUpIntegrationHttp(
    databaseDefinition,
    {
      ...baseHttp([RobotApiModule], remotes),
      devices: {
        'robot-token': { deviceId: ROBOT, kind: 'robot', privileges: 0, sessionId: 's1' },
        'other-robot-token': {
          deviceId: OTHER_ROBOT,
          kind: 'robot',
          privileges: 0,
          sessionId: 's3',
        },
        'store-token': { deviceId: ROBOT, kind: 'store', privileges: 0, sessionId: 's2' },
      },
    },
    { admin: { roles: ['admin'] } },
  );
  const today = () => toTrainDate(new Date().toISOString(), 'now');

  /**
   * Anna (face enrolled) with a ticket for the door and one she boarded with; Ivan, a robot admin
   * with card 0xDE; a hotel and an attraction at SPB; a store on train 1013 today and another on
   * 2026-11-22.
   */
  beforeEach(async () => {
    remotes.faces.reset();
    remotes.faces.enrolled.set(USER, FACE);
    remotes.stores.available = true;
    for (const id of [STORE_TODAY, STORE_LATER]) {
      remotes.stores.stores.set(id, testStore(id));
    }
    const sql = http.database.dataSource;
    await sql.query(`TRUNCATE ${TABLES.join(', ')} CASCADE`);
    await sql.query(`INSERT INTO base.users (id, name) VALUES ($1, 'Anna')`, [USER]);
    await sql.query(
      `INSERT INTO base.tickets (id, user_id, train_number, wagon_number, place_number, station_id,
         destination_id, departure_at, code_hash, used_at, used_by_device_id)
       VALUES ($1, $3, 1013, 5, 12, 'MOSCOW', 'SPB', '2026-11-22T06:00:00Z', $4, NULL, NULL),
              ($2, $3, 1013, 5, 11, 'MOSCOW', 'SPB', '2026-11-22T06:00:00Z', $5,
               '2026-11-22T05:55:00Z', $6)`,
      [OPEN, USED, USER, hashTicketCode('c'), hashTicketCode('used'), ROBOT],
    );
    const [ivan] = await sql.query(
      `INSERT INTO base.engineers (login, password_hash, privileges) VALUES ('ivan', 'x', $1)
       RETURNING id`,
      [maskOf(['ROBOT_ADMIN'])],
    );
    await sql.query('INSERT INTO base.auth_cards (engineer_id, key_hash) VALUES ($1, $2)', [
      ivan.id,
      testCardKeyHash('0xDE'),
    ]);
    for (const table of ['base.hotels', 'base.attractions']) {
      await sql.query(
        `INSERT INTO ${table} (destination_id, name, description, logo_url)
         VALUES ('SPB', 'Hermitage', 'Museum', '/static/logos/1.png')`,
      );
    }
    await sql.query(
      `INSERT INTO base.train_store_bindings (store_id, train_number, train_date)
       VALUES ($1, 1013, $2), ($3, 1013, '2026-11-22')`,
      [STORE_TODAY, today(), STORE_LATER],
    );
  });

  async function unchanged(request: () => Promise<void>): Promise<void> {
    await http.unchanged(TABLES, request);
    expect(remotes.faces.calls).toEqual([]);
  }

  const door = {
    station_id: 'MOSCOW',
    train_number: 1013,
    wagon_number: 5,
    date: '2026-11-22T09:00:00+03:00',
    mark_as_used: true,
  };
  const routes: [string, string, unknown?][] = [
    ['POST', '/robot/identification', { image: FACE }],
    ['POST', '/robot/ticket_validation', { ...door, code: 'c' }],
    [
      'POST',
      '/robot/user/current_ticket',
      { user_id: USER, train_id: 1013, start_date: door.date },
    ],
    [
      'POST',
      '/robot/determine_destination',
      { user_id: USER, train_number: 1013, start_date: door.date },
    ],
    ['GET', `/robot/user/${USER}`, undefined],
    ['GET', '/robot/destination/SPB/hotels', undefined],
    ['GET', '/robot/destination/SPB/attractions', undefined],
    ['POST', '/robot/engineer/admin_access', { key: '0xDE' }],
    ['GET', '/robot/train/stores?train_number=1013&train_date=2026-11-22', undefined],
    ['POST', '/robot/train/stores', { train_number: 1013, train_date: '2026-11-22' }],
    ['GET', '/robot/train/1013/stores', undefined],
  ];

  it.each(routes)('%s %s needs a robot session', async (method, path, body) => {
    await unchanged(async () => {
      expect((await http.call(method, path, { body }))[0]).toBe(401);
      expect((await http.call(method, path, { body, token: tokens.admin }))[1].code).toBe(
        'INVALID_SESSION',
      );
      expect(await http.call(method, path, { body, token: 'store-token' })).toEqual([
        403,
        expect.objectContaining({ code: 'WRONG_DEVICE_KIND' }),
      ]);
    });
  });

  it.each(routes)('%s %s answers a robot', async (method, path, body) => {
    // the robot serves the passenger the routes name (as after identification), whatever ran before
    await http.app.get(RobotPassengers).serve(ROBOT, USER);
    expect((await http.call(method, path, { body, token: 'robot-token' }))[0]).toBe(200);
  });

  it('validates with the robot as the device and the departure as an instant, once', async () => {
    const [status, answer] = await http.call('POST', '/robot/ticket_validation', {
      token: 'robot-token',
      body: { ...door, code: 'c' },
    });
    expect(status).toBe(200);
    expect(answer).toMatchObject({ id: OPEN, code: '', date: '2026-11-22T06:00:00.000Z' });
    const [row] = await http.database.dataSource.query(
      'SELECT used_at, used_by_device_id FROM base.tickets WHERE id = $1',
      [OPEN],
    );
    expect(row.used_by_device_id).toBe(ROBOT);
    expect(answer['used_at']).toBe(row.used_at.toISOString());
    // the same robot re-checking the passenger at its door: the same boarding, nothing changes
    const again = await http.call('POST', '/robot/ticket_validation', {
      token: 'robot-token',
      body: { ...door, code: 'c' },
    });
    expect([again[0], again[1]['used_at']]).toEqual([200, answer['used_at']]);
    const elsewhere = await http.call('POST', '/robot/ticket_validation', {
      token: 'other-robot-token',
      body: { ...door, code: 'c' },
    });
    expect([elsewhere[0], elsewhere[1].code]).toEqual([400, 'TICKET_ALREADY_USED']);
    // the refusal shows the passenger their ticket: that robot now serves them (their name next)
    expect(await http.app.get(RobotPassengers).serves(OTHER_ROBOT, USER)).toBe(true);
  });

  it('checks a ticket without using it up when mark_as_used is false', async () => {
    await unchanged(async () => {
      const [status, answer] = await http.call('POST', '/robot/ticket_validation', {
        token: 'robot-token',
        body: { ...door, code: 'c', mark_as_used: false },
      });
      expect([status, answer['id'], answer['used_at']]).toEqual([200, OPEN, null]);
    });
  });

  it('identifies and answers {id, name}; the robot now serves Anna, and only this robot', async () => {
    const passengers = http.app.get(RobotPassengers);
    await passengers.serve(OTHER_ROBOT, '99999999-9999-4999-8999-999999999999'); // whatever ran before
    const rpc = http.app.get(RobotPassengersRpcController);
    expect(
      await http.call('POST', '/robot/identification', {
        token: 'robot-token',
        body: { image: FACE },
      }),
    ).toEqual([200, { id: USER, name: 'Anna' }]);
    expect(await rpc.servesUser({ robotId: ROBOT, userId: USER })).toEqual({
      userId: USER,
      exists: true,
      serves: true,
    });
    expect(await passengers.serves(OTHER_ROBOT, USER)).toBe(false);
    const nobody = '99999999-9999-4999-8999-999999999999';
    expect(await rpc.servesUser({ robotId: ROBOT, userId: nobody })).toEqual({
      userId: nobody,
      exists: false,
      serves: false,
    });
  });

  it('answers current_ticket with the boarded ticket and determine_destination with {id}', async () => {
    const body = { user_id: USER, train_number: 1013, start_date: door.date };
    await http.app.get(RobotPassengers).serve(OTHER_ROBOT, '99999999-9999-4999-8999-999999999999');
    // only to the robot serving Anna
    expect(
      await http.call('POST', '/robot/determine_destination', {
        token: 'other-robot-token',
        body,
      }),
    ).toEqual([403, expect.objectContaining({ code: 'PASSENGER_NOT_IDENTIFIED' })]);
    await http.app.get(RobotPassengers).serve(ROBOT, USER);
    const [status, ticket] = await http.call('POST', '/robot/user/current_ticket', {
      token: 'robot-token',
      body: { user_id: USER, train_id: 1013, start_date: door.date },
    });
    expect([status, ticket['id'], ticket['used_at']]).toEqual([
      200,
      USED,
      '2026-11-22T05:55:00.000Z',
    ]);
    expect(
      await http.call('POST', '/robot/determine_destination', { token: 'robot-token', body }),
    ).toEqual([200, { id: 'SPB' }]);
  });

  it('names a passenger only to a robot that identified them (face or ticket) last', async () => {
    const nobody = '99999999-9999-4999-8999-999999999999';
    const passengers = http.app.get(RobotPassengers);
    // Redis outlives beforeEach: both robots start out serving somebody else
    await passengers.serve(ROBOT, nobody);
    await passengers.serve(OTHER_ROBOT, nobody);
    const name = (token: string, userId = USER) =>
      http.call('GET', `/robot/user/${userId}`, { token });
    const refused = [403, expect.objectContaining({ code: 'PASSENGER_NOT_IDENTIFIED' })];
    const anna = [200, { id: USER, name: 'Anna' }];

    expect(await name('robot-token')).toEqual(refused);
    const identified = await http.call('POST', '/robot/identification', {
      token: 'robot-token',
      body: { image: FACE },
    });
    expect(identified[0]).toBe(200);
    expect(await name('robot-token')).toEqual(anna);
    expect(await name('other-robot-token')).toEqual(refused);
    const validated = await http.call('POST', '/robot/ticket_validation', {
      token: 'other-robot-token',
      body: { ...door, code: 'c', mark_as_used: false },
    });
    expect(validated[0]).toBe(200);
    expect(await name('other-robot-token')).toEqual(anna);
    // as current_ticket and determine_destination: the binding first, so an unknown id is a 403
    // too (a robot cannot probe which ids exist); 404 only once the served passenger is gone
    expect(await name('robot-token', nobody)).toEqual(refused);
    await http.database.dataSource.query('DELETE FROM base.users WHERE id = $1', [USER]);
    expect(await name('robot-token')).toEqual([
      404,
      expect.objectContaining({ code: 'USER_NOT_FOUND' }),
    ]);
  });

  describe("answers the kiosk with the seed's statuses (400, 403, 404, 422)", () => {
    const noFace = new DomainError('unprocessable', 'NO_FACE', 'No face on the image');
    const usedTicket = { message: 'This ticket has already been used', right_ticket: USED };
    it.each<[string, DomainError | undefined, string, unknown, number, string, string, unknown]>([
      [
        'no face on the frame',
        noFace,
        '/robot/identification',
        { image: FACE },
        422,
        'NO_FACE',
        noFace.message,
        noFace.message,
      ],
      [
        'a face nobody enrolled',
        undefined,
        '/robot/identification',
        { image: 'c3RyYW5nZXI=' },
        422,
        'FACE_NOT_MATCHED',
        'No matching face',
        'No matching face',
      ],
      [
        'a used ticket',
        undefined,
        '/robot/ticket_validation',
        { ...door, code: 'used' },
        400,
        'TICKET_ALREADY_USED',
        usedTicket.message,
        usedTicket,
      ],
      [
        'an unknown ticket code',
        undefined,
        '/robot/ticket_validation',
        { ...door, code: 'wrong' },
        403,
        'INVALID_TICKET_CODE',
        'Invalid ticket code',
        'Invalid ticket code',
      ],
      [
        'an unknown card',
        undefined,
        '/robot/engineer/admin_access',
        { key: '0xBE' },
        403,
        'ACCESS_DENIED',
        'Access denied',
        'Access denied',
      ],
    ])('%s', async (_, failure, path, body, status, code, message, detail) => {
      remotes.faces.failure = failure;
      await http.unchanged(TABLES, async () => {
        const [actual, answer] = await http.call('POST', path, { token: 'robot-token', body });
        expect([actual, answer.code, answer.message]).toEqual([status, code, message]);
        const shown = answer['detail'] as { right_ticket?: { id: string } };
        expect(
          typeof shown === 'object' ? { ...shown, right_ticket: shown.right_ticket?.id } : shown,
        ).toEqual(detail);
      });
    });

    it('keeps server-side failures as they are', async () => {
      const down = remoteUnavailable('face');
      remotes.faces.failure = down;
      const [status, answer] = await http.call('POST', '/robot/identification', {
        token: 'robot-token',
        body: { image: FACE },
      });
      expect([status, answer.code, answer['detail']]).toEqual([
        503,
        'FACE_SERVICE_UNAVAILABLE',
        down.message,
      ]);
    });
  });

  it('lets one robot check 10 cards a minute, not more (card keys are 4-byte UIDs)', async () => {
    const check = (token: string, key: string) =>
      http.call('POST', '/robot/engineer/admin_access', { token, body: { key } });
    for (let guess = 0; guess < 10; guess++) {
      expect((await check('other-robot-token', `0x${guess}`))[0]).toBe(403);
    }
    const [status, answer] = await check('other-robot-token', '0xDE');
    expect([status, answer.code]).toEqual([429, 'RATE_LIMITED']);
    // another robot's budget is its own: Ivan's card still opens it
    expect(await check('robot-token', '0xDE')).toEqual([200, expect.objectContaining({})]);
  });

  it('lets one robot have 2 face checks in flight, not more (one robot must not fill the face queue)', async () => {
    const identify = (token: string) =>
      http.call('POST', '/robot/identification', { token, body: { image: FACE } });
    let release = (): void => undefined;
    remotes.faces.busy = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = [identify('other-robot-token'), identify('other-robot-token')];
    while (remotes.faces.calls.length < 2) await new Promise((resolve) => setImmediate(resolve));
    const [status, answer] = await identify('other-robot-token');
    expect([status, answer.code]).toEqual([429, 'RATE_LIMITED']);
    const [byFace] = await http.call('POST', '/robot/ticket_validation', {
      token: 'other-robot-token',
      body: { ...door, face: FACE },
    });
    expect(byFace).toBe(429);
    release();
    expect((await Promise.all(first)).map(([code]) => code)).toEqual([200, 200]);
    // done, the next one is answered
    expect((await identify('other-robot-token'))[0]).toBe(200);
  });

  it("lists a train's store ids for today (Moscow) or the day asked: the kiosk's route", async () => {
    expect(
      await http.call('GET', '/robot/train/1013/stores?size=10', { token: 'robot-token' }),
    ).toEqual([200, { items: [STORE_TODAY], total: 1, page: 1, size: 10, pages: 1 }]);
    expect(
      await http.call('GET', '/robot/train/1013/stores?train_date=2026-11-22', {
        token: 'robot-token',
      }),
    ).toEqual([200, { items: [STORE_LATER], total: 1, page: 1, size: 50, pages: 1 }]);
  });

  it("shows a train's stores from the store directory, by query or by POST", async () => {
    const { id, name, description, logoUrl, storeType } = testStore(STORE_LATER);
    const later = { id, name, description, logo_url: logoUrl, store_type: storeType, items: [] };
    for (const [method, path, body] of routes.filter(([, path]) =>
      path.includes('/train/stores'),
    )) {
      expect(await http.call(method, path, { token: 'robot-token', body })).toEqual([200, [later]]);
    }
  });

  it.each<[string, string, unknown?]>([
    ['POST', '/robot/identification', {}],
    ['POST', '/robot/identification', { image: '' }],
    ['POST', '/robot/identification', { image: '***' }],
    ['POST', '/robot/ticket_validation', { ...door, mark_as_used: undefined, code: 'c' }],
    ['POST', '/robot/ticket_validation', { ...door, mark_as_used: 'yes', code: 'c' }],
    ['POST', '/robot/ticket_validation', { ...door, station_id: 'x'.repeat(61), code: 'c' }],
    ['POST', '/robot/ticket_validation', { ...door, wagon_number: 2 ** 31, code: 'c' }],
    ['POST', '/robot/ticket_validation', { ...door, date: '2026-11-22', code: 'c' }],
    ['POST', '/robot/ticket_validation', { ...door, code: 'x'.repeat(257) }],
    ['POST', '/robot/ticket_validation', { ...door, code: '' }],
    ['POST', '/robot/ticket_validation', { ...door, face: 'not base64!' }],
    ['POST', '/robot/user/current_ticket', { user_id: 'u', train_id: 1013, start_date: door.date }],
    ['POST', '/robot/user/current_ticket', { user_id: USER, train_id: 1013 }],
    [
      'POST',
      '/robot/determine_destination',
      { user_id: '123', train_number: 1, start_date: door.date },
    ],
    ['GET', '/robot/user/12345', undefined],
    ['GET', `/robot/destination/${'x'.repeat(61)}/hotels`, undefined],
    ['POST', '/robot/engineer/admin_access', {}],
    ['POST', '/robot/engineer/admin_access', { key: 'x'.repeat(257) }],
    ['GET', '/robot/train/stores', undefined],
    ['GET', '/robot/train/stores?train_number=-3&train_date=2026-11-22', undefined],
    ['POST', '/robot/train/stores', { train_number: 1013 }],
    ['GET', '/robot/train/abc/stores', undefined],
    ['GET', '/robot/train/0/stores', undefined],
    ['GET', '/robot/train/1013/stores?train_date=yesterday', undefined],
  ])('%s %s with bad input is a 400 and changes nothing', async (method, path, body) => {
    await unchanged(async () => {
      expect((await http.call(method, path, { token: 'robot-token', body }))[0]).toBe(400);
    });
  });
});
