import { type Pool, type PoolClient } from 'pg';

/**
 * Daily RANGE partitions of the time-partitioned tables, made ahead and dropped by retention.
 *
 * A day's partition is `telematics.<table>_pYYYYMMDD` for [00:00 UTC, next 00:00 UTC). Each table
 * also has a DEFAULT partition (migration TelematicsDomain) that takes rows of days without a
 * partition (a tracker whose clock is years off), so an insert is never refused for its time.
 * Creating a day's partition moves that day's rows out of the default first, in one transaction:
 * Postgres refuses a new partition while the default holds rows of its range.
 *
 * Retention drops whole partitions whose day ended before the cut-off and deletes expired rows
 * from the default partition: those whose time is before the cut-off and which did not arrive
 * after it. A record whose event time is older than the retention when it arrives (a tracker
 * whose clock restarted at 1970 or 2000, or a GPS week rollover) lands there, and was
 * acknowledged: it is kept as long as a record that arrived on time. Every step is idempotent:
 * start-up and the hourly job both call {@link maintainPartitions}, replicas racing on it only
 * see "already exists".
 */
export interface PartitionedTable {
  readonly name: string;
  readonly timeColumn: string;
  /** Rows older than this many days go; 0 = keep nothing (the table is not written). */
  readonly retentionDays: number;
  /**
   * Rows of the default partition (alias `t`) kept although their time is before the cut-off
   * (`$1`): they arrived after it. Absent when the time column is the arrival time.
   */
  readonly arrivedAfterCutoff?: string;
}

export function partitionedTables(retention: {
  positionDays: number;
  rawFrameDays: number;
}): PartitionedTable[] {
  return [
    {
      name: 'positions',
      timeColumn: 'event_time',
      retentionDays: retention.positionDays,
      arrivedAfterCutoff: 't.received_at >= $1',
    },
    {
      // a value has no arrival time of its own: it stays while its position does (positions are
      // maintained first)
      name: 'vehicle_bus_values',
      timeColumn: 'event_time',
      retentionDays: retention.positionDays,
      arrivedAfterCutoff: `EXISTS (SELECT 1 FROM telematics.positions_default p
        WHERE p.device_id = t.device_id AND p.event_time = t.event_time
          AND p.record_index = t.record_index)`,
    },
    { name: 'raw_frames', timeColumn: 'received_at', retentionDays: retention.rawFrameDays },
  ];
}

const DAY_MS = 86_400_000;

export function dayStart(time: Date): Date {
  return new Date(Math.floor(time.getTime() / DAY_MS) * DAY_MS);
}

export function partitionName(table: string, day: Date): string {
  return `${table}_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The days to have partitions for: from yesterday (late records) to `aheadDays` ahead. */
export function daysToCreate(now: Date, aheadDays: number): Date[] {
  const today = dayStart(now);
  const days: Date[] = [];
  for (let offset = -1; offset <= aheadDays; offset += 1) {
    days.push(new Date(today.getTime() + offset * DAY_MS));
  }
  return days;
}

const PARTITION_NAME = /^(.+)_p(\d{4})(\d{2})(\d{2})$/;

/** The day a partition of `table` covers, or null for the default partition or another table. */
export function partitionDay(table: string, partition: string): Date | null {
  const match = PARTITION_NAME.exec(partition);
  if (!match || match[1] !== table) return null;
  const day = new Date(`${match[2]}-${match[3]}-${match[4]}T00:00:00Z`);
  return Number.isNaN(day.getTime()) ? null : day;
}

export interface MaintenanceReport {
  created: string[];
  dropped: string[];
  movedFromDefault: number;
  deletedFromDefault: number;
}

async function existingPartitions(pool: Pool, table: string): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
       JOIN pg_namespace n ON n.oid = p.relnamespace
     WHERE n.nspname = 'telematics' AND p.relname = $1`,
    [table],
  );
  return rows.map((row) => row.name);
}

/**
 * The advisory lock (transaction-scoped) that serialises partition changes across instances; its
 * key is this name's hash, so it is told apart from any other lock in the shared database.
 */
const PARTITION_MAINTENANCE_LOCK = 'telematics.partition-maintenance';

/**
 * `work` in a transaction holding the maintenance lock. Instances starting together would race
 * on the same CREATE or DROP (and fail on the catalog's unique indexes, or on a parent gone
 * meanwhile): one at a time, and each checks what is still to do once it has the lock.
 */
async function underMaintenanceLock<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL lock_timeout = '5s'`);
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [PARTITION_MAINTENANCE_LOCK]);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Read from pg_class with the statement's snapshot, taken after the lock was granted: it sees
 * what the instance before us committed (to_regclass reads the relation cache, which can still
 * hold the state before).
 */
async function exists(client: PoolClient, relation: string): Promise<boolean> {
  const { rowCount } = await client.query(
    `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'telematics' AND c.relname = $1`,
    [relation],
  );
  return (rowCount ?? 0) > 0;
}

/** Rows moved out of the default partition into the new one; null when another instance made it. */
function createPartition(pool: Pool, table: PartitionedTable, day: Date): Promise<number | null> {
  const name = partitionName(table.name, day);
  const from = day.toISOString();
  const to = new Date(day.getTime() + DAY_MS).toISOString();
  return underMaintenanceLock(pool, async (client) => {
    if (await exists(client, name)) return null;
    await client.query(
      `CREATE TABLE telematics.${name} (LIKE telematics.${table.name} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
    );
    const moved = await client.query(
      `WITH moved AS (DELETE FROM telematics.${table.name}_default
         WHERE ${table.timeColumn} >= $1 AND ${table.timeColumn} < $2 RETURNING *)
       INSERT INTO telematics.${name} SELECT * FROM moved`,
      [from, to],
    );
    await client.query(
      `ALTER TABLE telematics.${table.name} ATTACH PARTITION telematics.${name}
         FOR VALUES FROM ('${from}') TO ('${to}')`,
    );
    return moved.rowCount ?? 0;
  });
}

/** Whether this call dropped the partition (false: another instance did). */
function dropPartition(pool: Pool, name: string): Promise<boolean> {
  return underMaintenanceLock(pool, async (client) => {
    if (!(await exists(client, name))) return false;
    await client.query(`DROP TABLE telematics.${name}`);
    return true;
  });
}

export async function maintainPartitions(
  pool: Pool,
  tables: readonly PartitionedTable[],
  options: { now: Date; aheadDays: number },
): Promise<MaintenanceReport> {
  const report: MaintenanceReport = {
    created: [],
    dropped: [],
    movedFromDefault: 0,
    deletedFromDefault: 0,
  };
  for (const table of tables) {
    const existing = new Set(await existingPartitions(pool, table.name));
    const cutoff =
      table.retentionDays > 0
        ? new Date(dayStart(options.now).getTime() - table.retentionDays * DAY_MS)
        : null;
    for (const day of daysToCreate(options.now, options.aheadDays)) {
      const name = partitionName(table.name, day);
      if (existing.has(name) || (cutoff && day < cutoff)) continue;
      const moved = await createPartition(pool, table, day);
      if (moved === null) continue;
      report.movedFromDefault += moved;
      report.created.push(name);
    }
    if (!cutoff) continue;
    for (const partition of existing) {
      const day = partitionDay(table.name, partition);
      if (day && day.getTime() + DAY_MS <= cutoff.getTime()) {
        if (await dropPartition(pool, partition)) report.dropped.push(partition);
      }
    }
    const kept = table.arrivedAfterCutoff ? `AND NOT ${table.arrivedAfterCutoff}` : '';
    const deleted = await pool.query(
      `DELETE FROM telematics.${table.name}_default AS t WHERE t.${table.timeColumn} < $1 ${kept}`,
      [cutoff],
    );
    report.deletedFromDefault += deleted.rowCount ?? 0;
  }
  return report;
}
