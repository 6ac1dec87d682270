import { randomUUID } from 'node:crypto';
import { DeviceClient } from '@platform/device-client';
import {
  api,
  fetchFromAddress,
  gatewayUrl,
  keycloakToken,
  randomDeparture,
  TEST_DOOR,
  ticketAtTestDoor,
} from '@platform/testing';
import { type ErrorBody } from '@platform/errors';
import { type TicketView as Ticket } from '../src/tickets/dto/ticket.view';
import { type UserView as User } from '../src/users/dto/user.dto';
import { EMPTY_FRAME, facePhotos, strangerPhoto } from './dev-faces';

/**
 * The robot kiosk API (`/base_api/v1/robot/*`) through the gateway, with a real robot session:
 * an engineer (made through the back office) registers a fresh robot key and the robot logs in
 * with the reference device client (docs/device-auth.md), exactly as a robot in the field does.
 *
 * Identification and ticket checks by face go through the face service with real photos of the
 * dev set (the face decision order is covered by unit specs): the kiosk gets the seed's 422 for a
 * frame without a face (NO_FACE) and for a stranger (FACE_NOT_MATCHED) (docs/api/base.md).
 */

const V1 = '/base_api/v1';
const IMAGE = Buffer.from('camera frame').toString('base64');

function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

describe('base robot API', () => {
  let admin: string;
  let passenger: string;
  let robotToken: string;
  /** A robot at another door: a ticket used by the first is refused to it. */
  let otherRobotToken: string;
  const engineers: string[] = [];
  const users: string[] = [];

  async function adminCall<T>(method: string, path: string, body?: unknown) {
    return api<T>(method, `${V1}${path}`, { token: admin, body });
  }

  async function robotCall<T = ErrorBody>(
    method: string,
    path: string,
    body?: unknown,
    token = robotToken,
  ) {
    return api<T>(method, `${V1}${path}`, { token, body });
  }

  async function newEngineer(
    privileges: string[],
  ): Promise<{ id: string; login: string; password: string }> {
    const login = unique('e2e-robot-eng');
    const password = `pw-${randomUUID()}`;
    const created = await adminCall<{ id: string }>('POST', '/admin/engineer', { login, password });
    expect(created.status).toBe(200);
    engineers.push(created.body.id);
    const granted = await adminCall('PUT', '/admin/engineer_privileges', {
      id: created.body.id,
      privileges,
    });
    expect(granted.status).toBe(200);
    return { id: created.body.id, login, password };
  }

  async function newUser(): Promise<string> {
    const created = await adminCall<{ id: string }>('POST', '/admin/user', {
      name: unique('Rider'),
    });
    expect(created.status).toBe(200);
    users.push(created.body.id);
    return created.body.id;
  }

  async function newTicket(userId: string, overrides: Record<string, unknown> = {}) {
    const departure = randomDeparture();
    const issued = await adminCall<Ticket>(
      'POST',
      '/admin/ticket',
      ticketAtTestDoor(userId, departure, overrides),
    );
    expect(issued.status).toBe(200);
    return { ticket: issued.body, departure };
  }

  beforeAll(async () => {
    [admin, passenger] = await Promise.all([
      keycloakToken('dev-admin'),
      keycloakToken('dev-passenger'),
    ]);
    const installer = await newEngineer(['ROBOT_LOGIN']);
    [robotToken, otherRobotToken] = await Promise.all([
      newRobotToken(installer),
      newRobotToken(installer),
    ]);
  });

  /** A robot registered by `installer` and logged in: its session token. */
  async function newRobotToken(installer: { login: string; password: string }): Promise<string> {
    const keys = await DeviceClient.generateKeyPair('ed25519');
    const robot = new DeviceClient({
      baseUrl: gatewayUrl(),
      kind: 'robot',
      fetch: fetchFromAddress(),
    });
    const { deviceId } = await robot.register({
      engineerLogin: installer.login,
      engineerPassword: installer.password,
      publicKeyPem: keys.publicKeyPem,
      robotModelId: unique('E2E-SN'),
      robotModelName: 'E2E robot',
    });
    return robot.loginWithSignature(deviceId, keys.privateKey);
  }

  afterAll(async () => {
    for (const userId of users) await adminCall('DELETE', `/admin/users/${userId}`);
    for (const engineerId of engineers) await adminCall('DELETE', `/admin/engineers/${engineerId}`);
  });

  const door = { ...TEST_DOOR, mark_as_used: true };
  const someone = randomUUID();
  const routes: [string, string, unknown?][] = [
    ['POST', '/robot/identification', { image: IMAGE }],
    ['POST', '/robot/ticket_validation', { ...door, date: '2026-11-22T09:00:00+03:00', code: 'x' }],
    [
      'POST',
      '/robot/user/current_ticket',
      { user_id: someone, train_id: 1013, start_date: '2026-11-22T06:00:00Z' },
    ],
    [
      'POST',
      '/robot/determine_destination',
      { user_id: someone, train_number: 1013, start_date: '2026-11-22T06:00:00Z' },
    ],
    ['GET', `/robot/user/${someone}`, undefined],
    ['GET', '/robot/destination/SPB/hotels', undefined],
    ['GET', '/robot/destination/SPB/attractions', undefined],
    ['POST', '/robot/engineer/admin_access', { key: '0x01' }],
    ['GET', '/robot/train/stores?train_number=1013&train_date=2026-11-22', undefined],
    ['POST', '/robot/train/stores', { train_number: 1013, train_date: '2026-11-22' }],
  ];

  describe.each(routes)('%s %s', (method, path, body) => {
    it('refuses a caller without a session with 401', async () => {
      const response = await api<ErrorBody>(method, `${V1}${path}`, { body });
      expect(response.status).toBe(401);
    });

    it('refuses Keycloak tokens (admin, passenger): they are not robot sessions', async () => {
      for (const token of [admin, passenger]) {
        const response = await api<ErrorBody>(method, `${V1}${path}`, { body, token });
        expect(response.status).toBe(401);
      }
    });
  });

  describe('ticket validation by QR code', () => {
    it('opens once: 200, then 400 TICKET_ALREADY_USED at another robot, whatever offset is sent', async () => {
      const userId = await newUser();
      const { ticket, departure } = await newTicket(userId);

      const wrongCode = await robotCall('POST', '/robot/ticket_validation', {
        ...door,
        date: departure.utc,
        code: 'not-the-code',
      });
      expect([wrongCode.status, wrongCode.body.code]).toEqual([403, 'INVALID_TICKET_CODE']);
      expect(wrongCode.body.detail).toBe('Invalid ticket code');

      const checked = await robotCall<Ticket>('POST', '/robot/ticket_validation', {
        ...door,
        date: departure.utc,
        code: ticket.code,
        mark_as_used: false,
      });
      expect([checked.status, checked.body.used_at]).toEqual([200, null]);

      const first = await robotCall<Ticket>('POST', '/robot/ticket_validation', {
        ...door,
        date: departure.utc,
        code: ticket.code,
      });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ id: ticket.id, code: '', used_at: expect.any(String) });

      // the same robot checks the passenger again (face after QR, the next tick): same boarding
      const again = await robotCall<Ticket>('POST', '/robot/ticket_validation', {
        ...door,
        date: departure.moscow,
        code: ticket.code,
      });
      expect([again.status, again.body.used_at]).toEqual([200, first.body.used_at]);

      const second = await robotCall(
        'POST',
        '/robot/ticket_validation',
        { ...door, date: departure.moscow, code: ticket.code },
        otherRobotToken,
      );
      // The kiosk handles 400 (not 409) and reads detail.message and detail.right_ticket.
      expect([second.status, second.body.code]).toEqual([400, 'TICKET_ALREADY_USED']);
      expect(second.body.detail).toEqual({
        message: 'This ticket has already been used',
        right_ticket: expect.objectContaining({ id: ticket.id, code: '' }),
      });
      // the refusal identified the passenger: the kiosk's refusal screen reads their name
      const named = await robotCall<{ id: string }>(
        'GET',
        `/robot/user/${userId}`,
        undefined,
        otherRobotToken,
      );
      expect([named.status, named.body.id]).toEqual([200, userId]);
    });

    it('lets exactly one of two robots racing on a ticket through', async () => {
      const userId = await newUser();
      const { ticket, departure } = await newTicket(userId);
      const tokens = [robotToken, otherRobotToken, robotToken, otherRobotToken, otherRobotToken];
      const answers = await Promise.all(
        tokens.map((token) =>
          robotCall(
            'POST',
            '/robot/ticket_validation',
            { ...door, date: departure.utc, code: ticket.code },
            token,
          ),
        ),
      );
      // Every request of the winner is the same boarding (200), also those that lost the row
      // lock to its own parallel request; every request of the other robot is refused.
      const admittedBy = new Set(tokens.filter((_, i) => answers[i]?.status === 200));
      expect(admittedBy.size).toBe(1);
      const [winner] = [...admittedBy];
      expect(answers.map((answer) => answer.status)).toEqual(
        tokens.map((token) => (token === winner ? 200 : 400)),
      );
    });

    it("admits every one of a robot's parallel checks of one ticket (the kiosk's QR and face in one tick)", async () => {
      const userId = await newUser();
      const { ticket, departure } = await newTicket(userId);
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          robotCall<Ticket>('POST', '/robot/ticket_validation', {
            ...door,
            date: departure.utc,
            code: ticket.code,
          }),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(new Set(answers.map((answer) => answer.body.used_at)).size).toBe(1);
    });

    it('refuses the code at another wagon or departure with 403', async () => {
      const userId = await newUser();
      const { ticket, departure } = await newTicket(userId);
      for (const change of [
        { wagon_number: 6 },
        { date: '2030-01-01T06:00:00Z' },
        { station_id: 'SPB' },
      ]) {
        const response = await robotCall('POST', '/robot/ticket_validation', {
          ...door,
          date: departure.utc,
          code: ticket.code,
          ...change,
        });
        expect([response.status, response.body.code]).toEqual([403, 'INVALID_TICKET_CODE']);
      }
    });
  });

  describe('after boarding', () => {
    it('finds the boarded ticket and its destination; a 400 (what the kiosk reads as none) before boarding', async () => {
      const userId = await newUser();
      const { ticket, departure } = await newTicket(userId, { destination: 'SPB' });
      // the kiosk asks after the passenger was identified; a robot that did not is refused
      const stranger = await robotCall('POST', '/robot/determine_destination', {
        user_id: userId,
        train_number: 1013,
        start_date: departure.moscow,
      });
      expect([stranger.status, stranger.body.code]).toEqual([403, 'PASSENGER_NOT_IDENTIFIED']);
      const checked = await robotCall('POST', '/robot/ticket_validation', {
        ...door,
        date: departure.moscow,
        code: ticket.code,
        mark_as_used: false,
      });
      expect(checked.status).toBe(200);

      const before = await robotCall('POST', '/robot/determine_destination', {
        user_id: userId,
        train_number: 1013,
        start_date: departure.moscow,
      });
      expect([before.status, before.body.code]).toEqual([400, 'NOT_BOARDED']);

      const boarded = await robotCall('POST', '/robot/ticket_validation', {
        ...door,
        date: departure.moscow,
        code: ticket.code,
      });
      expect(boarded.status).toBe(200);

      const current = await robotCall<Ticket>('POST', '/robot/user/current_ticket', {
        user_id: userId,
        train_id: 1013,
        start_date: departure.utc,
      });
      expect([current.status, current.body.id, current.body.code]).toEqual([200, ticket.id, '']);

      const destination = await robotCall('POST', '/robot/determine_destination', {
        user_id: userId,
        train_number: 1013,
        start_date: departure.utc,
      });
      expect([destination.status, destination.body]).toEqual([200, { id: 'SPB' }]);

      const otherTrain = await robotCall('POST', '/robot/user/current_ticket', {
        user_id: userId,
        train_id: 1014,
        start_date: departure.utc,
      });
      expect([otherTrain.status, otherTrain.body.code]).toEqual([404, 'TICKET_NOT_FOUND']);
    });

    it('shows the passenger this robot identified last by id, nobody else', async () => {
      const userId = await newUser();
      const { ticket, departure } = await newTicket(userId);
      const refused = [403, 'PASSENGER_NOT_IDENTIFIED'];
      const before = await robotCall('GET', `/robot/user/${userId}`);
      expect([before.status, before.body.code]).toEqual(refused);
      const checked = await robotCall('POST', '/robot/ticket_validation', {
        ...door,
        date: departure.utc,
        code: ticket.code,
        mark_as_used: false,
      });
      expect(checked.status).toBe(200);
      const found = await robotCall<User>('GET', `/robot/user/${userId}`);
      expect([found.status, found.body.id]).toEqual([200, userId]);
      const elsewhere = await robotCall('GET', `/robot/user/${userId}`, undefined, otherRobotToken);
      expect([elsewhere.status, elsewhere.body.code]).toEqual(refused);
      // the binding is checked first: an unknown id is refused like any other passenger's
      const unknown = await robotCall('GET', `/robot/user/${randomUUID()}`);
      expect([unknown.status, unknown.body.code]).toEqual(refused);
      expect((await adminCall('DELETE', `/admin/users/${userId}`)).status).toBe(200);
      const gone = await robotCall('GET', `/robot/user/${userId}`);
      expect([gone.status, gone.body.code]).toEqual([404, 'USER_NOT_FOUND']);
      // a path of its own, though `/robot/user/{user_id}` matches it too
      const wrongMethod = await robotCall('GET', '/robot/user/current_ticket');
      expect([wrongMethod.status, wrongMethod.body.code]).toEqual([405, 'METHOD_NOT_ALLOWED']);
    });

    it("lists the destination's hotels and attractions", async () => {
      const destination = unique('E2E').toUpperCase();
      const hotel = await adminCall<{ id: string }>(
        'POST',
        `/admin/destination/${destination}/hotel`,
        {
          name: 'Astoria',
          description: 'Old',
          logo_url: '/static/logos/hotels/1.png',
        },
      );
      const hotels = await robotCall<{ items: { id: string }[]; total: number }>(
        'GET',
        `/robot/destination/${destination}/hotels`,
      );
      expect([hotels.status, hotels.body.total, hotels.body.items[0]?.id]).toEqual([
        200,
        1,
        hotel.body.id,
      ]);
      const attractions = await robotCall<{ total: number }>(
        'GET',
        `/robot/destination/${destination}/attractions?page=1&size=10`,
      );
      expect([attractions.status, attractions.body.total]).toEqual([200, 0]);
      await adminCall('DELETE', `/admin/destination_info/hotel/${hotel.body.id}`);
    });
  });

  describe('engineer admin access by RFID card', () => {
    it('opens for a card of an engineer with ROBOT_ADMIN only', async () => {
      const keeper = await newEngineer(['ROBOT_ADMIN']);
      const stranger = await newEngineer(['ROBOT_LOGIN', 'STORE_LOGIN']);
      const keeperCard = `0xE2 0xE2 ${keeper.login}`;
      const strangerCard = `0xE3 0xE3 ${stranger.login}`;
      await adminCall('PUT', `/admin/engineer/${keeper.id}/auth_card`, { key: keeperCard });
      await adminCall('PUT', `/admin/engineer/${stranger.id}/auth_card`, { key: strangerCard });

      const opened = await robotCall('POST', '/robot/engineer/admin_access', {
        key: `  ${keeperCard.toLowerCase()} `,
      });
      expect([opened.status, opened.body]).toEqual([200, { id: keeper.id, login: keeper.login }]);
      for (const key of [strangerCard, `0xE4 ${randomUUID()}`]) {
        const refused = await robotCall('POST', '/robot/engineer/admin_access', { key });
        expect([refused.status, refused.body.code]).toEqual([403, 'ACCESS_DENIED']);
      }
    });
  });

  describe('stores of a train', () => {
    it('answers an empty list (not a 500) when no store is bound', async () => {
      const train = 100_000 + Math.floor(Math.random() * 1_000_000);
      const byQuery = await robotCall<unknown[]>(
        'GET',
        `/robot/train/stores?train_number=${train}&train_date=2026-11-22`,
      );
      expect([byQuery.status, byQuery.body]).toEqual([200, []]);
      const byPost = await robotCall<unknown[]>('POST', '/robot/train/stores', {
        train_number: train,
        train_date: '2026-11-22T09:00:00+03:00',
      });
      expect([byPost.status, byPost.body]).toEqual([200, []]);
    });
  });

  describe('by face, through the face service', () => {
    const [annaFaces, borisFaces] = [facePhotos('person02'), facePhotos('person03')];
    let anna: string;
    let boris: string;

    beforeAll(async () => {
      [anna, boris] = [await newUser(), await newUser()];
      for (const [userId, photos] of [
        [anna, annaFaces],
        [boris, borisFaces],
      ] as const) {
        const enrolled = await adminCall('PATCH', `/admin/user/${userId}/face`, {
          face: photos[0],
        });
        expect([enrolled.status, enrolled.body]).toEqual([200, { status: 'OK' }]);
      }
    }, 60_000);

    it('identifies the passenger in front of the camera', async () => {
      for (const [userId, photo] of [
        [anna, annaFaces[1]],
        [anna, annaFaces[2]],
        [boris, borisFaces[1]],
      ] as const) {
        const identified = await robotCall<User>('POST', '/robot/identification', {
          image: photo,
        });
        expect([identified.status, identified.body.id]).toEqual([200, userId]);
      }
    });

    it("answers the seed's 422 for a stranger (FACE_NOT_MATCHED) and an empty frame (NO_FACE)", async () => {
      const stranger = await robotCall('POST', '/robot/identification', { image: strangerPhoto() });
      expect([stranger.status, stranger.body.code]).toEqual([422, 'FACE_NOT_MATCHED']);
      const empty = await robotCall('POST', '/robot/identification', { image: EMPTY_FRAME });
      expect([empty.status, empty.body.code]).toEqual([422, 'NO_FACE']);
      const garbage = await robotCall('POST', '/robot/identification', { image: IMAGE });
      expect([garbage.status, garbage.body.code]).toEqual([400, 'IMAGE_UNREADABLE']);
    });

    it('checks the ticket of the face at the door: opens once (again only for that robot), refuses strangers and empty frames', async () => {
      const { ticket, departure } = await newTicket(anna);
      const check = (face: string, token = robotToken) =>
        robotCall<Ticket & ErrorBody>(
          'POST',
          '/robot/ticket_validation',
          { ...door, date: departure.utc, face },
          token,
        );
      const empty = await check(EMPTY_FRAME);
      expect([empty.status, empty.body.code]).toEqual([422, 'NO_FACE']);
      const stranger = await check(strangerPhoto());
      expect([stranger.status, stranger.body.code]).toEqual([422, 'FACE_NOT_MATCHED']);
      // Boris has no ticket at all.
      const noTicket = await check(borisFaces[2]);
      expect(noTicket.status).toBe(400);

      const opened = await check(annaFaces[3]);
      expect(opened.status).toBe(200);
      expect(opened.body).toMatchObject({ id: ticket.id, code: '', used_at: expect.any(String) });
      const again = await check(annaFaces[1]);
      expect([again.status, again.body.used_at]).toEqual([200, opened.body.used_at]);
      const elsewhere = await check(annaFaces[1], otherRobotToken);
      expect([elsewhere.status, elsewhere.body.code]).toEqual([400, 'TICKET_ALREADY_USED']);
    });
  });

  describe('bad input is a 400', () => {
    const date = '2026-11-22T09:00:00+03:00';
    it.each<[string, string, string, unknown?]>([
      ['neither face nor code', 'POST', '/robot/ticket_validation', { ...door, date }],
      [
        'no mark_as_used',
        'POST',
        '/robot/ticket_validation',
        { ...door, mark_as_used: undefined, date, code: 'x' },
      ],
      [
        'an over-long station',
        'POST',
        '/robot/ticket_validation',
        { ...door, station_id: 'x'.repeat(61), date, code: 'x' },
      ],
      [
        'an int overflow',
        'POST',
        '/robot/ticket_validation',
        { ...door, wagon_number: 2 ** 31, date, code: 'x' },
      ],
      [
        'a date that is no date',
        'POST',
        '/robot/ticket_validation',
        { ...door, date: 'today', code: 'x' },
      ],
      [
        'an unknown field',
        'POST',
        '/robot/ticket_validation',
        { ...door, date, code: 'x', user_id: someone },
      ],
      [
        'a non-UUID user',
        'POST',
        '/robot/determine_destination',
        { user_id: 'me', train_number: 1, start_date: date },
      ],
      ['a non-UUID path id', 'GET', '/robot/user/12345', undefined],
      ['an empty card key', 'POST', '/robot/engineer/admin_access', { key: '' }],
      ['an over-long card key', 'POST', '/robot/engineer/admin_access', { key: 'x'.repeat(257) }],
      ['a train without a date', 'GET', '/robot/train/stores?train_number=1013', undefined],
      ['an image that is not base64', 'POST', '/robot/identification', { image: '%%%' }],
    ])('%s', async (_, method, path, body) => {
      const response = await robotCall(method, path, body);
      expect([response.status, response.body.statusCode]).toEqual([400, 400]);
    });
  });
});
