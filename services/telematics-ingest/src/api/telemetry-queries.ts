import { Injectable } from '@nestjs/common';
import { type Page, type PageWindow, pageOf } from '@platform/http';
import { DataSource } from 'typeorm';
import { encodeCursor, decodeCursor } from './cursor';
import {
  type BusValueView,
  type DeviceView,
  DEFAULT_LIMIT,
  type PositionView,
  type RawFrameView,
} from './dto/telemetry.dto';
import { telemetryError } from './telemetry.errors';
import { boundOf, boundOfMs, ceilMs, isBefore } from './time-range';

export interface TimeRange {
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

const DAY_MS = 86_400_000;

/** A stored key below 0 is a content key (frame-write.ts), not an index the device sent: -1. */
const blackBoxIndexOf = (stored: string): number => Math.max(-1, Number(stored));
const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);
const num = (value: string | number | null): number | null =>
  value === null ? null : Number(value);

/** The query's bounds as whole milliseconds, for `event_time >= from AND event_time < to`. */
function range(query: TimeRange): { from: Date; to: Date; limit: number } {
  const to = query.to ? boundOf(query.to) : boundOfMs(Date.now());
  const from = query.from ? boundOf(query.from) : boundOfMs(ceilMs(to).getTime() - DAY_MS);
  if (!isBefore(from, to)) throw telemetryError('INVALID_TIME_RANGE', 'from must be before to');
  return { from: ceilMs(from), to: ceilMs(to), limit: query.limit ?? DEFAULT_LIMIT };
}

/** Reads for the REST API (raw SQL over the service's schema; every page is keyset, not OFFSET). */
@Injectable()
export class TelemetryQueries {
  constructor(private readonly db: DataSource) {}

  async devices(window: PageWindow): Promise<Page<DeviceView>> {
    const [rows, count] = await Promise.all([
      this.db.query(`SELECT * FROM telematics.devices ORDER BY imei LIMIT $1 OFFSET $2`, [
        window.take,
        window.skip,
      ]) as Promise<DeviceRow[]>,
      this.db.query(`SELECT count(*)::int AS n FROM telematics.devices`) as Promise<
        { n: number }[]
      >,
    ]);
    return pageOf(rows.map(deviceView), count[0]?.n ?? 0, window);
  }

  async device(imei: string): Promise<DeviceView> {
    return deviceView(await this.deviceRow(imei));
  }

  private async deviceRow(imei: string): Promise<DeviceRow> {
    const rows = (await this.db.query(`SELECT * FROM telematics.devices WHERE imei = $1`, [
      imei,
    ])) as DeviceRow[];
    const row = rows[0];
    if (!row) throw telemetryError('DEVICE_NOT_FOUND', `No device ${imei}`);
    return row;
  }

  async telemetry(
    imei: string,
    query: TimeRange,
  ): Promise<{ items: PositionView[]; nextCursor: string | null }> {
    const { from, to, limit } = range(query);
    const after = decodeCursor(query.cursor);
    const device = await this.deviceRow(imei);
    const rows = (await this.db.query(
      `SELECT * FROM telematics.positions
       WHERE device_id = $1 AND event_time >= $2 AND event_time < $3
         AND ($4::timestamptz IS NULL OR (event_time, record_index) > ($4, $5::bigint))
       ORDER BY event_time, record_index LIMIT $6`,
      [device.id, from, to, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    )) as PositionRow[];
    return keysetPage(rows, limit, positionView, (row) => [
      row.event_time.toISOString(),
      String(row.record_index),
    ]);
  }

  async lastPosition(imei: string): Promise<PositionView> {
    const device = await this.deviceRow(imei);
    const rows = (await this.db.query(
      `SELECT * FROM telematics.positions WHERE device_id = $1 AND ${NOT_AHEAD_OF_ARRIVAL}
       ORDER BY event_time DESC, record_index DESC LIMIT 1`,
      [device.id],
    )) as PositionRow[];
    const row = rows[0];
    if (!row) throw telemetryError('NO_POSITION_YET', `Device ${imei} has sent no position yet`);
    return positionView(row);
  }

  async canData(
    imei: string,
    query: TimeRange & { name?: string | undefined },
  ): Promise<{ items: BusValueView[]; nextCursor: string | null }> {
    const { from, to, limit } = range(query);
    const after = decodeCursor(query.cursor, true);
    const device = await this.deviceRow(imei);
    const rows = (await this.db.query(
      `SELECT * FROM telematics.vehicle_bus_values
       WHERE device_id = $1 AND event_time >= $2 AND event_time < $3
         AND ($4::varchar IS NULL OR name = $4)
         AND ($5::timestamptz IS NULL OR (event_time, record_index, name) > ($5, $6::bigint, $7::varchar))
       ORDER BY event_time, record_index, name LIMIT $8`,
      [
        device.id,
        from,
        to,
        query.name ?? null,
        after?.[0] ?? null,
        after?.[1] ?? null,
        after?.[2] ?? null,
        limit + 1,
      ],
    )) as BusRow[];
    return keysetPage(rows, limit, busView, (row) => [
      row.event_time.toISOString(),
      String(row.record_index),
      row.name,
    ]);
  }

  async rawFrames(
    imei: string | null,
    query: TimeRange,
  ): Promise<{ items: RawFrameView[]; nextCursor: string | null }> {
    const { from, to, limit } = range(query);
    const after = decodeCursor(query.cursor);
    const deviceId = imei ? (await this.deviceRow(imei)).id : null;
    // `bytes_before`: the payloads ahead of the row on this page. A page ends at `limit` frames
    // or once RAW_FRAMES_PAGE_BYTES of payload are in it (at least one frame), whichever comes
    // first; the row after it comes back without its payload, to say that there is more.
    const rows = (await this.db.query(
      `SELECT id, device_id, received_at, frame_type, bytes_before,
              CASE WHEN bytes_before < $7 THEN payload END AS payload,
              CASE WHEN bytes_before < $7 THEN reply END AS reply
         FROM (SELECT f.*, coalesce(sum(octet_length(f.payload)) OVER (
                        ORDER BY f.received_at, f.id
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS bytes_before,
                      coalesce(sum(octet_length(f.payload)) OVER (
                        ORDER BY f.received_at, f.id
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 2 PRECEDING), 0) AS bytes_before_previous
                 FROM telematics.raw_frames f
                WHERE ($1::uuid IS NULL OR f.device_id = $1) AND f.received_at >= $2
                  AND f.received_at < $3
                  AND ($4::timestamptz IS NULL OR (f.received_at, f.id) > ($4, $5::bigint))
                ORDER BY f.received_at, f.id LIMIT $6) window_of_frames
        WHERE bytes_before_previous < $7
        ORDER BY received_at, id`,
      [
        deviceId,
        from,
        to,
        after?.[0] ?? null,
        after?.[1] ?? null,
        limit + 1,
        RAW_FRAMES_PAGE_BYTES,
      ],
    )) as (RawRow & { bytes_before: string })[];
    const within = rows.filter((row) => Number(row.bytes_before) < RAW_FRAMES_PAGE_BYTES);
    return keysetPage(rows, Math.min(limit, within.length), rawView, (row) => [
      row.received_at.toISOString(),
      String(row.id),
    ]);
  }

  async stats(): Promise<{
    devices: number;
    devicesOnline: number;
    positionsLastHour: number;
    lastPositionAt: string | null;
  }> {
    const [devices] = (await this.db.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE connection_state = 'online')::int AS online
       FROM telematics.devices`,
    )) as { total: number; online: number }[];
    const [positions] = (await this.db.query(
      `SELECT count(*)::int AS n, max(received_at) AS last FROM telematics.positions
       WHERE event_time >= now() - interval '1 hour' AND ${NOT_AHEAD_OF_ARRIVAL}`,
    )) as { n: number; last: Date | null }[];
    return {
      devices: devices?.total ?? 0,
      devicesOnline: devices?.online ?? 0,
      positionsLastHour: positions?.n ?? 0,
      lastPositionAt: iso(positions?.last ?? null),
    };
  }
}

/**
 * Payload bytes a page of raw frames carries at most (as hex in the JSON: twice that). Frames are
 * up to 64 KB each, so 1 000 of them were a 131 MB answer built in memory.
 */
export const RAW_FRAMES_PAGE_BYTES = 4 * 1024 * 1024;

/**
 * A position dated more than 10 minutes after it arrived is a device clock's error (a tracker
 * without a fix sent 2106-02-07): stored and listed like any other, but neither "the last
 * position" (it would stay so until the date passed) nor one of the last hour's.
 */
const NOT_AHEAD_OF_ARRIVAL = `event_time <= received_at + interval '10 minutes'`;

function keysetPage<R, V>(
  rows: R[],
  limit: number,
  view: (row: R) => V,
  key: (row: R) => readonly [string, string, string?],
): { items: V[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return {
    items: page.map(view),
    nextCursor:
      more && last
        ? encodeCursor(key(last).filter((part) => part !== undefined) as [string, string])
        : null,
  };
}

interface DeviceRow {
  id: string;
  imei: string;
  protocol: string;
  ntcb_device_id: string | null;
  flex_protocol_version: number | null;
  flex_struct_version: number | null;
  flex_fields: number[] | null;
  flex_record_length: number | null;
  first_seen_at: Date;
  last_seen_at: Date;
  connection_state: string;
  connected_at: Date | null;
  disconnected_at: Date | null;
}

function deviceView(row: DeviceRow): DeviceView {
  return {
    id: row.id,
    imei: row.imei,
    protocol: row.protocol,
    ntcbDeviceId: num(row.ntcb_device_id),
    flexProtocolVersion: row.flex_protocol_version,
    flexStructVersion: row.flex_struct_version,
    flexFields: row.flex_fields,
    flexRecordLength: row.flex_record_length,
    firstSeenAt: row.first_seen_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    connectionState: row.connection_state,
    connectedAt: iso(row.connected_at),
    disconnectedAt: iso(row.disconnected_at),
  };
}

interface PositionRow {
  event_time: Date;
  record_index: string;
  received_at: Date;
  source: string;
  event_code: number | null;
  fix_time: Date | null;
  valid: boolean | null;
  satellites: number | null;
  latitude: number | null;
  longitude: number | null;
  altitude_m: number | null;
  speed_kmh: number | null;
  course: number | null;
  odometer_km: number | null;
  hdop: number | null;
  gsm_level: number | null;
  device_status: number | null;
  main_power_v: number | null;
  backup_battery_v: number | null;
  digital_inputs: number | null;
  digital_outputs: number | null;
}

function positionView(row: PositionRow): PositionView {
  return {
    eventTime: row.event_time.toISOString(),
    recordIndex: blackBoxIndexOf(row.record_index),
    receivedAt: row.received_at.toISOString(),
    source: row.source,
    eventCode: row.event_code,
    fixTime: iso(row.fix_time),
    valid: row.valid,
    satellites: row.satellites,
    latitude: row.latitude,
    longitude: row.longitude,
    altitudeM: row.altitude_m,
    speedKmh: row.speed_kmh,
    course: row.course,
    odometerKm: row.odometer_km,
    hdop: row.hdop,
    gsmLevel: row.gsm_level,
    deviceStatus: row.device_status,
    mainPowerV: row.main_power_v,
    backupBatteryV: row.backup_battery_v,
    digitalInputs: row.digital_inputs,
    digitalOutputs: row.digital_outputs,
  };
}

interface BusRow {
  event_time: Date;
  record_index: string;
  name: string;
  value: number | null;
  unit: string | null;
  source: string;
}

function busView(row: BusRow): BusValueView {
  return {
    eventTime: row.event_time.toISOString(),
    recordIndex: blackBoxIndexOf(row.record_index),
    name: row.name,
    value: row.value,
    unit: row.unit,
    source: row.source,
  };
}

interface RawRow {
  id: string;
  device_id: string | null;
  received_at: Date;
  frame_type: string;
  payload: Buffer;
  reply: Buffer | null;
}

function rawView(row: RawRow): RawFrameView {
  return {
    id: String(row.id),
    deviceId: row.device_id,
    receivedAt: row.received_at.toISOString(),
    frameType: row.frame_type,
    payload: row.payload.toString('hex'),
    reply: row.reply ? row.reply.toString('hex') : null,
  };
}
