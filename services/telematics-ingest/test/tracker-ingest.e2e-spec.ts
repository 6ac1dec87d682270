import { randomInt } from 'node:crypto';
import { connect } from 'node:net';
import { POSTGRES_UNAVAILABLE } from '@platform/errors';
import { appendFlexCrc8, encodeNtcbPacket, encodeTextPosition } from '@platform/navtelecom';
import {
  api,
  type ApiResponse,
  expectUnavailable,
  keycloakToken,
  timed,
  waitFor,
  withFault,
} from '@platform/testing';
import { samplePositions, SimulatedTracker } from '@platform/navtelecom/simulator';

/**
 * The tracker port end to end: a simulated Navtelecom device (built from @platform/navtelecom's
 * encoders) talks to nginx's `stream` port (TRACKER_HOST:TRACKER_PORT, 5221), which proxies to
 * telematics-ingest; what it stored is read back through the gateway's /telematics_api.
 */

const V2 = '/telematics_api/v2';

function trackerAddress(): { host: string; port: number } {
  const host = process.env['TRACKER_HOST'];
  const port = Number(process.env['TRACKER_PORT']);
  if (!host || !port)
    throw new Error('TRACKER_HOST/TRACKER_PORT not set: eval "$(bash scripts/platform.sh env)"');
  return { host, port };
}

/** A keyset cursor as the API writes them (base64url JSON), here with crafted content. */
function cursorOf(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function newImei(): string {
  return `35${String(randomInt(10 ** 12)).padStart(13, '0')}`;
}

/** `count` records, one a second, starting at a whole second `base`. */
const records = samplePositions;

async function connectedTracker(imei: string, deviceId = 0): Promise<SimulatedTracker> {
  const tracker = new SimulatedTracker({ ...trackerAddress(), imei, deviceId });
  await tracker.connect();
  return tracker;
}

describe('telematics-ingest through the nginx stream port', () => {
  let operator: string;
  let admin: string;
  const trackers: SimulatedTracker[] = [];

  const telemetry = async (imei: string, token: string, query = '') =>
    api<{
      items: { recordIndex: number; latitude: number; longitude: number; speedKmh: number }[];
      nextCursor: string | null;
    }>('GET', `${V2}/devices/${imei}/telemetry?from=2020-01-01T00:00:00Z${query}`, { token });

  async function storedIndexes(imei: string): Promise<number[]> {
    const indexes: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await telemetry(imei, admin, `&limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      indexes.push(...page.body.items.map((item) => item.recordIndex));
      cursor = page.body.nextCursor;
    } while (cursor);
    return indexes;
  }

  beforeAll(async () => {
    [operator, admin] = await Promise.all([
      keycloakToken('dev-operator'),
      keycloakToken('dev-admin'),
    ]);
  });

  afterEach(() => {
    for (const tracker of trackers.splice(0)) tracker.close();
  });

  /** A tracker past its handshake and FLEX negotiation, closed after the test. */
  async function negotiatedTracker(imei: string): Promise<SimulatedTracker> {
    const tracker = await connectedTracker(imei);
    trackers.push(tracker);
    await tracker.handshake();
    await tracker.negotiate();
    return tracker;
  }

  it('handshake, FLEX negotiation, records stored and readable through the API', async () => {
    const imei = newImei();
    const tracker = await connectedTracker(imei, 49722825);
    trackers.push(tracker);

    const handshake = await tracker.handshake();
    // @NTC, IDr = the device's id, IDs = server id 1 (swapped), body *<S
    expect(handshake.subarray(0, 4).toString('latin1')).toBe('@NTC');
    expect(handshake.readUInt32LE(4)).toBe(49722825);
    expect(handshake.readUInt32LE(8)).toBe(1);
    expect(handshake.subarray(16).toString('latin1')).toBe('*<S');

    const negotiation = await tracker.negotiate();
    expect(negotiation.subarray(16).toString('hex')).toBe(
      `${Buffer.from('*<FLEX').toString('hex')}b01414`,
    );

    const base = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const reply = await tracker.sendArray(records(3, base));
    expect(reply.toString('hex')).toBe('7e4103bd');

    const page = await telemetry(imei, operator);
    expect(page.status).toBe(200);
    expect(page.body.items.map((item) => item.recordIndex)).toEqual([1, 2, 3]);
    expect(page.body.items[0]).toEqual(
      expect.objectContaining({
        latitude: expect.closeTo(55.75, 5),
        longitude: expect.closeTo(37.61, 5),
        speedKmh: 12.5,
      }),
    );

    const device = await api<{
      flexFields: number[];
      connectionState: string;
      ntcbDeviceId: number;
    }>('GET', `${V2}/devices/${imei}`, { token: operator });
    expect(device.body).toEqual(
      expect.objectContaining({
        connectionState: 'online',
        ntcbDeviceId: 49722825,
        flexFields: expect.arrayContaining([1, 3, 10, 11]),
      }),
    );
    const last = await api<{ recordIndex: number }>('GET', `${V2}/devices/${imei}/last-position`, {
      token: operator,
    });
    expect(last.body.recordIndex).toBe(3);
    const can = await api<{ items: { name: string; value: number; unit: string }[] }>(
      'GET',
      `${V2}/devices/${imei}/can-data?from=2020-01-01T00:00:00Z&name=engineSpeed`,
      { token: operator },
    );
    expect(can.body.items).toHaveLength(3);
    expect(can.body.items[0]).toEqual(
      expect.objectContaining({ name: 'engineSpeed', value: 1500, unit: 'rpm' }),
    );
    const raw = await api<{ items: { frameType: string; reply: string | null }[] }>(
      'GET',
      `${V2}/devices/${imei}/raw-frames?from=2020-01-01T00:00:00Z`,
      { token: operator },
    );
    expect(raw.body.items.map((frame) => frame.frameType)).toEqual([
      'ntcb-handshake',
      'ntcb-flex-negoti', // frame types are cut to 16 characters
      'flex-A',
    ]);
    expect(raw.body.items[2]?.reply).toBe('7e4103bd');
  });

  it('pages of raw frames stop at 4 MB of payload and the cursor brings the rest', async () => {
    const imei = newImei();
    const tracker = await connectedTracker(imei);
    trackers.push(tracker);
    await tracker.handshake();
    // 80 packets of 60 000 bytes of a body nobody decodes: stored raw, 4.8 MB in all
    const packet = encodeNtcbPacket({ receiverId: 1, senderId: 0 }, Buffer.alloc(60_000, 0x51));
    for (let i = 0; i < 80; i += 1) tracker.send(packet);
    const pages: number[] = [];
    await waitFor(
      async () => {
        pages.length = 0;
        let cursor: string | null = null;
        do {
          const page: ApiResponse<{ items: unknown[]; nextCursor: string | null }> = await api(
            'GET',
            `${V2}/devices/${imei}/raw-frames?from=2020-01-01T00:00:00Z&limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
            { token: operator },
          );
          pages.push(page.body.items.length);
          cursor = page.body.nextCursor;
        } while (cursor);
        return pages.reduce((sum, n) => sum + n, 0) === 81 ? pages : undefined;
      },
      { timeoutMs: 20_000, what: 'the handshake and 80 raw frames' },
    );
    // 4 MB hold about 70 such frames: the first page ends there, not at 1 000
    expect(pages).toHaveLength(2);
    expect(pages[0]).toBeGreaterThan(65);
    expect(pages[0]).toBeLessThan(75);
  }, 30_000);

  it('last-position tells a device that has sent no position from an unknown one', async () => {
    const imei = newImei();
    await negotiatedTracker(imei);
    const last = (id: string) =>
      api<{ code?: string }>('GET', `${V2}/devices/${id}/last-position`, { token: operator });
    const [known, unknown] = await Promise.all([last(imei), last(newImei())]);
    expect([known.status, known.body.code]).toEqual([404, 'NO_POSITION_YET']);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'DEVICE_NOT_FOUND']);
  });

  it('a position dated far ahead of its arrival is stored but is not the last position', async () => {
    const imei = newImei();
    const tracker = await negotiatedTracker(imei);
    await tracker.sendArray(records(1, new Date(Math.floor(Date.now() / 1000) * 1000 - 10_000), 1));
    await tracker.sendArray(records(1, new Date('2099-01-01T00:00:00Z'), 2));
    const stored = await telemetry(imei, operator, '&to=2100-01-01T00:00:00Z');
    expect(stored.body.items.map((item) => item.recordIndex).sort()).toEqual([1, 2]);
    const last = await api<{ recordIndex: number }>('GET', `${V2}/devices/${imei}/last-position`, {
      token: operator,
    });
    expect(last.body.recordIndex).toBe(1);
  });

  it('a device that negotiates without a handshake is identified by its NTCB sender id', async () => {
    const senderId = 100_000 + randomInt(900_000);
    const tracker = await connectedTracker(newImei(), senderId);
    trackers.push(tracker);
    await tracker.negotiate();
    const base = new Date(Math.floor(Date.now() / 1000) * 1000 - 20_000);
    const ack = await tracker.sendArray(records(2, base, 31));
    expect(ack.subarray(0, 3).toString('hex')).toBe('7e4102'); // ~A, 2 records (then the CRC8)
    expect(await storedIndexes(`ntcb-${senderId}`)).toEqual([31, 32]);
  });

  it('a resent packet is acknowledged again and stored once', async () => {
    const imei = newImei();
    const tracker = await negotiatedTracker(imei);
    const batch = records(5, new Date(Math.floor(Date.now() / 1000) * 1000 - 120_000), 100);
    expect((await tracker.sendArray(batch)).toString('hex')).toBe(
      (await tracker.sendArray(batch)).toString('hex'),
    );
    // and once more on a new connection, as a device does after a reconnect
    const again = await negotiatedTracker(imei);
    await again.sendArray(batch);
    expect(await storedIndexes(imei)).toEqual([100, 101, 102, 103, 104]);
  });

  it('text frames without an index: two positions of one second are two rows, a resend is one', async () => {
    const imei = newImei();
    const tracker = await connectedTracker(imei);
    trackers.push(tracker);
    const time = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const first = { imei, time, latitude: 55.7558, longitude: 37.6173, course: 90, satellites: 9 };
    const frames = [
      encodeTextPosition({ ...first, speedKmh: 30 }),
      encodeTextPosition({ ...first, speedKmh: 42, latitude: 55.7561 }),
      encodeTextPosition({ ...first, speedKmh: 30 }), // a resend of the first
    ];
    for (const frame of frames) {
      tracker.send(frame);
      expect((await tracker.read(`~AACK,${imei}~`.length, 5000)).toString()).toBe(`~AACK,${imei}~`);
    }
    const stored = await telemetry(imei, admin);
    expect(stored.body.items.map((item) => [item.recordIndex, item.speedKmh])).toEqual(
      expect.arrayContaining([
        [-1, 30],
        [-1, 42],
      ]),
    );
    expect(stored.body.items).toHaveLength(2);
  });

  it('a legacy device (*>A in format F6.0, no FLEX) is answered and its records stored once', async () => {
    const imei = newImei();
    const tracker = await connectedTracker(imei, 7);
    trackers.push(tracker);
    await tracker.handshake();
    const base = Math.floor(Date.now() / 1000) * 1000 - 90_000;
    const legacy = [0, 1].map((i) => ({
      format: 0x06,
      index: 500 + i,
      eventCode: 0,
      eventTime: new Date(base + i * 1000),
      fixTime: new Date(base + i * 1000),
      navigationState: (8 << 2) | 0b10,
      latitude: 56.318 + i * 0.001,
      longitude: 44.01523,
      altitudeM: 141.1,
      speedKmh: 40,
      course: 55,
    }));
    const reply = await tracker.sendLegacyArray(legacy);
    expect(reply.subarray(16).toString('latin1')).toBe('*<A\x02');
    await tracker.sendLegacyArray(legacy); // resent: answered again, stored once
    const page = await api<{
      items: { recordIndex: number; source: string; latitude: number; satellites: number }[];
    }>('GET', `${V2}/devices/${imei}/telemetry?from=2020-01-01T00:00:00Z`, { token: operator });
    expect(page.body.items).toEqual([
      expect.objectContaining({ recordIndex: 500, source: 'ntcb-legacy', satellites: 8 }),
      expect.objectContaining({ recordIndex: 501, latitude: expect.closeTo(56.319, 5) }),
    ]);
  });

  it('the ingest port itself takes only connections that start with nginx’s PROXY line', async () => {
    const direct = new SimulatedTracker({
      host: '127.0.0.1',
      port: Number(process.env['TELEMATICS_TRACKER_PORT']),
      imei: newImei(),
    });
    trackers.push(direct);
    await direct.connect();
    await expect(direct.handshake(3000)).rejects.toThrow(/closed/);
  });

  it('a device that shuts its sending side after a packet still gets the answer', async () => {
    const { host, port } = trackerAddress();
    const device = new SimulatedTracker({ host, port, imei: newImei() });
    const answer = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = connect(port, host, () => socket.end(device.handshakeBytes()));
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('close', () => resolve(Buffer.concat(chunks)));
      socket.on('error', reject);
      socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    });
    expect(answer.toString('latin1')).toContain('*<S');
  });

  async function connectionStateOf(imei: string): Promise<string> {
    const answer = await api<{ connectionState: string }>('GET', `${V2}/devices/${imei}`, {
      token: operator,
    });
    return answer.body.connectionState;
  }

  it('a device is offline once its connection closed, not while a newer connection is open', async () => {
    const imei = newImei();
    const state = () => connectionStateOf(imei);
    const first = await negotiatedTracker(imei);
    await first.sendArray(records(1, new Date(Math.floor(Date.now() / 1000) * 1000 - 5000)));
    // the device reconnected before its first connection was found dead
    const second = await negotiatedTracker(imei);
    first.close();
    // past the 5 s in which the ingest writes last_seen_at of the devices it heard from
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(await state()).toBe('online');
    second.close();
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(await state()).toBe('offline');
  }, 30_000);

  it('a device stays online while an older connection of it is open and the newer one ended', async () => {
    const imei = newImei();
    const state = () => connectionStateOf(imei);
    const older = await negotiatedTracker(imei);
    const newer = await negotiatedTracker(imei);
    newer.close();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await older.sendArray(records(1, new Date(Math.floor(Date.now() / 1000) * 1000 - 5000)));
    expect(await state()).toBe('online');
    older.close();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await state()).toBe('offline');
  }, 30_000);

  it('a damaged packet gets no reply; the next good one does', async () => {
    const imei = newImei();
    const tracker = await negotiatedTracker(imei);
    const good = tracker.arrayBytes(
      records(1, new Date(Math.floor(Date.now() / 1000) * 1000 - 30_000), 7),
    );
    const damaged = Buffer.from(good);
    damaged[damaged.length - 1] ^= 0xff; // CRC8
    tracker.send(damaged);
    await expect(tracker.read(1, 1500)).rejects.toThrow('no reply');
    tracker.send(good);
    expect((await tracker.read(4, 5000)).toString('hex')).toBe('7e4101df');
    expect(await storedIndexes(imei)).toEqual([7]);
  });

  it('garbage closes the connection after acknowledging the packet before it; the device reconnects and is served', async () => {
    const imei = newImei();
    const tracker = await negotiatedTracker(imei);
    const base = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    tracker.send(
      Buffer.concat([
        tracker.arrayBytes(records(1, new Date(base.getTime() + 10_000), 5)),
        Buffer.from('00ff00ff', 'hex'),
        tracker.arrayBytes(records(1, base, 1)),
      ]),
    );
    expect((await tracker.read(4, 5000)).toString('hex')).toBe('7e4101df');
    await expect(tracker.read(1, 5000)).rejects.toThrow('connection closed');
    expect(tracker.closed).toBe(true);
    expect(await storedIndexes(imei)).toEqual([5]);

    const again = await negotiatedTracker(imei);
    expect((await again.sendArray(records(2, base, 1))).toString('hex')).toBe('7e41028c');
    expect(await storedIndexes(imei)).toEqual([1, 2, 5]);
  });

  it.each(['stuck', 'stopped'] as const)(
    'withholds the acknowledgement while Postgres is %s (the API answers 503), sends it once committed, loses nothing',
    async (kind) => {
      const imei = newImei();
      const tracker = await negotiatedTracker(imei);
      const base = new Date(Math.floor(Date.now() / 1000) * 1000 - 300_000);
      await tracker.sendArray(records(2, base, 1));

      await withFault(kind, 'postgres', async () => {
        tracker.send(tracker.arrayBytes(records(4, new Date(base.getTime() + 10_000), 10)));
        await expect(tracker.read(4, 3000)).rejects.toThrow('no reply');
        expect(tracker.bufferedReplyBytes).toBe(0);
        // the HTTP API meanwhile: a fast 503 naming the database, not a hang
        expectUnavailable(await timed(() => telemetry(imei, admin)), POSTGRES_UNAVAILABLE);
      });
      // the commit that hung or failed is retried (commit deadline 10 s, then backoff)
      const ack = appendFlexCrc8(Buffer.from([0x7e, 0x41, 4]));
      expect((await tracker.read(4, 25_000)).toString('hex')).toBe(ack.toString('hex'));
      expect(await storedIndexes(imei)).toEqual([1, 2, 10, 11, 12, 13]);
    },
    60_000,
  );

  it('API keys: created by an admin, shown once, accepted as Bearer, refused once revoked', async () => {
    const imei = newImei();
    const tracker = await negotiatedTracker(imei);
    await tracker.sendArray(records(1, new Date(Math.floor(Date.now() / 1000) * 1000 - 10_000)));

    expect(
      (await api('POST', `${V2}/api-keys`, { token: operator, body: { name: 'e2e' } })).status,
    ).toBe(403);
    for (const name of ['', '   ', '\u00a0']) {
      const blank = await api('POST', `${V2}/api-keys`, { token: admin, body: { name } });
      expect([name, blank.status]).toEqual([name, 400]);
    }
    const created = await api<{ id: string; key: string; keyPrefix: string }>(
      'POST',
      `${V2}/api-keys`,
      {
        token: admin,
        body: { name: 'e2e trip tracker' },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^tlm_[A-Za-z0-9_-]{43}$/);
    const listed = await api<{ id: string; key?: string }[]>('GET', `${V2}/api-keys`, {
      token: admin,
    });
    expect(listed.body.find((key) => key.id === created.body.id)).toEqual(
      expect.not.objectContaining({ key: expect.anything() }),
    );

    expect((await telemetry(imei, created.body.key)).status).toBe(200);
    // a key is no admin
    const notAdmin = await api<{ code: string }>('GET', `${V2}/api-keys`, {
      token: created.body.key,
    });
    expect([notAdmin.status, notAdmin.body.code]).toEqual([403, 'CREDENTIAL_NOT_ACCEPTED']);
    expect(
      (await api('DELETE', `${V2}/api-keys/${created.body.id}`, { token: admin })).status,
    ).toBe(200);
    const refused = await telemetry(imei, created.body.key);
    expect([refused.status, refused.body]).toEqual([
      401,
      expect.objectContaining({ code: 'INVALID_API_KEY' }),
    ]);
  });

  it('v1 answers like v2 with Deprecation and a Link to v2; bad input is a 400', async () => {
    const v1 = await api('GET', '/telematics_api/v1/devices?page=1&size=5', { token: operator });
    expect(v1.status).toBe(200);
    // RFC 9745: the instant of the deprecation (2026-12-04T00:00:00Z)
    expect(v1.headers.get('deprecation')).toBe('@1796342400');
    expect(v1.headers.get('link')).toBe('</telematics_api/v2/devices>; rel="successor-version"');
    // a refused v1 call hears it too
    for (const [refused, status] of [
      [await api('GET', '/telematics_api/v1/devices?page=0', { token: operator }), 400],
      [await api('GET', '/telematics_api/v1/devices'), 401],
    ] as const) {
      expect([refused.status, refused.headers.get('deprecation')]).toEqual([status, '@1796342400']);
      expect(refused.headers.get('link')).toBe(
        '</telematics_api/v2/devices>; rel="successor-version"',
      );
    }
    for (const path of [
      `${V2}/devices/not%20an%20imei/telemetry`,
      `${V2}/devices/350000000000000/telemetry?limit=0`,
      `${V2}/devices/350000000000000/telemetry?from=yesterday`,
      `${V2}/devices/350000000000000/telemetry?from=20240101T000000Z`,
      `${V2}/devices/350000000000000/telemetry?cursor=bm9wZQ`,
      `${V2}/raw-frames?unknown=1`,
      // crafted cursors that Date accepts and Postgres would not: refused before any query
      `${V2}/raw-frames?cursor=${cursorOf(['2000-02-30T00:00:00.000Z', '1'])}`,
      `${V2}/raw-frames?cursor=${cursorOf(['2024-01-01T00:00:00.000Z', '9223372036854775808'])}`,
    ]) {
      expect([path, (await api('GET', path, { token: operator })).status]).toEqual([path, 400]);
    }
    expect((await api('GET', `${V2}/devices`)).status).toBe(401);
    // the OpenAPI document: Deprecation and Link are headers of the answer, not of the request
    const document = await api<{
      paths: Record<
        string,
        {
          get: { parameters?: { name: string }[]; responses: Record<string, { headers?: object }> };
        }
      >;
    }>('GET', '/telematics_api/docs/openapi.json');
    const v1Telemetry = document.body.paths['/telematics_api/v1/devices/{imei}/telemetry']?.get;
    expect(v1Telemetry?.parameters?.map((parameter) => parameter.name)).not.toContain(
      'Deprecation',
    );
    expect(Object.keys(v1Telemetry?.responses['200']?.headers ?? {})).toEqual([
      'Deprecation',
      'Link',
    ]);
  });

  it('metrics are not exposed through the gateway without the metrics token', async () => {
    expect((await api('GET', '/telematics_api/metrics')).status).toBe(404);
  });
});
