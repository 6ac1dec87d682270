import { randomUUID } from 'node:crypto';
import { api, keycloakToken } from '@platform/testing';
import { type ErrorBody } from '@platform/errors';
import { type Page } from '@platform/http';
import { type PlaceView as Place } from '../src/destinations/dto/destination.dto';
import { type EngineerView as Engineer } from '../src/engineers/dto/engineer.dto';
import { type TicketView as Ticket } from '../src/tickets/dto/ticket.view';
import { type UserView as User } from '../src/users/dto/user.dto';
import { EMPTY_FRAME, facePhotos } from './dev-faces';

/**
 * The base back office (`/base_api/v1/admin/*`) through the gateway, with real Keycloak tokens:
 * every route refuses anonymous callers and non-admins, CRUD round trips work, and every bad input
 * of robot-platform.md §15.2 is a 4xx that changes nothing.
 *
 * Face calls go over RPC to the face service, with real photos of the dev set. Store answers
 * store.stores.byIds.
 */

const V1 = '/base_api/v1';
const FACE = Buffer.from('not really a face').toString('base64');

function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A departure far enough ahead and random enough not to collide with earlier runs' seats. */
function randomDeparture(): string {
  const days = 400 + Math.floor(Math.random() * 3000);
  const date = new Date(Date.now() + days * 86_400_000);
  return `${date.toISOString().slice(0, 10)}T09:00:00+03:00`;
}

describe('base back office', () => {
  let admin: string;
  let passenger: string;
  let operator: string;

  beforeAll(async () => {
    [admin, passenger, operator] = await Promise.all([
      keycloakToken('dev-admin'),
      keycloakToken('dev-passenger'),
      keycloakToken('dev-operator'),
    ]);
  });

  const id = randomUUID();
  const routes: [string, string, unknown?][] = [
    ['POST', '/admin/user', { name: 'Nobody' }],
    ['GET', '/admin/users', undefined],
    ['DELETE', `/admin/users/${id}`, undefined],
    ['PATCH', `/admin/user/${id}/face`, { face: FACE }],
    ['DELETE', `/admin/user/face?user_id=${id}`, undefined],
    ['POST', '/admin/keycloak_user', { k_id: 'kc-x', user_id: id }],
    ['DELETE', '/admin/keycloak_user', { k_id: 'kc-x', user_id: id }],
    ['POST', '/admin/engineer', { login: 'nobody', password: 'long enough' }],
    ['GET', '/admin/engineers', undefined],
    ['DELETE', `/admin/engineers/${id}`, undefined],
    ['PUT', '/admin/engineer_privileges', { id, privileges: ['ROBOT_LOGIN'] }],
    ['PUT', `/admin/engineer/${id}/auth_card`, { key: '0x01' }],
    ['POST', '/admin/ticket', { user_id: id }],
    ['GET', '/admin/tickets', undefined],
    ['DELETE', `/admin/ticket/${id}`, undefined],
    ['GET', '/admin/destination/SPB/hotels', undefined],
    ['GET', '/admin/destination/SPB/attractions', undefined],
    ['POST', '/admin/destination/SPB/hotel', { name: 'x', description: '', logo_url: '' }],
    ['POST', '/admin/destination/SPB/attraction', { name: 'x', description: '', logo_url: '' }],
    ['DELETE', `/admin/destination_info/hotel/${id}`, undefined],
    ['DELETE', `/admin/destination_info/attraction/${id}`, undefined],
    ['POST', `/admin/store/${id}/train`, { train_number: 1, train_date: '2026-11-22' }],
    ['GET', '/admin/train/stores?train_number=1&train_date=2026-11-22', undefined],
    ['POST', '/admin/train/stores', { train_number: 1, train_date: '2026-11-22' }],
    ['DELETE', `/admin/store/${id}/train/unbind?train_number=1&train_date=2026-11-22`, undefined],
  ];

  describe.each(routes)('%s %s', (method, path, body) => {
    it('refuses a caller without a token with 401', async () => {
      const response = await api<ErrorBody>(method, `${V1}${path}`, { body });
      expect([response.status, response.body.code]).toEqual([401, 'MISSING_BEARER_TOKEN']);
    });

    it('refuses a passenger and an operator with 403', async () => {
      for (const token of [passenger, operator]) {
        const response = await api<ErrorBody>(method, `${V1}${path}`, { body, token });
        expect([response.status, response.body.code]).toEqual([403, 'INSUFFICIENT_ROLE']);
      }
    });
  });

  describe('users', () => {
    it('creates people with the same full name, lists them, deletes them', async () => {
      const name = unique('Anna Ivanova');
      const first = await api<User>('POST', `${V1}/admin/user`, { token: admin, body: { name } });
      const second = await api<User>('POST', `${V1}/admin/user`, { token: admin, body: { name } });
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(first.body).toEqual({ id: expect.any(String), name });
      expect(second.body.id).not.toBe(first.body.id);

      const page = await api<Page<User>>('GET', `${V1}/admin/users?size=100&page=1`, {
        token: admin,
      });
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ page: 1, size: 100 });
      expect(page.body.pages).toBe(Math.ceil(page.body.total / 100));

      for (const user of [first.body, second.body]) {
        const removed = await api('DELETE', `${V1}/admin/users/${user.id}`, { token: admin });
        expect([removed.status, removed.body]).toEqual([200, { status: 'OK' }]);
        const again = await api<ErrorBody>('DELETE', `${V1}/admin/users/${user.id}`, {
          token: admin,
        });
        expect([again.status, again.body.code]).toEqual([404, 'USER_NOT_FOUND']);
      }
    });

    it('pages in SQL: size 1 gives one item and as many pages as users', async () => {
      const user = await api<User>('POST', `${V1}/admin/user`, {
        token: admin,
        body: { name: unique('Pager') },
      });
      const page = await api<Page<User>>('GET', `${V1}/admin/users?size=1&page=1`, {
        token: admin,
      });
      expect(page.body.items).toHaveLength(1);
      expect(page.body.pages).toBe(page.body.total);
      await api('DELETE', `${V1}/admin/users/${user.body.id}`, { token: admin });
    });

    it('enrols, replaces and forgets faces through face; a refused face creates nobody', async () => {
      const photos = facePhotos('person06');
      const lastNames = async () => {
        const users = await api<Page<User>>('GET', `${V1}/admin/users?size=100`, { token: admin });
        const last = await api<Page<User>>(
          'GET',
          `${V1}/admin/users?size=100&page=${Math.max(users.body.pages, 1)}`,
          { token: admin },
        );
        return last.body.items.map((u) => u.name);
      };
      const create = (name: string, face: string) =>
        api<User & ErrorBody>('POST', `${V1}/admin/user`, { token: admin, body: { name, face } });

      for (const [face, status, code] of [
        [FACE, 400, 'IMAGE_UNREADABLE'],
        [EMPTY_FRAME, 422, 'NO_FACE'],
      ] as const) {
        const name = unique('Faceless');
        const refused = await create(name, face);
        expect([refused.status, refused.body.code]).toEqual([status, code]);
        expect(await lastNames()).not.toContain(name);
      }

      const user = await create(unique('Faced'), photos[0]);
      expect(user.status).toBe(200);
      // The same face for someone else: 409, and that someone is not created.
      const twinName = unique('Twin');
      const twin = await create(twinName, photos[1]);
      expect([twin.status, twin.body.code]).toEqual([409, 'FACE_ALREADY_ENROLLED']);
      expect(await lastNames()).not.toContain(twinName);

      const patched = await api<ErrorBody>('PATCH', `${V1}/admin/user/${user.body.id}/face`, {
        token: admin,
        body: { face: photos[2] },
      });
      expect([patched.status, patched.body]).toEqual([200, { status: 'OK' }]);
      for (let i = 0; i < 2; i++) {
        // Idempotent: forgetting a face twice is fine.
        const deleted = await api<ErrorBody>(
          'DELETE',
          `${V1}/admin/user/face?user_id=${user.body.id}`,
          { token: admin },
        );
        expect([deleted.status, deleted.body]).toEqual([200, { status: 'OK' }]);
      }
      const missing = await api<ErrorBody>('PATCH', `${V1}/admin/user/${randomUUID()}/face`, {
        token: admin,
        body: { face: photos[0] },
      });
      expect([missing.status, missing.body.code]).toEqual([404, 'USER_NOT_FOUND']);
      await api('DELETE', `${V1}/admin/users/${user.body.id}`, { token: admin });
    }, 60_000);
  });

  describe('Keycloak account links', () => {
    it('links an account to one user only, and unlinks it', async () => {
      const subject = unique('kc-subject');
      const createUser = async (name: string) =>
        (await api<User>('POST', `${V1}/admin/user`, { token: admin, body: { name } })).body;
      const [first, second] = await Promise.all([createUser('Link One'), createUser('Link Two')]);
      const link = (userId: string) =>
        api<ErrorBody>('POST', `${V1}/admin/keycloak_user`, {
          token: admin,
          body: { k_id: subject, user_id: userId },
        });
      expect((await link(first.id)).status).toBe(200);
      expect((await link(first.id)).status).toBe(200);
      const taken = await link(second.id);
      expect([taken.status, taken.body.code]).toEqual([409, 'KEYCLOAK_LINK_EXISTS']);

      const unlink = (userId: string) =>
        api<ErrorBody>('DELETE', `${V1}/admin/keycloak_user`, {
          token: admin,
          body: { k_id: subject, user_id: userId },
        });
      const wrongUser = await unlink(second.id);
      expect([wrongUser.status, wrongUser.body.code]).toEqual([404, 'KEYCLOAK_LINK_NOT_FOUND']);
      expect((await unlink(first.id)).status).toBe(200);
      expect((await link(second.id)).status).toBe(200);
    });

    it('refuses a link to a user that does not exist, and bad ids', async () => {
      const missing = await api<ErrorBody>('POST', `${V1}/admin/keycloak_user`, {
        token: admin,
        body: { k_id: unique('kc'), user_id: randomUUID() },
      });
      expect([missing.status, missing.body.code]).toEqual([404, 'USER_NOT_FOUND']);
      const bad = await api<ErrorBody>('POST', `${V1}/admin/keycloak_user`, {
        token: admin,
        body: { k_id: '', user_id: 'not-a-uuid' },
      });
      expect(bad.status).toBe(400);
    });
  });

  describe('engineers', () => {
    it('creates, refuses a duplicate login with 409, grants privileges, gives a card, deletes with the card', async () => {
      const login = unique('e2e-eng');
      const created = await api<Engineer>('POST', `${V1}/admin/engineer`, {
        token: admin,
        body: { login, password: 'correct horse battery' },
      });
      expect([created.status, created.body]).toEqual([
        200,
        { id: expect.any(String), login, privileges: [] },
      ]);
      const engineerId = created.body.id;

      const duplicate = await api<ErrorBody>('POST', `${V1}/admin/engineer`, {
        token: admin,
        body: { login, password: 'another password' },
      });
      expect([duplicate.status, duplicate.body.code]).toEqual([409, 'ENGINEER_LOGIN_TAKEN']);

      const granted = await api('PUT', `${V1}/admin/engineer_privileges`, {
        token: admin,
        body: { id: engineerId, privileges: ['ROBOT_LOGIN', 'ROBOT_ADMIN'] },
      });
      expect([granted.status, granted.body]).toEqual([200, { status: 'OK' }]);
      const replaced = await api('PUT', `${V1}/admin/engineer_privileges`, {
        token: admin,
        body: { id: engineerId, privileges: ['STORE_LOGIN'] },
      });
      expect(replaced.status).toBe(200);
      expect(await findEngineer(engineerId)).toEqual({
        id: engineerId,
        login,
        privileges: ['STORE_LOGIN'],
      });

      const card = `0x${randomUUID().slice(0, 2)} 0x${randomUUID().slice(0, 2)} 0xE2 0xE2 ${login}`;
      const carded = await api('PUT', `${V1}/admin/engineer/${engineerId}/auth_card`, {
        token: admin,
        body: { key: card },
      });
      expect(carded.status).toBe(200);

      const other = await api<Engineer>('POST', `${V1}/admin/engineer`, {
        token: admin,
        body: { login: unique('e2e-eng'), password: 'correct horse battery' },
      });
      const stolen = await api<ErrorBody>(
        'PUT',
        `${V1}/admin/engineer/${other.body.id}/auth_card`,
        { token: admin, body: { key: card.toLowerCase() } },
      );
      expect([stolen.status, stolen.body.code]).toEqual([409, 'AUTH_CARD_TAKEN']);

      // The seed could not delete an engineer with a card (FK without cascade).
      const removed = await api('DELETE', `${V1}/admin/engineers/${engineerId}`, { token: admin });
      expect([removed.status, removed.body]).toEqual([200, { status: 'OK' }]);
      expect(await findEngineer(engineerId)).toBeUndefined();
      // The card went with the engineer: someone else may have it now.
      const reused = await api('PUT', `${V1}/admin/engineer/${other.body.id}/auth_card`, {
        token: admin,
        body: { key: card },
      });
      expect(reused.status).toBe(200);
      const removeCard = await api('PUT', `${V1}/admin/engineer/${other.body.id}/auth_card`, {
        token: admin,
        body: { key: null },
      });
      expect(removeCard.status).toBe(200);
      await api('DELETE', `${V1}/admin/engineers/${other.body.id}`, { token: admin });

      const gone = await api<ErrorBody>('DELETE', `${V1}/admin/engineers/${engineerId}`, {
        token: admin,
      });
      expect([gone.status, gone.body.code]).toEqual([404, 'ENGINEER_NOT_FOUND']);
      for (const [method, path, body] of [
        ['PUT', '/admin/engineer_privileges', { id: engineerId, privileges: [] }],
        ['PUT', `/admin/engineer/${engineerId}/auth_card`, { key: '0x01' }],
      ] as const) {
        const response = await api<ErrorBody>(method, `${V1}${path}`, { token: admin, body });
        expect([response.status, response.body.code]).toEqual([404, 'ENGINEER_NOT_FOUND']);
      }
    });

    async function findEngineer(engineerId: string): Promise<Engineer | undefined> {
      const first = await api<Page<Engineer>>('GET', `${V1}/admin/engineers?size=100`, {
        token: admin,
      });
      for (let page = 1; page <= Math.max(first.body.pages, 1); page += 1) {
        const response = await api<Page<Engineer>>(
          'GET',
          `${V1}/admin/engineers?size=100&page=${page}`,
          { token: admin },
        );
        const found = response.body.items.find((engineer) => engineer.id === engineerId);
        if (found) return found;
      }
      return undefined;
    }
  });

  describe('tickets', () => {
    let user: User;

    beforeAll(async () => {
      user = (
        await api<User>('POST', `${V1}/admin/user`, {
          token: admin,
          body: { name: unique('Ticket Holder') },
        })
      ).body;
    });

    afterAll(async () => {
      await api('DELETE', `${V1}/admin/users/${user.id}`, { token: admin });
    });

    it('issues a ticket with its code once, never lists codes, deletes it', async () => {
      const date = randomDeparture();
      const body = {
        user_id: user.id,
        train_number: 1013,
        wagon_number: 1 + Math.floor(Math.random() * 30),
        place_number: 1 + Math.floor(Math.random() * 120),
        station_id: 'MOSCOW',
        destination: 'SPB',
        date,
        start_date: '2001-01-01T00:00:00Z',
      };
      const issued = await api<Ticket>('POST', `${V1}/admin/ticket`, { token: admin, body });
      expect(issued.status).toBe(200);
      const departure = new Date(date).toISOString();
      expect(issued.body).toMatchObject({
        user_id: user.id,
        train_number: 1013,
        station_id: 'MOSCOW',
        destination: 'SPB',
        date: departure,
        start_date: departure,
        used_at: null,
      });
      expect(issued.body.code).toMatch(/^[A-Za-z0-9_-]{43}$/);

      // The same seat of the same departure, written with another offset: taken.
      const utc = departure.replace('.000Z', 'Z');
      const again = await api<ErrorBody>('POST', `${V1}/admin/ticket`, {
        token: admin,
        body: { ...body, date: utc },
      });
      expect([again.status, again.body.code]).toEqual([409, 'SEAT_TAKEN']);

      const listed = await findTicket(issued.body.id);
      expect(listed).toMatchObject({ id: issued.body.id, code: '' });

      const removed = await api('DELETE', `${V1}/admin/ticket/${issued.body.id}`, {
        token: admin,
      });
      expect([removed.status, removed.body]).toEqual([200, { status: 'OK' }]);
      const gone = await api<ErrorBody>('DELETE', `${V1}/admin/ticket/${issued.body.id}`, {
        token: admin,
      });
      expect([gone.status, gone.body.code]).toEqual([404, 'TICKET_NOT_FOUND']);
    });

    it('answers 404 for a ticket of an unknown user', async () => {
      const response = await api<ErrorBody>('POST', `${V1}/admin/ticket`, {
        token: admin,
        body: {
          user_id: randomUUID(),
          train_number: 1013,
          wagon_number: 1,
          place_number: 1,
          station_id: 'MOSCOW',
          destination: 'SPB',
          date: randomDeparture(),
        },
      });
      expect([response.status, response.body.code]).toEqual([404, 'USER_NOT_FOUND']);
    });

    it("deletes a user's tickets with the user", async () => {
      const holder = await api<User>('POST', `${V1}/admin/user`, {
        token: admin,
        body: { name: unique('Leaving') },
      });
      const ticket = await api<Ticket>('POST', `${V1}/admin/ticket`, {
        token: admin,
        body: {
          user_id: holder.body.id,
          train_number: 2014,
          wagon_number: 1 + Math.floor(Math.random() * 30),
          place_number: 1 + Math.floor(Math.random() * 120),
          station_id: 'SPB',
          destination: 'MOSCOW',
          date: randomDeparture(),
        },
      });
      expect(ticket.status).toBe(200);
      await api('DELETE', `${V1}/admin/users/${holder.body.id}`, { token: admin });
      const gone = await api<ErrorBody>('DELETE', `${V1}/admin/ticket/${ticket.body.id}`, {
        token: admin,
      });
      expect(gone.status).toBe(404);
    });

    async function findTicket(ticketId: string): Promise<Ticket | undefined> {
      const first = await api<Page<Ticket>>('GET', `${V1}/admin/tickets?size=100`, {
        token: admin,
      });
      expectCodesHidden(first.body.items);
      for (let page = Math.max(first.body.pages, 1); page >= 1; page -= 1) {
        const response = await api<Page<Ticket>>(
          'GET',
          `${V1}/admin/tickets?size=100&page=${page}`,
          { token: admin },
        );
        expectCodesHidden(response.body.items);
        const found = response.body.items.find((ticket) => ticket.id === ticketId);
        if (found) return found;
      }
      return undefined;
    }

    /** A page of a list that holds the ticket is never empty, and it shows no ticket's code. */
    function expectCodesHidden(items: Ticket[]): void {
      expect(items.length).toBeGreaterThan(0);
      expect(items.map((ticket) => ticket.code)).toEqual(items.map(() => ''));
    }
  });

  describe('destinations', () => {
    it.each(['hotel', 'attraction'])('adds, lists and deletes a %s', async (kind) => {
      const destination = unique('E2E').toUpperCase();
      const place = {
        name: unique('Place'),
        description: 'Near the station',
        logo_url: '/static/x.png',
      };
      const created = await api<Place>('POST', `${V1}/admin/destination/${destination}/${kind}`, {
        token: admin,
        body: place,
      });
      expect([created.status, created.body]).toEqual([200, { id: expect.any(String), ...place }]);
      const listed = await api<Page<Place>>(
        'GET',
        `${V1}/admin/destination/${destination}/${kind}s`,
        { token: admin },
      );
      expect(listed.body).toEqual({ items: [created.body], total: 1, page: 1, size: 50, pages: 1 });
      const removed = await api(
        'DELETE',
        `${V1}/admin/destination_info/${kind}/${created.body.id}`,
        {
          token: admin,
        },
      );
      expect([removed.status, removed.body]).toEqual([200, { status: 'OK' }]);
      const gone = await api<ErrorBody>(
        'DELETE',
        `${V1}/admin/destination_info/${kind}/${created.body.id}`,
        { token: admin },
      );
      expect([gone.status, gone.body.code]).toEqual([404, `${kind.toUpperCase()}_NOT_FOUND`]);
    });
  });

  describe('train-store bindings', () => {
    it('checks the store with the store service before binding, and binds nothing otherwise', async () => {
      const train = { train_number: 1013, train_date: '2026-11-22' };
      const storeId = randomUUID();
      const response = await api<ErrorBody>('POST', `${V1}/admin/store/${storeId}/train`, {
        token: admin,
        body: train,
      });
      // The store service answers store.stores.byIds: an unknown store is a 404.
      expect([response.status, response.body.code]).toEqual([404, 'STORE_NOT_FOUND']);
      const bound = await api<Page<string>>(
        'GET',
        `${V1}/admin/train/stores?train_number=1013&train_date=2026-11-22`,
        { token: admin },
      );
      expect(bound.status).toBe(200);
      expect(bound.body.items).not.toContain(storeId);
      const byPost = await api<Page<string>>('POST', `${V1}/admin/train/stores?size=10`, {
        token: admin,
        body: train,
      });
      expect(byPost.body).toMatchObject({ page: 1, size: 10 });
      const unbind = await api<ErrorBody>('DELETE', `${V1}/admin/store/${storeId}/train/unbind`, {
        token: admin,
        body: train,
      });
      expect([unbind.status, unbind.body.code]).toEqual([404, 'BINDING_NOT_FOUND']);
    });
  });

  describe('bad input (robot-platform.md §15.2) is a 4xx and changes nothing', () => {
    it.each<[string, string, string, unknown?]>([
      ['an over-long user name', 'POST', '/admin/user', { name: 'x'.repeat(257) }],
      ['a blank user name', 'POST', '/admin/user', { name: '   ' }],
      ['an unknown field', 'POST', '/admin/user', { name: 'Anna', is_admin: true }],
      ['a face that is not base64', 'POST', '/admin/user', { name: 'Anna', face: '%%%' }],
      [
        'an over-long login',
        'POST',
        '/admin/engineer',
        { login: 'x'.repeat(61), password: 'long enough' },
      ],
      ['a short password', 'POST', '/admin/engineer', { login: unique('e2e'), password: 'short' }],
      ['a non-UUID user id', 'DELETE', '/admin/users/42', undefined],
      ['a non-UUID engineer id', 'DELETE', '/admin/engineers/abc', undefined],
      ['a non-UUID ticket id', 'DELETE', '/admin/ticket/1', undefined],
      ['a non-UUID hotel id', 'DELETE', '/admin/destination_info/hotel/1', undefined],
      ['a non-UUID card path', 'PUT', '/admin/engineer/abc/auth_card', { key: '0x01' }],
      [
        'an over-long card key',
        'PUT',
        `/admin/engineer/${randomUUID()}/auth_card`,
        { key: 'x'.repeat(257) },
      ],
      [
        'an unknown privilege',
        'PUT',
        '/admin/engineer_privileges',
        { id: randomUUID(), privileges: ['ROOT'] },
      ],
      ['a page size over 100', 'GET', '/admin/users?size=101', undefined],
      ['page 0', 'GET', '/admin/tickets?page=0', undefined],
      [
        'a non-numeric train',
        'GET',
        '/admin/train/stores?train_number=x&train_date=2026-11-22',
        undefined,
      ],
      ['a train without a date', 'GET', '/admin/train/stores?train_number=1013', undefined],
      [
        'an impossible train date',
        'POST',
        `/admin/store/${randomUUID()}/train`,
        { train_number: 1, train_date: '2026-02-30' },
      ],
      [
        'an over-long destination id',
        'GET',
        `/admin/destination/${'x'.repeat(61)}/hotels`,
        undefined,
      ],
      [
        'an over-long hotel description',
        'POST',
        '/admin/destination/SPB/hotel',
        { name: 'x', description: 'x'.repeat(1025), logo_url: '' },
      ],
    ])('%s', async (_, method, path, body) => {
      const response = await api<ErrorBody>(method, `${V1}${path}`, { token: admin, body });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: expect.any(String) });
    });

    it('refuses ticket inputs that overflow or break the seat rules', async () => {
      const holder = await api<User>('POST', `${V1}/admin/user`, {
        token: admin,
        body: { name: unique('Strict') },
      });
      const valid = {
        user_id: holder.body.id,
        train_number: 1013,
        wagon_number: 3,
        place_number: 4,
        station_id: 'MOSCOW',
        destination: 'SPB',
        date: randomDeparture(),
      };
      for (const change of [
        { train_number: 2 ** 31 },
        { train_number: 0 },
        { wagon_number: 31 },
        { place_number: 121 },
        { place_number: 1.5 },
        { station_id: 'x'.repeat(61) },
        { date: 'tomorrow at nine' },
        { user_id: 'anna' },
        { code: 'chosen-by-me' },
      ]) {
        const response = await api<ErrorBody>('POST', `${V1}/admin/ticket`, {
          token: admin,
          body: { ...valid, ...change },
        });
        expect([JSON.stringify(change), response.status]).toEqual([JSON.stringify(change), 400]);
      }
      // None of it was stored: the valid ticket's seat is still free.
      const ok = await api<Ticket>('POST', `${V1}/admin/ticket`, { token: admin, body: valid });
      expect(ok.status).toBe(200);
      await api('DELETE', `${V1}/admin/users/${holder.body.id}`, { token: admin });
    });

    it('answers malformed JSON with a 400', async () => {
      const response = await api<ErrorBody>('POST', `${V1}/admin/user`, {
        token: admin,
        rawBody: '{"name": ',
        headers: { 'content-type': 'application/json' },
      });
      expect([response.status, response.body.statusCode]).toEqual([400, 400]);
    });
  });
});
