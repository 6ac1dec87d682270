import { randomUUID } from 'node:crypto';
import { rateLimitKey } from '@platform/rate-limit';
import { api, gatewayUrl, keycloakToken } from '@platform/testing';
import Redis from 'ioredis';
import { type ErrorBody } from '@platform/errors';
import { type Page } from '@platform/http';
import { type TicketView as Ticket } from '../src/tickets/dto/ticket.view';
import { EMPTY_FRAME, facePhotos } from './dev-faces';

/**
 * The passenger website API (`/base_api/v1/frontend/*`) through the gateway with a real Keycloak
 * passenger token: the account gets its own users row on first call, buys tickets under the
 * hour → train rule (Moscow time), sees only its own tickets and never a code after purchase.
 *
 * Face upload (base64 JSON as the master SPA sends it, multipart as the dev SPA does), status and
 * removal go through the face service with real photos of the dev set: a photo without a usable
 * face is a clear 4xx.
 */

const V1 = '/base_api/v1';

/** A day far ahead, random, so seats of earlier runs do not collide. */
function randomDay(): string {
  const days = 400 + Math.floor(Math.random() * 3000);
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

function randomSeat(): { wagon_number: number; place_number: number } {
  return {
    wagon_number: 1 + Math.floor(Math.random() * 30),
    place_number: 1 + Math.floor(Math.random() * 120),
  };
}

describe('base passenger API', () => {
  let passenger: string;
  let admin: string;
  const bought: string[] = [];

  beforeAll(async () => {
    [passenger, admin] = await Promise.all([
      keycloakToken('dev-passenger'),
      keycloakToken('dev-admin'),
    ]);
    await forgetFacePhotoCounts();
  });

  /**
   * A passenger may send 10 face photos an hour; a run sends 6 for dev-passenger, so the count of
   * an earlier run on the same stack is cleared (the counters of the hour, never other data).
   */
  async function forgetFacePhotoCounts(): Promise<void> {
    const redis = new Redis({
      host: process.env['REDIS_HOST'],
      port: Number(process.env['REDIS_PORT']),
      password: process.env['REDIS_PASSWORD'],
      lazyConnect: true,
    });
    try {
      await redis.connect();
      const pattern = rateLimitKey('base', 'passenger:face-enrolment:*');
      for await (const keys of redis.scanStream({ match: pattern })) {
        if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
      }
    } finally {
      redis.disconnect();
    }
  }

  afterAll(async () => {
    for (const ticketId of bought) {
      await api('DELETE', `${V1}/admin/ticket/${ticketId}`, { token: admin });
    }
  });

  async function buy(body: Record<string, unknown>) {
    const response = await api<Ticket & ErrorBody>('POST', `${V1}/frontend/tickets`, {
      token: passenger,
      body,
    });
    if (response.status === 200) bought.push(response.body.id);
    return response;
  }

  describe.each<[string, string, unknown?]>([
    ['GET', '/frontend/tickets', undefined],
    ['GET', '/frontend/get_ticket', undefined],
    [
      'POST',
      '/frontend/tickets',
      {
        ...randomSeat(),
        station_id: 'MOSCOW',
        destination_id: 'SPB',
        date: '2030-01-01T09:00:00+03:00',
      },
    ],
    ['POST', '/frontend/face', { face: null }],
    ['GET', '/frontend/faces', undefined],
  ])('%s %s', (method, path, body) => {
    it('refuses a caller without a token with 401', async () => {
      const response = await api<ErrorBody>(method, `${V1}${path}`, { body });
      expect([response.status, response.body.code]).toEqual([401, 'MISSING_BEARER_TOKEN']);
    });

    it('refuses a forged token with 401', async () => {
      // Every realm user holds `passenger` through the realm's default roles, so a real token
      // without it does not exist among the dev users; the guard's role check is unit-tested.
      const [header, payload] = passenger.split('.');
      const response = await api<ErrorBody>(method, `${V1}${path}`, {
        body,
        token: `${header}.${payload}.c2lnbmF0dXJl`,
      });
      expect([response.status, response.body.code]).toEqual([401, 'INVALID_TOKEN']);
    });
  });

  it('buys a ticket by the Moscow hour, shows its code once, lists it without the code', async () => {
    const day = randomDay();
    const seat = randomSeat();
    // 10:30Z is 13:30 in Moscow: the 13:00 train from Moscow, 1014.
    const purchase = await buy({
      ...seat,
      station_id: 'MOSCOW',
      destination_id: 'SPB',
      date: `${day}T10:30:00Z`,
      train_number: 1,
    });
    expect(purchase.status).toBe(200);
    expect(purchase.body).toMatchObject({
      train_number: 1014,
      ...seat,
      station_id: 'MOSCOW',
      destination: 'SPB',
      date: `${day}T10:00:00.000Z`,
      used_at: null,
    });
    expect(purchase.body.code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const mine = await api<Page<Ticket>>('GET', `${V1}/frontend/tickets?size=100`, {
      token: passenger,
    });
    expect(mine.status).toBe(200);
    const listed = mine.body.items.find((ticket) => ticket.id === purchase.body.id);
    expect(listed).toMatchObject({ id: purchase.body.id, code: '' });
    // Every listed ticket is this passenger's, code withheld (the list holds at least `listed`).
    expect(mine.body.items.map((ticket) => [ticket.user_id, ticket.code])).toEqual(
      mine.body.items.map(() => [purchase.body.user_id, '']),
    );
    expect(mine.body.items.length).toBeGreaterThan(0);

    const latest = await api<Ticket>('GET', `${V1}/frontend/get_ticket`, { token: passenger });
    expect(latest.status).toBe(200);
    expect([latest.body.user_id, latest.body.code]).toEqual([purchase.body.user_id, '']);
  });

  it('reads the hour on a Moscow clock whatever offset is sent', async () => {
    const day = randomDay();
    for (const [date, train] of [
      [`${day}T05:00:00+03:00`, 2012],
      [`${day}T06:00:00Z`, 2013],
      [`${day}T15:00:00+05:00`, 2014],
      [`${day}T09:00:00-05:00`, 2015],
    ] as const) {
      const response = await buy({
        ...randomSeat(),
        station_id: 'SPB',
        destination_id: 'MOSCOW',
        date,
      });
      expect([date, response.status, response.body.train_number]).toEqual([date, 200, train]);
    }
  });

  it('refuses a taken seat with 409, the same departure written with another offset included', async () => {
    const day = randomDay();
    const seat = randomSeat();
    const first = await buy({
      ...seat,
      station_id: 'MOSCOW',
      destination_id: 'SPB',
      date: `${day}T09:00:00+03:00`,
    });
    expect(first.status).toBe(200);
    const second = await buy({
      ...seat,
      station_id: 'MOSCOW',
      destination_id: 'SPB',
      date: `${day}T06:15:00Z`,
    });
    expect([second.status, second.body.code]).toEqual([409, 'SEAT_TAKEN']);
  });

  it('keeps a passenger to their own tickets', async () => {
    const mine = await buy({
      ...randomSeat(),
      station_id: 'MOSCOW',
      destination_id: 'SPB',
      date: `${randomDay()}T17:00:00+03:00`,
    });
    expect(mine.status).toBe(200);
    // dev-admin is a passenger too (realm default role), with a users row of its own.
    const other = await api<Page<Ticket>>('GET', `${V1}/frontend/tickets?size=100`, {
      token: admin,
    });
    expect(other.status).toBe(200);
    expect(other.body.items.map((ticket) => ticket.id)).not.toContain(mine.body.id);
    expect(other.body.items.map((ticket) => ticket.user_id)).not.toContain(mine.body.user_id);
    const someoneElse = await buy({
      ...randomSeat(),
      station_id: 'MOSCOW',
      destination_id: 'SPB',
      date: `${randomDay()}T09:00:00+03:00`,
      user_id: randomUUID(),
    });
    expect(someoneElse.status).toBe(400);
  });

  it.each<[string, Record<string, unknown>, string?]>([
    ['an hour without a train', { date: `${randomDay()}T10:00:00+03:00` }, 'INVALID_TIME'],
    [
      '09:00 in the client offset, not Moscow',
      { date: `${randomDay()}T09:00:00Z` },
      'INVALID_TIME',
    ],
    ['station = destination', { destination_id: 'MOSCOW' }, 'SAME_STATION_AND_DESTINATION'],
    ['a departed train', { date: '2020-01-10T09:00:00+03:00' }, 'DEPARTURE_IN_PAST'],
    ['wagon 0', { wagon_number: 0 }, undefined],
    ['wagon 31', { wagon_number: 31 }, undefined],
    ['place 121', { place_number: 121 }, undefined],
    ['an unknown station', { station_id: 'KAZAN' }, undefined],
    ['a date that is no date', { date: 'next friday' }, undefined],
    ['an impossible date', { date: '2031-02-30T09:00:00+03:00' }, undefined],
    ['a wagon as text', { wagon_number: '3' }, undefined],
  ])('refuses %s with 400', async (_, change, code) => {
    const response = await buy({
      ...randomSeat(),
      station_id: 'MOSCOW',
      destination_id: 'SPB',
      date: `${randomDay()}T09:00:00+03:00`,
      ...change,
    });
    expect(response.status).toBe(400);
    if (code) expect(response.body.code).toBe(code);
  });

  it('uploads, replaces and removes my face through the face service', async () => {
    const photos = facePhotos('person01');
    const call = (method: string, path: string, body?: unknown) =>
      api<ErrorBody>(method, `${V1}${path}`, { token: passenger, body });
    const removed = await call('POST', '/frontend/face', { face: null });
    expect([removed.status, removed.body]).toEqual([200, { status: 'OK' }]);
    const none = await call('GET', '/frontend/faces');
    expect([none.status, none.body.code]).toEqual([404, 'FACE_NOT_FOUND']);

    for (const [face, status, code] of [
      [Buffer.from('a face').toString('base64'), 400, 'IMAGE_UNREADABLE'],
      [EMPTY_FRAME, 422, 'NO_FACE'],
    ] as const) {
      const refused = await call('POST', '/frontend/face', { face });
      expect([refused.status, refused.body.code]).toEqual([status, code]);
    }
    expect((await call('GET', '/frontend/faces')).status).toBe(404);

    const uploaded = await call('POST', '/frontend/face', { face: photos[0] });
    expect([uploaded.status, uploaded.body]).toEqual([200, { status: 'OK' }]);
    expect((await call('GET', '/frontend/faces')).status).toBe(200);
    // A new photo of me replaces the old one (my own face is no conflict).
    const replaced = await call('POST', '/frontend/face', { face: photos[1] });
    expect([replaced.status, replaced.body]).toEqual([200, { status: 'OK' }]);

    const forgotten = await call('POST', '/frontend/face', { face: null });
    expect(forgotten.status).toBe(200);
    expect((await call('GET', '/frontend/faces')).status).toBe(404);

    const bad = await call('POST', '/frontend/face', { face: '%%%' });
    expect(bad.status).toBe(400);
  }, 60_000);

  it('takes my face as the dev SPA uploads it (multipart file), and no other body type', async () => {
    const upload = async (path: string, form: FormData) => {
      const response = await fetch(`${gatewayUrl()}${V1}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${passenger}` },
        body: form,
      });
      return [response.status, (await response.json()) as ErrorBody] as const;
    };
    const withFile = (bytes: Buffer, field = 'file') => {
      const form = new FormData();
      form.append(field, new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'me.jpg');
      return form;
    };
    const status = async () =>
      (await api('GET', `${V1}/frontend/faces`, { token: passenger })).status;
    const photo = Buffer.from(facePhotos('person01')[0] ?? '', 'base64');

    const [uploaded, answer] = await upload('/frontend/faces', withFile(photo));
    expect([uploaded, answer]).toEqual([200, { status: 'OK' }]);
    expect(await status()).toBe(200);

    // Refused without a change: a multipart body where JSON is read (it used to read as
    // `{face: absent}`, "remove my face"), JSON where the upload is read, a second field, garbage.
    const [wrongRoute, wrongRouteBody] = await upload('/frontend/face', withFile(Buffer.from('x')));
    expect([wrongRoute, wrongRouteBody.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const json = await api<ErrorBody>('POST', `${V1}/frontend/faces`, {
      token: passenger,
      body: { face: null },
    });
    expect([json.status, json.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const [otherField] = await upload('/frontend/faces', withFile(Buffer.from('x'), 'image'));
    expect(otherField).toBe(400);
    const [unreadable, unreadableBody] = await upload(
      '/frontend/faces',
      withFile(Buffer.from('no image')),
    );
    expect([unreadable, unreadableBody.code]).toEqual([400, 'IMAGE_UNREADABLE']);
    expect(await status()).toBe(200);

    // No file removes it, as the dev SPA's "delete" does.
    const [removed] = await upload('/frontend/faces', new FormData());
    expect(removed).toBe(200);
    expect(await status()).toBe(404);
  }, 60_000);
});
