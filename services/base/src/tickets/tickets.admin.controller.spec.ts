import {
  createTestJwtIssuer,
  type HttpHarness,
  recorder,
  startHttpHarness,
} from '@platform/testing';
import { type TicketEntity } from './entities/ticket.entity';
import { TicketsAdminController } from './tickets.admin.controller';
import { type NewTicket, TicketsService } from './tickets.service';

const ID = '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e';
const USER = '11111111-1111-4111-8111-111111111111';

describe('TicketsAdminController over HTTP', () => {
  let http: HttpHarness;
  let tickets: TicketsService & { calls: string[] };
  let issued: NewTicket | undefined;
  let admin: string;
  let passenger: string;

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

  beforeAll(async () => {
    const issuer = await createTestJwtIssuer();
    tickets = recorder<TicketsService>({
      list: { items: [], total: 0, page: 1, size: 50, pages: 0 },
      remove: undefined,
    });
    tickets.issue = async (input: NewTicket) => {
      tickets.calls.push('issue');
      issued = input;
      const ticket: TicketEntity = {
        ...input,
        id: ID,
        codeHash: 'h',
        usedAt: null,
        usedByDeviceId: null,
        createdAt: new Date(),
      };
      return { ticket, code: 'the-code' };
    };
    http = await startHttpHarness({
      apiPrefix: 'base_api',
      controllers: [TicketsAdminController],
      providers: [{ provide: TicketsService, useValue: tickets }],
      keycloak: issuer,
    });
    [admin, passenger] = await Promise.all([
      issuer.sign({ roles: ['admin'] }),
      issuer.sign({ roles: ['passenger'] }),
    ]);
  });

  afterAll(() => http.close());
  beforeEach(() => tickets.calls.splice(0));

  it.each<[string, string, unknown?]>([
    ['POST', '/admin/ticket', body],
    ['GET', '/admin/tickets', undefined],
    ['DELETE', `/admin/ticket/${ID}`, undefined],
  ])('%s %s refuses no token (401) and a non-admin (403)', async (method, path, payload) => {
    expect((await http.call(method, path, { body: payload }))[0]).toBe(401);
    expect((await http.call(method, path, { body: payload, token: passenger }))[0]).toBe(403);
    expect(tickets.calls).toEqual([]);
  });

  it('issues a ticket at the departure instant and shows its code once', async () => {
    const [status, answer] = await http.call('POST', '/admin/ticket', { token: admin, body });
    expect(status).toBe(200);
    expect(issued?.departureAt.toISOString()).toBe('2026-11-22T06:00:00.000Z');
    expect(answer).toEqual({
      id: ID,
      user_id: USER,
      train_number: 1013,
      wagon_number: 5,
      place_number: 12,
      station_id: 'MOSCOW',
      destination: 'SPB',
      date: '2026-11-22T06:00:00.000Z',
      start_date: '2026-11-22T06:00:00.000Z',
      code: 'the-code',
      used_at: null,
    });
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
    expect(
      (await http.call('POST', '/admin/ticket', { token: admin, body: { ...body, ...change } }))[0],
    ).toBe(400);
    expect(tickets.calls).toEqual([]);
  });

  it('refuses a non-UUID ticket id with 400', async () => {
    expect((await http.call('DELETE', '/admin/ticket/7', { token: admin }))[1].code).toBe(
      'INVALID_ID',
    );
  });
});
