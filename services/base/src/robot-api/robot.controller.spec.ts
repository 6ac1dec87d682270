import { DomainError } from '@platform/errors';
import { toTrainDate } from '../common/instant';
import { createTestJwtIssuer, type HttpHarness, startHttpHarness } from '@platform/testing';
import { FaceClient } from '../common/remote/face.client';
import { DestinationsService } from '../destinations/destinations.service';
import { EngineersService } from '../engineers/engineers.service';
import { type TicketEntity } from '../tickets/entities/ticket.entity';
import { type TicketCheck, TicketValidationService } from '../tickets/ticket-validation.service';
import { TicketsService } from '../tickets/tickets.service';
import { TrainStoresService } from '../train-stores/train-stores.service';
import { UsersService } from '../users/users.service';
import { RobotController, RobotDestinationsController } from './robot.controller';

const ROBOT = '7e57ab1e-0000-4000-8000-000000000001';
const USER = '11111111-1111-4111-8111-111111111111';
const TICKET: TicketEntity = {
  id: '22222222-2222-4222-8222-222222222222',
  userId: USER,
  trainNumber: 1013,
  wagonNumber: 5,
  placeNumber: 12,
  stationId: 'MOSCOW',
  destinationId: 'SPB',
  departureAt: new Date('2026-11-22T06:00:00Z'),
  codeHash: 'h',
  usedAt: new Date('2026-11-22T05:55:00Z'),
  usedByDeviceId: ROBOT,
  createdAt: new Date('2026-11-01T00:00:00Z'),
};

describe('RobotController over HTTP', () => {
  let http: HttpHarness;
  const calls: [string, unknown[]][] = [];
  /** What a stand-in throws instead of answering, by its name. */
  const failures = new Map<string, DomainError>();
  let admin: string;

  function record(name: string, answer: unknown) {
    return async (...args: unknown[]) => {
      calls.push([name, args]);
      const failure = failures.get(name);
      if (failure) throw failure;
      return answer;
    };
  }

  beforeAll(async () => {
    const issuer = await createTestJwtIssuer();
    http = await startHttpHarness({
      apiPrefix: 'base_api',
      controllers: [RobotController, RobotDestinationsController],
      providers: [
        { provide: FaceClient, useValue: { identify: record('identify', USER) } },
        {
          provide: UsersService,
          useValue: { get: record('getUser', { id: USER, name: 'Anna' }) },
        },
        { provide: TicketsService, useValue: { boardedTicket: record('boardedTicket', TICKET) } },
        { provide: TicketValidationService, useValue: { validate: record('validate', TICKET) } },
        {
          provide: DestinationsService,
          useValue: { list: record('list', { items: [], total: 0, page: 1, size: 50, pages: 0 }) },
        },
        {
          provide: EngineersService,
          useValue: { adminAccess: record('adminAccess', { id: USER, login: 'ivan' }) },
        },
        {
          provide: TrainStoresService,
          useValue: {
            storesOf: record('storesOf', []),
            storeIdsOf: record('storeIdsOf', { items: [], total: 0, page: 1, size: 50, pages: 0 }),
          },
        },
      ],
      keycloak: issuer,
      devices: {
        'robot-token': { deviceId: ROBOT, kind: 'robot', privileges: 0, sessionId: 's1' },
        'store-token': { deviceId: ROBOT, kind: 'store', privileges: 0, sessionId: 's2' },
      },
    });
    admin = await issuer.sign({ roles: ['admin'] });
  });

  afterAll(() => http.close());
  beforeEach(() => {
    calls.splice(0);
    failures.clear();
  });

  const door = {
    station_id: 'MOSCOW',
    train_number: 1013,
    wagon_number: 5,
    date: '2026-11-22T09:00:00+03:00',
    mark_as_used: true,
  };
  const routes: [string, string, unknown?][] = [
    ['POST', '/robot/identification', { image: 'aGVsbG8=' }],
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
    expect((await http.call(method, path, { body }))[0]).toBe(401);
    expect((await http.call(method, path, { body, token: admin }))[1].code).toBe('INVALID_SESSION');
    expect(await http.call(method, path, { body, token: 'store-token' })).toEqual([
      403,
      expect.objectContaining({ code: 'WRONG_DEVICE_KIND' }),
    ]);
    expect(calls).toEqual([]);
  });

  it.each(routes)('%s %s answers a robot', async (method, path, body) => {
    expect((await http.call(method, path, { body, token: 'robot-token' }))[0]).toBe(200);
  });

  it('validates with the robot as the device and the departure as an instant', async () => {
    const [status, answer] = await http.call('POST', '/robot/ticket_validation', {
      token: 'robot-token',
      body: { ...door, code: 'qr' },
    });
    expect(status).toBe(200);
    expect(answer).toMatchObject({ id: TICKET.id, code: '', used_at: '2026-11-22T05:55:00.000Z' });
    const [name, [check, device]] = calls[0] as [string, [TicketCheck, string]];
    expect(name).toBe('validate');
    expect(device).toBe(ROBOT);
    expect(check.departureAt.toISOString()).toBe('2026-11-22T06:00:00.000Z');
    expect(check).toMatchObject({ code: 'qr', markAsUsed: true, wagonNumber: 5 });
  });

  it('identifies and answers {id, name}', async () => {
    expect(
      await http.call('POST', '/robot/identification', {
        token: 'robot-token',
        body: { image: 'aGVsbG8=' },
      }),
    ).toEqual([200, { id: USER, name: 'Anna' }]);
  });

  it('answers determine_destination with {id}', async () => {
    const body = { user_id: USER, train_number: 1013, start_date: door.date };
    expect(
      await http.call('POST', '/robot/determine_destination', { token: 'robot-token', body }),
    ).toEqual([200, { id: 'SPB' }]);
  });

  describe('answers the kiosk with statuses it handles (400, 403, 404)', () => {
    const usedTicket = { message: 'This ticket has already been used', right_ticket: { id: 't' } };
    it.each<[string, DomainError, string, unknown, number, string]>([
      [
        'identify',
        new DomainError('unprocessable', 'NO_FACE', 'No face on the image'),
        '/robot/identification',
        { image: 'aGVsbG8=' },
        400,
        'NO_FACE',
      ],
      [
        'identify',
        new DomainError('not_found', 'FACE_NOT_MATCHED', 'No matching face'),
        '/robot/identification',
        { image: 'aGVsbG8=' },
        404,
        'FACE_NOT_MATCHED',
      ],
      [
        'validate',
        new DomainError('conflict', 'TICKET_ALREADY_USED', usedTicket.message, undefined, {
          detail: usedTicket,
        }),
        '/robot/ticket_validation',
        { ...door, code: 'c' },
        400,
        'TICKET_ALREADY_USED',
      ],
      [
        'validate',
        new DomainError('forbidden', 'INVALID_TICKET_CODE', 'Invalid ticket code'),
        '/robot/ticket_validation',
        { ...door, code: 'c' },
        403,
        'INVALID_TICKET_CODE',
      ],
      [
        'adminAccess',
        new DomainError('forbidden', 'ACCESS_DENIED', 'Access denied'),
        '/robot/engineer/admin_access',
        { key: '0xDE' },
        403,
        'ACCESS_DENIED',
      ],
    ])('%s failing with %p', async (name, failure, path, body, status, code) => {
      failures.set(name, failure);
      const [actual, answer] = await http.call('POST', path, { token: 'robot-token', body });
      expect([actual, answer.code, answer.message]).toEqual([status, code, failure.message]);
      expect(answer['detail']).toEqual(failure.detail);
    });

    it('keeps server-side failures as they are', async () => {
      failures.set('identify', new DomainError('unavailable', 'FACE_SERVICE_UNAVAILABLE', 'down'));
      const [status, answer] = await http.call('POST', '/robot/identification', {
        token: 'robot-token',
        body: { image: 'aGVsbG8=' },
      });
      expect([status, answer.code, answer['detail']]).toEqual([
        503,
        'FACE_SERVICE_UNAVAILABLE',
        'down',
      ]);
    });
  });

  it("lists a train's store ids for today (Moscow) or the day asked: the kiosk's route", async () => {
    const today = toTrainDate(new Date().toISOString(), 'now');
    const [status, body] = await http.call('GET', '/robot/train/1013/stores?size=10', {
      token: 'robot-token',
    });
    expect([status, body]).toEqual([200, { items: [], total: 0, page: 1, size: 50, pages: 0 }]);
    await http.call('GET', '/robot/train/1013/stores?train_date=2026-11-22', {
      token: 'robot-token',
    });
    expect(calls).toEqual([
      [
        'storeIdsOf',
        [{ trainNumber: 1013, trainDate: today }, expect.objectContaining({ size: 10 })],
      ],
      ['storeIdsOf', [{ trainNumber: 1013, trainDate: '2026-11-22' }, expect.anything()]],
    ]);
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
    expect((await http.call(method, path, { token: 'robot-token', body }))[0]).toBe(400);
    expect(calls).toEqual([]);
  });
});
