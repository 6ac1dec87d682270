import { createIntegrationDatabase, type IntegrationDatabase } from '@platform/testing/integration';
import { emptyTelemetryRecord, type TelemetryRecord } from '@platform/navtelecom';
import { Pool } from 'pg';
import { databaseDefinition } from '../database/database-definition';
import { type FrameWrite } from '../ingest/frame-write';
import { IngestWriter } from './ingest-writer';
import { maintainPartitions, partitionedTables, partitionName } from './partitions';

const DAY = 86_400_000;

function record(index: number, eventTime: Date): TelemetryRecord {
  return {
    ...emptyTelemetryRecord('flex', Buffer.from([index & 0xff])),
    index,
    eventTime,
    latitude: 55.7,
    longitude: 37.6,
    speedKmh: 12.5,
    course: 90,
    valid: true,
    satellites: 9,
    vehicleBus: [{ name: 'engineSpeed', value: 1500, unit: 'rpm', source: 'flex:55' }],
  };
}

function write(
  imei: string,
  records: TelemetryRecord[],
  connectedFrom: string | null = null,
): FrameWrite {
  const receivedAt = new Date();
  return {
    imei,
    receivedAt,
    device: {
      protocol: 'ntcb-flex',
      ntcbDeviceId: 7,
      flex: connectedFrom
        ? { protocolVersion: 20, structVersion: 20, fields: [1, 2, 3], recordLength: 10 }
        : null,
      connectedFrom,
    },
    positions: records.map((r) => ({
      eventTime: r.eventTime as Date,
      recordIndex: r.index as number,
      source: 'flex-A',
      record: r,
    })),
    busValues: records.flatMap((r) =>
      r.vehicleBus.map((value) => ({
        eventTime: r.eventTime as Date,
        recordIndex: r.index as number,
        value,
      })),
    ),
    events: [],
    raw: {
      frameType: 'flex-A',
      payload: Buffer.from('7e41', 'hex'),
      reply: Buffer.from('7e4101df', 'hex'),
    },
  };
}

/** A pg Pool on the integration database, as the ingest's own (the service's role). */
function poolOf(database: IntegrationDatabase): Pool {
  const options = database.dataSource.options as {
    host: string;
    port: number;
    username: string;
    password: string;
    database: string;
  };
  return new Pool({
    host: options.host,
    port: options.port,
    user: options.username,
    password: options.password,
    database: options.database,
    max: 3,
  });
}

describe('IngestWriter and partitions on real Postgres', () => {
  let database: IntegrationDatabase;
  let pool: Pool;
  let writer: IngestWriter;
  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await pool.query<{ n: string }>(sql, params)).rows[0]?.n);

  beforeAll(async () => {
    database = await createIntegrationDatabase(databaseDefinition);
    pool = poolOf(database);
    writer = new IngestWriter(pool, { commitTimeoutMs: 10_000, returnStored: true });
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('creates the days ahead, moving rows of a new day out of the default partition', async () => {
    const now = new Date();
    const future = new Date(now.getTime() + 20 * DAY);
    // a tracker with a clock 20 days ahead: its record lands in the default partition
    await writer.commit([write('350000000000001', [record(1, future)], '10.0.0.1')]);
    expect(await count(`SELECT count(*) AS n FROM telematics.positions_default`)).toBe(1);

    const report = await maintainPartitions(
      pool,
      partitionedTables({ positionDays: 30, rawFrameDays: 7 }),
      {
        now,
        aheadDays: 21,
      },
    );
    expect(report.created).toContain(
      partitionName('positions', new Date(Math.floor(future.getTime() / DAY) * DAY)),
    );
    expect(report.movedFromDefault).toBe(3); // the position, its vehicle-bus value, its raw frame
    expect(await count(`SELECT count(*) AS n FROM telematics.positions_default`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM telematics.positions`)).toBe(1);
    // idempotent
    const again = await maintainPartitions(
      pool,
      partitionedTables({ positionDays: 30, rawFrameDays: 7 }),
      {
        now,
        aheadDays: 21,
      },
    );
    expect(again.created).toEqual([]);
  });

  it('stores a resent batch once, and reports only the new rows as stored', async () => {
    const imei = '350000000000002';
    const time = new Date(Math.floor(Date.now() / 1000) * 1000);
    const records = [record(10, time), record(11, new Date(time.getTime() + 1000))];
    const first = await writer.commit([write(imei, records, '10.0.0.2')]);
    expect([first.positionsStored, first.positionsDuplicate]).toEqual([2, 0]);
    expect(first.stored.map((s) => s.row.recordIndex)).toEqual([10, 11]);

    const resent = await writer.commit([
      write(imei, records),
      write(imei, [records[0] as TelemetryRecord]),
    ]);
    // three records received again (one of them twice in the batch), none stored
    expect([resent.positionsStored, resent.positionsDuplicate, resent.stored]).toEqual([0, 3, []]);

    const mixed = await writer.commit([
      write(imei, [...records, record(12, new Date(time.getTime() + 2000))]),
    ]);
    expect([mixed.positionsStored, mixed.positionsDuplicate]).toEqual([1, 2]);

    const device = await pool.query(
      `SELECT id, flex_fields, connection_state FROM telematics.devices WHERE imei = $1`,
      [imei],
    );
    expect(device.rows[0]).toEqual(
      expect.objectContaining({ flex_fields: [1, 2, 3], connection_state: 'online' }),
    );
    const deviceId = device.rows[0].id as string;
    expect(
      await count(`SELECT count(*) AS n FROM telematics.positions WHERE device_id = $1`, [
        deviceId,
      ]),
    ).toBe(3);
    expect(
      await count(`SELECT count(*) AS n FROM telematics.vehicle_bus_values WHERE device_id = $1`, [
        deviceId,
      ]),
    ).toBe(3);
    // raw frames are a log: every frame received, resends included
    expect(
      await count(`SELECT count(*) AS n FROM telematics.raw_frames WHERE device_id = $1`, [
        deviceId,
      ]),
    ).toBe(4);
  });

  it('stores every column as given (binary COPY), raw frames with ids of the sequence', async () => {
    const fresh = new IngestWriter(pool, { commitTimeoutMs: 10_000, returnStored: true });
    const imei = '350000000000005';
    const eventTime = new Date('2026-01-02T03:04:05.678Z');
    const full: TelemetryRecord = {
      ...record(4_000_000_000, eventTime),
      eventCode: -7,
      fixTime: new Date('2026-01-02T03:04:00Z'),
      valid: false,
      satellites: 12,
      latitude: -33.8688197,
      longitude: 151.2092955,
      altitudeM: -12.5,
      speedKmh: 88.25,
      course: 359,
      odometerKm: 123456.7,
      hdop: 0.5,
      gsmLevel: 31,
      deviceStatus: -1,
      mainPowerV: 12.75,
      backupBatteryV: 4.125,
      digitalInputs: 0xffffff,
      digitalOutputs: 3,
      vehicleBus: [
        { name: 'coolantTemperature', value: -40.5, unit: '°C', source: 'flex:56' },
        { name: 'engineSpeed', value: null, unit: null, source: 'flex:55' },
      ],
    };
    const frame = write(imei, [full], '10.0.0.5');
    const report = await fresh.commit([frame, { ...frame, positions: [], busValues: [] }]);
    expect(report.stored.map((s) => s.row.record)).toEqual([full]);

    const positions = await pool.query(
      `SELECT p.event_time, p.record_index::text, p.source, p.event_code, p.fix_time, p.valid,
         p.satellites, p.latitude, p.longitude, p.altitude_m, p.speed_kmh, p.course, p.odometer_km,
         p.hdop, p.gsm_level, p.device_status, p.main_power_v, p.backup_battery_v,
         p.digital_inputs, p.digital_outputs, p.received_at = $2 AS received
       FROM telematics.positions p JOIN telematics.devices d ON d.id = p.device_id
       WHERE d.imei = $1`,
      [imei, frame.receivedAt],
    );
    expect(positions.rows).toEqual([
      {
        event_time: eventTime,
        record_index: '4000000000',
        source: 'flex-A',
        event_code: -7,
        fix_time: full.fixTime,
        valid: false,
        satellites: 12,
        latitude: -33.8688197,
        longitude: 151.2092955,
        altitude_m: -12.5,
        speed_kmh: 88.25,
        course: 359,
        odometer_km: 123456.7,
        hdop: 0.5,
        gsm_level: 31,
        device_status: -1,
        main_power_v: 12.75,
        backup_battery_v: 4.125,
        digital_inputs: 0xffffff,
        digital_outputs: 3,
        received: true,
      },
    ]);
    const busValues = await pool.query(
      `SELECT v.name, v.value, v.unit, v.source FROM telematics.vehicle_bus_values v
       JOIN telematics.devices d ON d.id = v.device_id WHERE d.imei = $1 ORDER BY v.name`,
      [imei],
    );
    expect(busValues.rows).toEqual([
      { name: 'coolantTemperature', value: -40.5, unit: '°C', source: 'flex:56' },
      { name: 'engineSpeed', value: null, unit: null, source: 'flex:55' },
    ]);
    const raw = await pool.query<{ id: string; payload: Buffer; reply: Buffer }>(
      `SELECT r.id, r.payload, r.reply, r.frame_type FROM telematics.raw_frames r
       JOIN telematics.devices d ON d.id = r.device_id WHERE d.imei = $1 ORDER BY r.id`,
      [imei],
    );
    expect(raw.rows.map((r) => [r.payload.toString('hex'), r.reply.toString('hex')])).toEqual([
      ['7e41', '7e4101df'],
      ['7e41', '7e4101df'],
    ]);
    expect(Number(raw.rows[1]?.id)).toBe(Number(raw.rows[0]?.id) + 1);
  });

  it('a batch holding the same record twice stores it once', async () => {
    const fresh = new IngestWriter(pool, { commitTimeoutMs: 10_000, returnStored: true });
    const imei = '350000000000006';
    const time = new Date(Math.floor(Date.now() / 1000) * 1000);
    const records = [record(1, time), record(2, new Date(time.getTime() + 1000))];
    const report = await fresh.commit([
      write(imei, records, '10.0.0.6'),
      write(imei, [records[1] as TelemetryRecord]),
    ]);
    expect([report.positionsStored, report.positionsDuplicate]).toEqual([2, 1]);
    expect(report.stored.map((s) => s.row.recordIndex).sort()).toEqual([1, 2]);
    expect(
      await count(
        `SELECT count(*) AS n FROM telematics.vehicle_bus_values v JOIN telematics.devices d ON d.id = v.device_id WHERE d.imei = $1`,
        [imei],
      ),
    ).toBe(2);
    // the staging tables are empty outside a transaction
    expect(await count(`SELECT count(*) AS n FROM telematics.positions_staging`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM telematics.vehicle_bus_values_staging`)).toBe(0);
  });

  it('a batch whose last statement fails stores nothing of it; the same batch mended stores once', async () => {
    const imei = '350000000000007';
    const time = new Date(Math.floor(Date.now() / 1000) * 1000);
    // known device first, so the failing batch's BEGIN rides with its first COPY and its COMMIT
    // with the raw frames' COPY, the statement that fails here (frame_type is varchar(16))
    await writer.commit([write(imei, [record(1, time)], '10.0.0.7')]);
    const next = write(imei, [record(2, new Date(time.getTime() + 1000))]);
    const raw = { frameType: 'x'.repeat(17), payload: Buffer.from('7e41', 'hex'), reply: null };
    const broken: FrameWrite = { ...next, device: null, raw };
    await expect(writer.commit([broken])).rejects.toMatchObject({ code: '22001' });
    const stored = (): Promise<number> =>
      count(
        `SELECT count(*) AS n FROM telematics.positions p JOIN telematics.devices d ON d.id = p.device_id WHERE d.imei = $1`,
        [imei],
      );
    expect(await stored()).toBe(1);
    const mended: FrameWrite = { ...broken, raw: { ...raw, frameType: 'flex-A' } };
    const report = await writer.commit([mended]);
    expect(report.positionsStored).toBe(1);
    expect(await stored()).toBe(2);
  });

  it('a closed connection marks its device offline, not one a newer connection announced', async () => {
    const imei = '350000000000008';
    const state = async () =>
      (
        await pool.query<{ connection_state: string; connected_at: Date }>(
          `SELECT connection_state, connected_at FROM telematics.devices WHERE imei = $1`,
          [imei],
        )
      ).rows[0];
    const at = (write: FrameWrite, receivedAt: Date): FrameWrite => ({ ...write, receivedAt });
    const time = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const first = new Date(time.getTime() + 1000);
    const second = new Date(time.getTime() + 2000);
    // the frame opening a connection and a later one of it in the same batch: connected_at is
    // the first one's arrival, which the connection compares with when it ends
    await writer.commit([
      at(write(imei, [record(1, time)], '10.0.0.8'), first),
      at(write(imei, [record(2, time)]), new Date(first.getTime() + 500)),
    ]);
    expect((await state())?.connected_at).toEqual(first);
    // the device reconnected before its first connection was found dead
    await writer.commit([at(write(imei, [record(3, time)], '10.0.0.9'), second)]);
    await writer.markDisconnected(imei, first, new Date());
    expect(await state()).toEqual({ connection_state: 'online', connected_at: second });
    await writer.markDisconnected(imei, second, new Date());
    expect((await state())?.connection_state).toBe('offline');
    // last_seen_at of what was committed before the disconnect: it stays offline
    await writer.touchDevices();
    expect((await state())?.connection_state).toBe('offline');
  });

  it('concurrent commits of the same records store them once', async () => {
    const imei = '350000000000003';
    const time = new Date(Math.floor(Date.now() / 1000) * 1000);
    const records = Array.from({ length: 50 }, (_, i) =>
      record(i, new Date(time.getTime() + i * 1000)),
    );
    const reports = await Promise.all(
      [1, 2, 3].map(() => writer.commit([write(imei, records, '10.0.0.3')])),
    );
    expect(reports.reduce((sum, r) => sum + r.positionsStored, 0)).toBe(50);
    expect(
      await count(
        `SELECT count(*) AS n FROM telematics.positions p JOIN telematics.devices d ON d.id = p.device_id WHERE d.imei = $1`,
        [imei],
      ),
    ).toBe(50);
  });

  it('retention drops whole expired days and expired rows of the default partition, not late arrivals', async () => {
    const now = new Date();
    const old = new Date(now.getTime() - 40 * DAY);
    // an old day's partition, as an earlier run would have made it
    await maintainPartitions(pool, partitionedTables({ positionDays: 100, rawFrameDays: 100 }), {
      now: old,
      aheadDays: 1,
    });
    const longAgo = new Date(now.getTime() - 400 * DAY);
    await writer.commit([
      write('350000000000004', [record(1, old)]),
      // received as long ago as its time says: expired
      { ...write('350000000000004', [record(2, longAgo)]), receivedAt: longAgo },
      // a tracker whose clock restarted at 1970, heard from now: acknowledged, so kept
      write('350000000000004', [record(3, new Date(0))]),
    ]);
    const expired = async (table: string, days: number): Promise<number[]> =>
      (
        await pool.query<{ record_index: string }>(
          `SELECT t.record_index FROM telematics.${table} t
           JOIN telematics.devices d ON d.id = t.device_id
           WHERE d.imei = '350000000000004' AND t.event_time < now() - make_interval(days => $1)
           ORDER BY t.record_index`,
          [days],
        )
      ).rows.map((row) => Number(row.record_index));
    expect(await expired('positions', 39)).toEqual([1, 2, 3]);

    const report = await maintainPartitions(
      pool,
      partitionedTables({ positionDays: 30, rawFrameDays: 7 }),
      {
        now,
        aheadDays: 1,
      },
    );
    expect(report.dropped).toContain(
      partitionName('positions', new Date(Math.floor(old.getTime() / DAY) * DAY)),
    );
    expect(report.deletedFromDefault).toBeGreaterThanOrEqual(1);
    expect(await expired('positions', 31)).toEqual([3]);
    expect(await expired('vehicle_bus_values', 31)).toEqual([3]);
    expect(await count(`SELECT count(*) AS n FROM telematics.positions`)).toBeGreaterThan(0);
  });
});

// Instances starting together run the same maintenance at once (its own database: the drops
// take every day before the cutoff).
describe('partition maintenance by two instances at once', () => {
  let database: IntegrationDatabase;
  let pool: Pool;
  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await pool.query<{ n: string }>(sql, params)).rows[0]?.n);

  beforeAll(async () => {
    database = await createIntegrationDatabase(databaseDefinition);
    pool = poolOf(database);
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('make each partition once, neither fails', async () => {
    const now = new Date(Date.now() + 60 * DAY);
    const tables = partitionedTables({ positionDays: 1000, rawFrameDays: 1000 });
    const [first, second] = await Promise.all(
      [1, 2].map(() => maintainPartitions(pool, tables, { now, aheadDays: 4 })),
    );
    const made = [...(first?.created ?? []), ...(second?.created ?? [])].sort();
    // yesterday to `aheadDays` ahead, of each table
    const wanted = tables.flatMap((table) =>
      [-1, 0, 1, 2, 3, 4].map((days) =>
        partitionName(table.name, new Date(Math.floor(now.getTime() / DAY + days) * DAY)),
      ),
    );
    expect(made).toEqual([...wanted].sort());
    for (const name of wanted) {
      expect(await count(`SELECT count(*) AS n FROM pg_class WHERE relname = $1`, [name])).toBe(1);
    }
  });

  it('drop each expired partition once, neither fails', async () => {
    const now = new Date(Date.now() + 90 * DAY);
    const tables = partitionedTables({ positionDays: 1000, rawFrameDays: 1000 });
    await maintainPartitions(pool, tables, { now, aheadDays: 2 });
    const later = new Date(now.getTime() + 1005 * DAY);
    const expired = tables.flatMap((table) =>
      [-1, 0, 1, 2].map((days) =>
        partitionName(table.name, new Date(Math.floor(now.getTime() / DAY + days) * DAY)),
      ),
    );
    const reports = await Promise.all(
      [1, 2].map(() => maintainPartitions(pool, tables, { now: later, aheadDays: 0 })),
    );
    const dropped = reports.flatMap((report) => report.dropped);
    for (const name of expired) expect(dropped.filter((d) => d === name)).toEqual([name]);
  });
});
