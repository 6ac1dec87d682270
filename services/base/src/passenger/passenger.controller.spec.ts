import { createTestJwtIssuer, type HttpHarness, startHttpHarness } from '@platform/testing';
import { PassengerController } from './passenger.controller';
import { PassengerService } from './passenger.service';

describe('PassengerController over HTTP', () => {
  let http: HttpHarness;
  const calls: [string, unknown[]][] = [];
  let passenger: string;
  let admin: string;

  beforeAll(async () => {
    const issuer = await createTestJwtIssuer();
    const record =
      (name: string, answer: unknown) =>
      async (...args: unknown[]) => {
        calls.push([name, args]);
        return answer;
      };
    http = await startHttpHarness({
      apiPrefix: 'base_api',
      controllers: [PassengerController],
      providers: [
        {
          provide: PassengerService,
          useValue: {
            myTickets: record('myTickets', { items: [], total: 0, page: 1, size: 50, pages: 0 }),
            setFace: record('setFace', undefined),
            assertFaceEnrolled: record('assertFaceEnrolled', undefined),
          },
        },
      ],
      keycloak: issuer,
    });
    [passenger, admin] = await Promise.all([
      issuer.sign({ roles: ['passenger'], subject: 'kc-anna', username: 'anna' }),
      issuer.sign({ roles: ['admin'] }),
    ]);
  });

  afterAll(() => http.close());
  beforeEach(() => calls.splice(0));

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
    expect((await http.call(method, path, { body }))[0]).toBe(401);
    expect((await http.call(method, path, { body, token: admin }))[0]).toBe(403);
    expect(calls).toEqual([]);
  });

  it('acts for the caller, identified by the token', async () => {
    await http.call('GET', '/frontend/tickets?page=2', { token: passenger });
    const [name, [principal, window]] = calls[0] as [
      string,
      [{ subject: string }, { page: number }],
    ];
    expect([name, principal.subject, window.page]).toEqual(['myTickets', 'kc-anna', 2]);
  });

  it.each([[{ face: null }], [{}], [{ face: 'aGVsbG8=' }]])(
    'accepts a face upload %j',
    async (body) => {
      expect(await http.call('POST', '/frontend/face', { token: passenger, body })).toEqual([
        200,
        { status: 'OK' },
      ]);
    },
  );

  it.each<[string, Record<string, unknown>]>([
    ['wagon 0', { wagon_number: 0 }],
    ['wagon 31', { wagon_number: 31 }],
    ['place 121', { place_number: 121 }],
    ['an unknown station', { station_id: 'KAZAN' }],
    ['an unknown destination', { destination_id: 'moscow' }],
    ['no date', { date: undefined }],
    ['a garbage date', { date: 'next friday' }],
    ['another user', { user_id: '11111111-1111-4111-8111-111111111111' }],
  ])('refuses a purchase with %s (400)', async (_, change) => {
    expect(
      (
        await http.call('POST', '/frontend/tickets', {
          token: passenger,
          body: { ...order, ...change },
        })
      )[0],
    ).toBe(400);
    expect(calls).toEqual([]);
  });

  it('refuses a face that is not base64', async () => {
    expect(
      (await http.call('POST', '/frontend/face', { token: passenger, body: { face: '%%%' } }))[0],
    ).toBe(400);
    expect(calls).toEqual([]);
  });
});
