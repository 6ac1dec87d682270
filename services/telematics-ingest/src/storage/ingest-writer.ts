import { type Pool, type PoolClient } from 'pg';
import { type FrameWrite, type PositionRow } from '../ingest/frame-write';

/** A position that was new (not a resend) in a committed batch. */
export interface StoredPosition {
  readonly imei: string;
  readonly deviceId: string;
  readonly row: PositionRow;
}

export interface CommitReport {
  readonly positionsStored: number;
  readonly positionsDuplicate: number;
  readonly stored: readonly StoredPosition[];
}

const I16: readonly [number, number] = [-32768, 32767];
const I32: readonly [number, number] = [-2147483648, 2147483647];

/**
 * The ingest's only SQL: one group commit = one transaction on a connection of its own pool.
 *
 * 1. Devices new to this process, or whose frames changed them (negotiation, a new connection),
 *    are upserted in IMEI order (concurrent batches lock rows in the same order); the ids are
 *    cached. `last_seen_at` of known devices is written by {@link touchDevices}, off this path.
 * 2. Positions, vehicle-bus values, events and raw frames: one statement per table for the whole
 *    batch, `INSERT ... SELECT * FROM unnest($1::uuid[], $2::timestamptz[], ...) ON CONFLICT DO
 *    NOTHING`, one array parameter per column. The primary key is the dedupe (a resend inserts
 *    nothing) and RETURNING tells the new rows from the resent ones. COPY cannot skip conflicts
 *    and the staging tables it would need are temporary tables, which the service's role may not
 *    create (scripts/db/init-roles.sh grants CONNECT only); docs/performance.md compares the rates.
 */
export class IngestWriter {
  private readonly deviceIds = new Map<string, string>();
  private readonly lastSeen = new Map<string, Date>();

  constructor(
    private readonly pool: Pool,
    private readonly options: { commitTimeoutMs: number; returnStored: boolean },
  ) {}

  async commit(writes: readonly FrameWrite[]): Promise<CommitReport> {
    const client = await this.pool.connect();
    let released = false;
    // An error (or the deadline) ends the connection: what is in flight on it rejects, the
    // server rolls the transaction back, the pool opens a fresh one for the retry.
    const release = (error?: Error): void => {
      if (released) return;
      released = true;
      client.release(error);
    };
    const timer = setTimeout(
      () => release(new Error(`commit took longer than ${this.options.commitTimeoutMs} ms`)),
      this.options.commitTimeoutMs,
    );
    try {
      const report = await this.inTransaction(client, writes);
      release();
      return report;
    } catch (error) {
      release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Writes the newest `last_seen_at` of every device heard from since the last call. */
  async touchDevices(): Promise<void> {
    if (this.lastSeen.size === 0) return;
    const entries = [...this.lastSeen.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    this.lastSeen.clear();
    try {
      await this.pool.query(
        `UPDATE telematics.devices AS d SET last_seen_at = GREATEST(d.last_seen_at, u.seen),
           connection_state = 'online'
         FROM unnest($1::varchar[], $2::timestamptz[]) AS u(imei, seen)
         WHERE d.imei = u.imei`,
        [entries.map(([imei]) => imei), entries.map(([, seen]) => seen)],
      );
    } catch (error) {
      // Next time then: keep the newest of what we had and what came meanwhile.
      for (const [imei, seen] of entries) this.noteSeen(imei, seen);
      throw error;
    }
  }

  /** A device's connection ended (best effort: the row says offline from now). */
  async markDisconnected(imei: string, at: Date): Promise<void> {
    await this.pool.query(
      `UPDATE telematics.devices SET connection_state = 'offline', disconnected_at = $2,
         last_seen_at = GREATEST(last_seen_at, $2) WHERE imei = $1`,
      [imei, at],
    );
  }

  private noteSeen(imei: string, at: Date): void {
    const previous = this.lastSeen.get(imei);
    if (!previous || previous < at) this.lastSeen.set(imei, at);
  }

  private async inTransaction(
    client: PoolClient,
    writes: readonly FrameWrite[],
  ): Promise<CommitReport> {
    await client.query('BEGIN');
    try {
      const ids = await this.upsertDevices(client, writes);
      const positions = await this.insertPositions(client, writes, ids);
      await this.insertBusValues(client, writes, ids);
      await this.insertEvents(client, writes, ids);
      await this.insertRawFrames(client, writes, ids);
      await client.query('COMMIT');
      for (const [imei, id] of ids) this.deviceIds.set(imei, id);
      for (const write of writes) if (write.imei) this.noteSeen(write.imei, write.receivedAt);
      return positions;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async upsertDevices(
    client: PoolClient,
    writes: readonly FrameWrite[],
  ): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    const updates = new Map<string, FrameWrite>();
    for (const write of writes) {
      if (!write.imei) continue;
      const known = this.deviceIds.get(write.imei);
      const changes = write.device && (write.device.flex || write.device.connectedFrom);
      if (known && !changes) {
        ids.set(write.imei, known);
        continue;
      }
      const previous = updates.get(write.imei);
      // The latest frame wins, but a negotiation or connection seen earlier in the batch stays.
      updates.set(write.imei, mergeDeviceWrites(previous, write));
    }
    if (updates.size === 0) return ids;
    const rows = [...updates.values()].sort((a, b) => ((a.imei ?? '') < (b.imei ?? '') ? -1 : 1));
    const result = await client.query<{ id: string; imei: string }>(
      `INSERT INTO telematics.devices AS d (imei, protocol, ntcb_device_id, flex_protocol_version,
         flex_struct_version, flex_fields, flex_record_length, first_seen_at, last_seen_at,
         connection_state, connected_at, remote_address)
       SELECT u.imei, u.protocol, u.ntcb_id, u.fpv, u.fsv,
         CASE WHEN u.fields IS NULL THEN NULL ELSE string_to_array(u.fields, ',')::smallint[] END,
         u.frl, u.seen, u.seen, 'online', u.connected_at, u.address
       FROM unnest($1::varchar[], $2::varchar[], $3::bigint[], $4::smallint[], $5::smallint[],
         $6::text[], $7::integer[], $8::timestamptz[], $9::timestamptz[], $10::varchar[])
         AS u(imei, protocol, ntcb_id, fpv, fsv, fields, frl, seen, connected_at, address)
       ON CONFLICT (imei) DO UPDATE SET
         protocol = EXCLUDED.protocol,
         ntcb_device_id = COALESCE(EXCLUDED.ntcb_device_id, d.ntcb_device_id),
         flex_protocol_version = COALESCE(EXCLUDED.flex_protocol_version, d.flex_protocol_version),
         flex_struct_version = COALESCE(EXCLUDED.flex_struct_version, d.flex_struct_version),
         flex_fields = COALESCE(EXCLUDED.flex_fields, d.flex_fields),
         flex_record_length = COALESCE(EXCLUDED.flex_record_length, d.flex_record_length),
         last_seen_at = GREATEST(d.last_seen_at, EXCLUDED.last_seen_at),
         connection_state = 'online',
         connected_at = COALESCE(EXCLUDED.connected_at, d.connected_at),
         remote_address = COALESCE(EXCLUDED.remote_address, d.remote_address)
       RETURNING id, imei`,
      [
        rows.map((w) => w.imei),
        rows.map((w) => w.device?.protocol ?? 'ntcb-flex'),
        rows.map((w) => w.device?.ntcbDeviceId ?? null),
        rows.map((w) => w.device?.flex?.protocolVersion ?? null),
        rows.map((w) => w.device?.flex?.structVersion ?? null),
        rows.map((w) => w.device?.flex?.fields.join(',') ?? null),
        rows.map((w) => w.device?.flex?.recordLength ?? null),
        rows.map((w) => w.receivedAt),
        rows.map((w) => (w.device?.connectedFrom ? w.receivedAt : null)),
        rows.map((w) => w.device?.connectedFrom?.slice(0, 64) ?? null),
      ],
    );
    for (const row of result.rows) ids.set(row.imei, row.id);
    return ids;
  }

  private async insertPositions(
    client: PoolClient,
    writes: readonly FrameWrite[],
    ids: ReadonlyMap<string, string>,
  ): Promise<CommitReport> {
    const byKey = new Map<string, StoredPosition>();
    const columns: unknown[][] = Array.from({ length: POSITION_COLUMNS.length }, () => []);
    for (const write of writes) {
      const deviceId = write.imei ? ids.get(write.imei) : undefined;
      if (!deviceId || !write.imei) continue;
      for (const row of write.positions) {
        const key = positionKey(deviceId, row.eventTime, row.recordIndex);
        if (byKey.has(key)) continue; // the same record twice in one batch: once is enough
        byKey.set(key, { imei: write.imei, deviceId, row });
        positionValues(deviceId, row, write.receivedAt).forEach((value, i) =>
          columns[i]?.push(value),
        );
      }
    }
    const total = byKey.size;
    if (total === 0) return { positionsStored: 0, positionsDuplicate: 0, stored: [] };
    const insert = `INSERT INTO telematics.positions (${POSITION_COLUMNS.map(([name]) => name).join(', ')})
      SELECT * FROM unnest(${POSITION_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
      ON CONFLICT DO NOTHING`;
    if (!this.options.returnStored) {
      const result = await client.query(insert, columns);
      const stored = result.rowCount ?? 0;
      return { positionsStored: stored, positionsDuplicate: total - stored, stored: [] };
    }
    const result = await client.query<{
      device_id: string;
      event_time: Date;
      record_index: string;
    }>(`${insert} RETURNING device_id, event_time, record_index`, columns);
    const stored: StoredPosition[] = [];
    for (const row of result.rows) {
      const found = byKey.get(positionKey(row.device_id, row.event_time, Number(row.record_index)));
      if (found) stored.push(found);
    }
    return {
      positionsStored: result.rows.length,
      positionsDuplicate: total - result.rows.length,
      stored,
    };
  }

  private async insertBusValues(
    client: PoolClient,
    writes: readonly FrameWrite[],
    ids: ReadonlyMap<string, string>,
  ): Promise<void> {
    const columns: unknown[][] = [[], [], [], [], [], [], []];
    const seen = new Set<string>();
    for (const write of writes) {
      const deviceId = write.imei ? ids.get(write.imei) : undefined;
      if (!deviceId) continue;
      for (const { eventTime, recordIndex, value } of write.busValues) {
        const key = `${positionKey(deviceId, eventTime, recordIndex)}|${value.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        [
          deviceId,
          eventTime,
          recordIndex,
          value.name.slice(0, 64),
          finite(value.value),
          value.unit?.slice(0, 16) ?? null,
          value.source.slice(0, 32),
        ].forEach((item, i) => columns[i]?.push(item));
      }
    }
    if (seen.size === 0) return;
    await client.query(
      `INSERT INTO telematics.vehicle_bus_values (device_id, event_time, record_index, name, value,
         unit, source)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::bigint[], $4::varchar[],
         $5::float8[], $6::varchar[], $7::varchar[])
       ON CONFLICT DO NOTHING`,
      columns,
    );
  }

  private async insertEvents(
    client: PoolClient,
    writes: readonly FrameWrite[],
    ids: ReadonlyMap<string, string>,
  ): Promise<void> {
    const rows = writes.flatMap((write) => {
      const deviceId = write.imei ? ids.get(write.imei) : undefined;
      return deviceId ? write.events.map((event) => ({ deviceId, event, write })) : [];
    });
    if (rows.length === 0) return;
    await client.query(
      `INSERT INTO telematics.events (device_id, event_time, event_index, event_type, event_code,
         description, received_at)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::bigint[], $4::varchar[],
         $5::integer[], $6::text[], $7::timestamptz[])
       ON CONFLICT ON CONSTRAINT events_dedupe_key DO NOTHING`,
      [
        rows.map((r) => r.deviceId),
        rows.map((r) => r.event.eventTime),
        rows.map((r) => r.event.eventIndex),
        rows.map((r) => r.event.eventType),
        rows.map((r) => r.event.eventCode),
        rows.map((r) => r.event.description),
        rows.map((r) => r.write.receivedAt),
      ],
    );
  }

  private async insertRawFrames(
    client: PoolClient,
    writes: readonly FrameWrite[],
    ids: ReadonlyMap<string, string>,
  ): Promise<void> {
    const columns: unknown[][] = [[], [], [], [], []];
    for (const write of writes) {
      if (!write.raw) continue;
      const deviceId = write.imei ? (ids.get(write.imei) ?? null) : null;
      [deviceId, write.receivedAt, write.raw.frameType, write.raw.payload, write.raw.reply].forEach(
        (item, i) => columns[i]?.push(item),
      );
    }
    if (columns[0]?.length === 0) return;
    await client.query(
      `INSERT INTO telematics.raw_frames (id, device_id, received_at, frame_type, payload, reply)
       SELECT nextval('telematics.raw_frames_id_seq'), * FROM unnest($1::uuid[],
         $2::timestamptz[], $3::varchar[], $4::bytea[], $5::bytea[])`,
      columns,
    );
  }
}

function mergeDeviceWrites(previous: FrameWrite | undefined, next: FrameWrite): FrameWrite {
  if (!previous?.device || !next.device) return next.device ? next : (previous ?? next);
  return {
    ...next,
    device: {
      ...next.device,
      flex: next.device.flex ?? previous.device.flex,
      connectedFrom: next.device.connectedFrom ?? previous.device.connectedFrom,
    },
  };
}

export function positionKey(deviceId: string, eventTime: Date, recordIndex: number): string {
  return `${deviceId}|${eventTime.getTime()}|${recordIndex}`;
}

/** Column name and array type of each position value, in {@link positionValues} order. */
const POSITION_COLUMNS: readonly (readonly [string, string])[] = [
  ['device_id', 'uuid'],
  ['event_time', 'timestamptz'],
  ['record_index', 'bigint'],
  ['received_at', 'timestamptz'],
  ['source', 'varchar'],
  ['event_code', 'integer'],
  ['fix_time', 'timestamptz'],
  ['valid', 'boolean'],
  ['satellites', 'smallint'],
  ['latitude', 'float8'],
  ['longitude', 'float8'],
  ['altitude_m', 'real'],
  ['speed_kmh', 'real'],
  ['course', 'smallint'],
  ['odometer_km', 'float8'],
  ['hdop', 'real'],
  ['gsm_level', 'smallint'],
  ['device_status', 'smallint'],
  ['main_power_v', 'real'],
  ['backup_battery_v', 'real'],
  ['digital_inputs', 'integer'],
  ['digital_outputs', 'integer'],
];

function finite(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value;
}

function integer(
  value: number | null | undefined,
  [min, max]: readonly [number, number],
): number | null {
  return value === null ||
    value === undefined ||
    !Number.isInteger(value) ||
    value < min ||
    value > max
    ? null
    : value;
}

function time(value: Date | null): Date | null {
  return value && !Number.isNaN(value.getTime()) ? value : null;
}

function positionValues(deviceId: string, row: PositionRow, receivedAt: Date): unknown[] {
  const r = row.record;
  return [
    deviceId,
    row.eventTime,
    row.recordIndex,
    receivedAt,
    row.source,
    integer(r.eventCode, I32),
    time(r.fixTime),
    r.valid,
    integer(r.satellites, I16),
    finite(r.latitude),
    finite(r.longitude),
    finite(r.altitudeM),
    finite(r.speedKmh),
    integer(r.course, I16),
    finite(r.odometerKm),
    finite(r.hdop),
    integer(r.gsmLevel, I16),
    integer(r.deviceStatus, I16),
    finite(r.mainPowerV),
    finite(r.backupBatteryV),
    integer(r.digitalInputs, I32),
    integer(r.digitalOutputs, I32),
  ];
}
