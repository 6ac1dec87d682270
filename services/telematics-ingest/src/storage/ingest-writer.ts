import { type Pool, type PoolClient } from 'pg';
import { type FrameWrite, type PositionRow } from '../ingest/frame-write';
import { BinaryCopyWriter, CopyTransaction, uuidBytes } from '@platform/database';

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

/** SQLSTATEs of a batch that met records already stored (a resend) while COPYing. */
const UNIQUE_VIOLATION = '23505';
const DEADLOCK_DETECTED = '40P01';
/** After a resend met the append path, batches take the dedupe path for this long. */
const DEDUPE_AFTER_CONFLICT_MS = 10_000;

const POSITION_COLUMN_LIST =
  'device_id, event_time, record_index, received_at, source, event_code, fix_time, valid, ' +
  'satellites, latitude, longitude, altitude_m, speed_kmh, course, odometer_km, hdop, gsm_level, ' +
  'device_status, main_power_v, backup_battery_v, digital_inputs, digital_outputs';
const POSITION_COLUMNS = 22;
const BUS_VALUE_COLUMN_LIST = 'device_id, event_time, record_index, name, value, unit, source';
const BUS_VALUE_COLUMNS = 7;
const RAW_FRAME_COLUMN_LIST = 'device_id, received_at, frame_type, payload, reply';
const RAW_FRAME_COLUMNS = 5;

/** A batch's rows in binary COPY form (encoded once the device ids are known). */
interface EncodedBatch {
  readonly positions: Buffer | null;
  readonly positionCount: number;
  readonly busValues: Buffer | null;
  readonly rawFrames: Buffer | null;
}

/**
 * The ingest's only SQL: one group commit = one transaction on a connection of its own pool.
 * That transaction is what guarantees a record is neither lost nor doubled: its frames are
 * acknowledged only after its COMMIT returned (synchronous_commit on), and the primary keys of
 * `positions` and `vehicle_bus_values` refuse a second copy of a record whatever path it took.
 *
 * 1. Devices new to this process, or whose frames changed them (negotiation, a new connection),
 *    are upserted in IMEI order (concurrent batches lock rows in the same order); the ids are
 *    cached. `last_seen_at` of known devices is written by {@link touchDevices}, off this path.
 * 2. Positions, vehicle-bus values and raw frames go out as binary COPY (libs/database binary-copy.ts),
 *    one per table; events (rare) as one `INSERT ... SELECT FROM unnest(...) ON CONFLICT`.
 *    - Append path (the usual one): COPY straight into the tables. A resent record makes the
 *      COPY fail on the primary key: the transaction is rolled back and the batch is written
 *      again on the dedupe path, as are the batches of the next {@link DEDUPE_AFTER_CONFLICT_MS}
 *      (resends come in waves, after reconnections).
 *    - Dedupe path: COPY into the UNLOGGED staging tables (migration IngestCopy1796000000000),
 *      then `INSERT ... SELECT FROM (DELETE FROM staging RETURNING *) ON CONFLICT DO NOTHING`:
 *      resent records insert nothing and RETURNING tells the new rows from the resent ones.
 */
export class IngestWriter {
  private readonly deviceIds = new Map<string, string>();
  private readonly lastSeen = new Map<string, Date>();
  private dedupeUntil = 0;

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
      // The connection state is not written here: a device heard from in the last 5 s may have
      // disconnected since (markDisconnected), and only a new connection makes it online again.
      await this.pool.query(
        `UPDATE telematics.devices AS d SET last_seen_at = GREATEST(d.last_seen_at, u.seen)
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

  /**
   * The connection of `imei` that announced itself at `connectedAt` ended (best effort: the row
   * says offline from now). Not when a newer connection of the device (here or on another
   * instance) announced itself since: an old connection is often found dead only after the
   * device reconnected.
   */
  async markDisconnected(imei: string, connectedAt: Date, at: Date): Promise<void> {
    await this.pool.query(
      `UPDATE telematics.devices SET connection_state = 'offline', disconnected_at = $2,
         last_seen_at = GREATEST(last_seen_at, $2)
       WHERE imei = $1 AND (connected_at IS NULL OR connected_at <= $3)`,
      [imei, at, connectedAt],
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
    if (Date.now() >= this.dedupeUntil) {
      try {
        return await this.transaction(client, writes, false);
      } catch (error) {
        if (!isConflict(error)) throw error;
        this.dedupeUntil = Date.now() + DEDUPE_AFTER_CONFLICT_MS;
      }
    }
    return this.transaction(client, writes, true);
  }

  private async transaction(
    client: PoolClient,
    writes: readonly FrameWrite[],
    dedupe: boolean,
  ): Promise<CommitReport> {
    const tx = new CopyTransaction(client);
    try {
      const ids = await this.upsertDevices(tx, writes);
      const batch = encodeBatch(writes, ids);
      const report = dedupe
        ? await this.dedupePositions(tx, writes, ids, batch)
        : await this.appendPositions(tx, writes, ids, batch);
      if (batch.busValues) {
        if (dedupe) {
          await tx.copy(stagingCopy('vehicle_bus_values', BUS_VALUE_COLUMN_LIST), batch.busValues);
          await tx.query(moveFromStaging('vehicle_bus_values', BUS_VALUE_COLUMN_LIST));
        } else {
          await tx.copy(tableCopy('vehicle_bus_values', BUS_VALUE_COLUMN_LIST), batch.busValues);
        }
      }
      await this.insertEvents(tx, writes, ids);
      if (batch.rawFrames) {
        await tx.copy(tableCopy('raw_frames', RAW_FRAME_COLUMN_LIST), batch.rawFrames, true);
      } else {
        await tx.commit();
      }
      for (const [imei, id] of ids) this.deviceIds.set(imei, id);
      for (const write of writes) if (write.imei) this.noteSeen(write.imei, write.receivedAt);
      return report;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async upsertDevices(
    tx: CopyTransaction,
    writes: readonly FrameWrite[],
  ): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    const updates = new Map<string, FrameWrite>();
    // The frame that opened a connection gives connected_at, which markDisconnected compares
    // with: its own arrival, not that of a later frame of the device in this batch.
    const connections = new Map<string, { address: string; at: Date }>();
    for (const write of writes) {
      if (!write.imei) continue;
      if (write.device?.connectedFrom) {
        connections.set(write.imei, { address: write.device.connectedFrom, at: write.receivedAt });
      }
      const known = this.deviceIds.get(write.imei);
      const changes = write.device && (write.device.flex || write.device.connectedFrom);
      if (known && !changes) {
        ids.set(write.imei, known);
        continue;
      }
      const previous = updates.get(write.imei);
      // The latest frame wins, but a negotiation seen earlier in the batch stays.
      updates.set(write.imei, mergeDeviceWrites(previous, write));
    }
    if (updates.size === 0) return ids;
    const rows = [...updates.values()].sort((a, b) => ((a.imei ?? '') < (b.imei ?? '') ? -1 : 1));
    const result = await tx.query<{ id: string; imei: string }>(
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
        rows.map((w) => connections.get(w.imei ?? '')?.at ?? null),
        rows.map((w) => connections.get(w.imei ?? '')?.address.slice(0, 64) ?? null),
      ],
    );
    for (const row of result.rows) ids.set(row.imei, row.id);
    return ids;
  }

  /** Append path: every position of the batch is new (else the COPY fails on the key). */
  private async appendPositions(
    tx: CopyTransaction,
    writes: readonly FrameWrite[],
    ids: ReadonlyMap<string, string>,
    batch: EncodedBatch,
  ): Promise<CommitReport> {
    if (!batch.positions) return { positionsStored: 0, positionsDuplicate: 0, stored: [] };
    await tx.copy(tableCopy('positions', POSITION_COLUMN_LIST), batch.positions);
    const stored: StoredPosition[] = [];
    if (this.options.returnStored) {
      for (const write of writes) {
        const deviceId = write.imei ? ids.get(write.imei) : undefined;
        if (!deviceId || !write.imei) continue;
        for (const row of write.positions) stored.push({ imei: write.imei, deviceId, row });
      }
    }
    return { positionsStored: batch.positionCount, positionsDuplicate: 0, stored };
  }

  /** Dedupe path: through the staging table; RETURNING names the positions that were new. */
  private async dedupePositions(
    tx: CopyTransaction,
    writes: readonly FrameWrite[],
    ids: ReadonlyMap<string, string>,
    batch: EncodedBatch,
  ): Promise<CommitReport> {
    if (!batch.positions) return { positionsStored: 0, positionsDuplicate: 0, stored: [] };
    await tx.copy(stagingCopy('positions', POSITION_COLUMN_LIST), batch.positions);
    const move = moveFromStaging('positions', POSITION_COLUMN_LIST);
    const total = batch.positionCount;
    if (!this.options.returnStored) {
      const result = await tx.query(move);
      const stored = result.rowCount ?? 0;
      return { positionsStored: stored, positionsDuplicate: total - stored, stored: [] };
    }
    const result = await tx.query<{
      device_id: string;
      event_time: Date;
      record_index: string;
    }>(`${move} RETURNING device_id, event_time, record_index`);
    const byKey = new Map<string, StoredPosition>();
    for (const write of writes) {
      const deviceId = write.imei ? ids.get(write.imei) : undefined;
      if (!deviceId || !write.imei) continue;
      for (const row of write.positions) {
        const key = positionKey(deviceId, row.eventTime, row.recordIndex);
        if (!byKey.has(key)) byKey.set(key, { imei: write.imei, deviceId, row });
      }
    }
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

  private async insertEvents(
    tx: CopyTransaction,
    writes: readonly FrameWrite[],
    ids: ReadonlyMap<string, string>,
  ): Promise<void> {
    const rows = writes.flatMap((write) => {
      const deviceId = write.imei ? ids.get(write.imei) : undefined;
      return deviceId ? write.events.map((event) => ({ deviceId, event, write })) : [];
    });
    if (rows.length === 0) return;
    await tx.query(
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
}

function isConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === UNIQUE_VIOLATION || code === DEADLOCK_DETECTED;
}

function tableCopy(table: string, columns: string): string {
  return `COPY telematics.${table} (${columns}) FROM STDIN (FORMAT binary)`;
}

function stagingCopy(table: string, columns: string): string {
  return `COPY telematics.${table}_staging (${columns}) FROM STDIN (FORMAT binary)`;
}

/** Moves this transaction's staged rows (others' are invisible to it) into the table. */
function moveFromStaging(table: string, columns: string): string {
  return `WITH staged AS (DELETE FROM telematics.${table}_staging RETURNING ${columns})
    INSERT INTO telematics.${table} (${columns}) SELECT ${columns} FROM staged
    ON CONFLICT DO NOTHING`;
}

/** The batch's positions, vehicle-bus values and raw frames as binary COPY streams. */
function encodeBatch(
  writes: readonly FrameWrite[],
  ids: ReadonlyMap<string, string>,
): EncodedBatch {
  let positionCount = 0;
  let busValueCount = 0;
  let rawCount = 0;
  for (const write of writes) {
    if (write.raw) rawCount += 1;
    if (!write.imei || !ids.has(write.imei)) continue;
    positionCount += write.positions.length;
    busValueCount += write.busValues.length;
  }
  const positions = positionCount > 0 ? new BinaryCopyWriter(positionCount * 200) : null;
  const busValues = busValueCount > 0 ? new BinaryCopyWriter(busValueCount * 100) : null;
  const rawFrames = rawCount > 0 ? new BinaryCopyWriter(rawCount * 256) : null;
  // each device's uuid parsed once per batch, not once per row
  const deviceBytes = new Map<string, Buffer>();
  for (const write of writes) {
    const id = write.imei ? ids.get(write.imei) : undefined;
    let deviceId: Buffer | null = null;
    if (id !== undefined) {
      deviceId = deviceBytes.get(id) ?? uuidBytes(id);
      deviceBytes.set(id, deviceId);
    }
    if (rawFrames && write.raw) {
      rawFrames
        .row(RAW_FRAME_COLUMNS)
        .uuid(deviceId)
        .timestamptz(write.receivedAt)
        .text(write.raw.frameType)
        .bytea(write.raw.payload)
        .bytea(write.raw.reply);
    }
    if (deviceId === null) continue;
    if (positions) {
      for (const row of write.positions) encodePosition(positions, deviceId, row, write.receivedAt);
    }
    if (busValues) {
      for (const { eventTime, recordIndex, value } of write.busValues) {
        busValues
          .row(BUS_VALUE_COLUMNS)
          .uuid(deviceId)
          .timestamptz(eventTime)
          .int8(recordIndex)
          .text(value.name.slice(0, 64))
          .float8(finite(value.value))
          .text(value.unit?.slice(0, 16) ?? null)
          .text(value.source.slice(0, 32));
      }
    }
  }
  return {
    positions: positions?.finish() ?? null,
    positionCount,
    busValues: busValues?.finish() ?? null,
    rawFrames: rawFrames?.finish() ?? null,
  };
}

function mergeDeviceWrites(previous: FrameWrite | undefined, next: FrameWrite): FrameWrite {
  if (!previous?.device || !next.device) return next.device ? next : (previous ?? next);
  return {
    ...next,
    device: { ...next.device, flex: next.device.flex ?? previous.device.flex },
  };
}

export function positionKey(deviceId: string, eventTime: Date, recordIndex: number): string {
  return `${deviceId}|${eventTime.getTime()}|${recordIndex}`;
}

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

/** One position row, in {@link POSITION_COLUMN_LIST} order. */
function encodePosition(
  out: BinaryCopyWriter,
  deviceId: Buffer,
  row: PositionRow,
  receivedAt: Date,
): void {
  const r = row.record;
  out
    .row(POSITION_COLUMNS)
    .uuid(deviceId)
    .timestamptz(row.eventTime)
    .int8(row.recordIndex)
    .timestamptz(receivedAt)
    .text(row.source)
    .int4(integer(r.eventCode, I32))
    .timestamptz(time(r.fixTime))
    .bool(r.valid)
    .int2(integer(r.satellites, I16))
    .float8(finite(r.latitude))
    .float8(finite(r.longitude))
    .float4(finite(r.altitudeM))
    .float4(finite(r.speedKmh))
    .int2(integer(r.course, I16))
    .float8(finite(r.odometerKm))
    .float4(finite(r.hdop))
    .int2(integer(r.gsmLevel, I16))
    .int2(integer(r.deviceStatus, I16))
    .float4(finite(r.mainPowerV))
    .float4(finite(r.backupBatteryV))
    .int4(integer(r.digitalInputs, I32))
    .int4(integer(r.digitalOutputs, I32));
}
