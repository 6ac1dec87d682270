// Tracker ingest benchmark: simulated Navtelecom trackers over TCP through nginx's stream port.
//
//   npm run bench -- ingest [--connections 100,1000] [--seconds S] [--records R] [--paced F]
//
// For each connection count: opens that many simulated trackers (the same encoders as the e2e
// tests) on TRACKER_HOST:TRACKER_PORT, handshake and FLEX negotiation each, then
// 1. saturated: every tracker sends `~A` packets of R records and waits for each acknowledgement
//    before the next, as devices do, with no pause: records/s acknowledged and stored (counted in
//    Postgres afterwards), ACK latency p50/p99/max, and the mean group commit (read from the
//    service's metrics). Beside it the raw rate of the same rows COPYed into the same Postgres:
//    every row the run stored per record (its position, its vehicle-bus values, its share of a
//    raw frame), for as many devices in the order the ingest gets them, into partitioned scratch
//    copies of those tables, batches of that mean size, each its own durable commit, as many
//    connections as the ingest commits with. The ratio of the two is the figure; the raw rate of
//    the position rows alone is printed beside it.
//    With every tracker waiting for its ACK, ACK latency here is queueing: connections x R /
//    throughput (Little's law).
// 2. paced: the same trackers each send one packet per interval, together F (default 0.5) of
//    the saturated rate just measured: ACK latency p50/p99/max at a load the service keeps up with.
// In both, the ACK latencies of a run's first second (every tracker's first packet) are not counted.
// Each measured phase (and the floor) starts right after a CHECKPOINT.
// Postgres must be durable (fsync and synchronous_commit on); the benchmark refuses to run
// otherwise. Deletes its devices at the end. While it measures it reads /proc/<pid>/stat of every
// process and prints the CPU each group used (the service, Postgres, nginx, this client, the
// rest; everything runs on the same cores), in cores and in microseconds per stored record, and
// the CPU Postgres spent per record of the raw COPY (all its rows).
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { BinaryCopyWriter, CopyTransaction, uuidBytes } from '@platform/database';
import { type FlexPositionInput } from '@platform/navtelecom';
import { Client } from 'pg';
import { SimulatedTracker } from '@platform/navtelecom/simulator';
import { cpuCores, cpuPerOperation, cpuSnapshot } from './lib/cpu';
import { fractionOption, integerOption, percentile } from './lib/load';

const USAGE = `usage: npm run bench -- ingest [--connections 100,1000] [--seconds S] [--records R] [--paced F]
  --connections  comma-separated connection counts (default 100,1000, each at most 5000)
  --seconds      measuring time per connection count and mode (default 20, at most 300)
  --records      records per ~A packet (default 10, at most 50)
  --paced        load of the paced run, as a fraction of the saturated rate (default 0.5, 0 skips it)`;

const IMEI_PREFIX = '99';
const LATENCY_WARMUP_MS = 1000;

/**
 * The floor commits on as many connections as the service does: set INGEST_COMMIT_CONCURRENCY
 * here too when the service runs with another value (default and bounds as in its config).
 */
function commitConcurrency(): number {
  const text = process.env['INGEST_COMMIT_CONCURRENCY'] ?? '2';
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 16) {
    throw new Error('INGEST_COMMIT_CONCURRENCY must be an integer in 1..16, as in the service');
  }
  return value;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through npm run bench -- ingest`);
  return value;
}

async function superuser(): Promise<Client> {
  const client = new Client({
    host: env('DATABASE_HOST'),
    port: Number(env('DATABASE_PORT')),
    database: env('DATABASE_NAME'),
    user: env('DATABASE_SUPERUSER'),
    password: env('DATABASE_SUPERUSER_PASSWORD'),
    application_name: 'bench-ingest',
  });
  await client.connect();
  return client;
}

/**
 * A checkpoint before each measured phase: else one started by the previous phase's WAL
 * (max_wal_size) falls into this one, and its writes and full-page images put hundreds of
 * milliseconds into one phase's tail and not the other's.
 */
async function checkpoint(): Promise<void> {
  const client = await superuser();
  try {
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}

function packet(
  imeiIndex: number,
  sequence: number,
  size: number,
  base: number,
): FlexPositionInput[] {
  return Array.from({ length: size }, (_, i) => {
    const index = sequence * size + i;
    const time = new Date(base + index * 1000);
    return {
      index,
      eventCode: 0,
      eventTime: time,
      fixTime: time,
      valid: true,
      satellites: 9,
      latitude: 55 + (imeiIndex % 100) / 100 + index / 1e6,
      longitude: 37 + (imeiIndex % 100) / 100,
      altitudeM: 150,
      speedKmh: 40,
      course: 90,
      odometerKm: 1000 + index / 10,
      mainPowerV: 12.6,
      backupBatteryV: 4.1,
    };
  });
}

/** What the service's own metrics say of its group commits (cumulative since it started). */
interface CommitCounters {
  commits: number;
  records: number;
}

async function commitCounters(): Promise<CommitCounters> {
  const response = await fetch(env('TELEMATICS_METRICS_URL'), {
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`ingest metrics: HTTP ${response.status}`);
  const text = await response.text();
  const sample = (name: string): number => {
    const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    if (!match) throw new Error(`ingest metrics: no ${name}`);
    return Number(match[1]);
  };
  return {
    commits: sample('telematics_batch_size_records_count'),
    records: sample('telematics_batch_size_records_sum'),
  };
}

/** Saturated: each tracker sends as soon as its previous packet was acknowledged. */
type Pacing = { mode: 'saturated' } | { mode: 'paced'; recordsPerSecond: number };

interface IngestRun {
  connections: number;
  mode: Pacing['mode'];
  /** Offered load of a paced run. */
  offeredPerSecond?: number;
  seconds: number;
  recordsAcknowledged: number;
  recordsStored: number;
  /** Every row the run stored (what the raw floor COPYs). */
  rows: StoredRows;
  ackedPerSecond: number;
  storedPerSecond: number;
  /** Mean records per group commit, and commits per second. */
  batchMeanRecords: number;
  commitsPerSecond: number;
  ackP50Ms: number;
  ackP99Ms: number;
  ackMaxMs: number;
  failures: number;
  firstError?: string;
  /** Cores used by each group of processes while the trackers sent. */
  cpu: Record<string, number>;
}

/** The rows a run stored: a position per record, its vehicle-bus values, a raw frame per packet. */
interface StoredRows {
  positions: number;
  busValues: number;
  /** The (name, unit, source) of the vehicle-bus values one record carries. */
  busNames: { name: string; unit: string | null; source: string }[];
  rawFrames: number;
  rawPayloadBytes: number;
  rawReplyBytes: number;
}

async function storedRows(imeiPattern: string): Promise<StoredRows> {
  const db = await superuser();
  try {
    const devices = 'SELECT id FROM telematics.devices WHERE imei LIKE $1';
    const count = async (table: string): Promise<number> => {
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM telematics.${table} WHERE device_id IN (${devices})`,
        [imeiPattern],
      );
      return Number(rows[0]?.n ?? 0);
    };
    const busNames = await db.query<{ name: string; unit: string | null; source: string }>(
      `SELECT DISTINCT name, unit, source FROM telematics.vehicle_bus_values
       WHERE device_id IN (${devices}) ORDER BY name`,
      [imeiPattern],
    );
    const raw = await db.query<{ n: string; payload: string | null; reply: string | null }>(
      `SELECT count(*) AS n, avg(length(payload)) AS payload, avg(length(reply)) AS reply
       FROM telematics.raw_frames WHERE device_id IN (${devices})`,
      [imeiPattern],
    );
    return {
      positions: await count('positions'),
      busValues: await count('vehicle_bus_values'),
      busNames: busNames.rows,
      rawFrames: Number(raw.rows[0]?.n ?? 0),
      rawPayloadBytes: Math.round(Number(raw.rows[0]?.payload ?? 0)),
      rawReplyBytes: Math.round(Number(raw.rows[0]?.reply ?? 0)),
    };
  } finally {
    await db.end();
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function runIngest(
  connections: number,
  seconds: number,
  recordsPerPacket: number,
  runId: string,
  pacing: Pacing,
): Promise<IngestRun> {
  const host = env('TRACKER_HOST');
  const port = Number(env('TRACKER_PORT'));
  const trackers = Array.from(
    { length: connections },
    (_, i) =>
      new SimulatedTracker({
        host,
        port,
        imei: `${IMEI_PREFIX}${runId}${String(i).padStart(5, '0')}`,
      }),
  );
  // connect and negotiate 50 at a time (a reconnect storm is not what is measured)
  for (let i = 0; i < trackers.length; i += 50) {
    await Promise.all(
      trackers.slice(i, i + 50).map(async (tracker) => {
        await tracker.connect();
        await tracker.handshake(15_000);
        await tracker.negotiate(15_000);
      }),
    );
  }
  // paced: one packet per interval per tracker, the trackers' sends spread over the interval
  const intervalMs =
    pacing.mode === 'paced' ? (connections * recordsPerPacket * 1000) / pacing.recordsPerSecond : 0;
  const latencies: number[] = [];
  let acknowledged = 0;
  let failures = 0;
  let firstError: string | undefined;
  const base = Date.now() - 3_600_000;
  await checkpoint();
  const countersBefore = await commitCounters();
  const cpuBefore = cpuSnapshot();
  const begin = performance.now();
  const deadline = begin + seconds * 1000;
  await Promise.all(
    trackers.map(async (tracker, index) => {
      for (let sequence = 0; ; sequence += 1) {
        // a tracker whose ACK came late sends at once (as one draining its black box does)
        const due = begin + (index / connections + sequence) * intervalMs;
        if (due >= deadline) return;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        if (performance.now() >= deadline) return;
        const records = packet(index, sequence, recordsPerPacket, base);
        const sent = performance.now();
        try {
          await tracker.sendArray(records, 30_000);
          // the first second of a run (every tracker's first packet at once) is not the steady state
          if (sent - begin >= LATENCY_WARMUP_MS) latencies.push(performance.now() - sent);
          acknowledged += records.length;
        } catch (error) {
          failures += 1;
          firstError ??= error instanceof Error ? error.message : String(error);
          return;
        }
      }
    }),
  );
  const elapsed = (performance.now() - begin) / 1000;
  const cpu = cpuCores(cpuBefore, cpuSnapshot(), elapsed);
  const countersAfter = await commitCounters();
  for (const tracker of trackers) tracker.close();
  const stored = await storedRows(`${IMEI_PREFIX}${runId}%`);
  latencies.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  const commits = countersAfter.commits - countersBefore.commits;
  return {
    connections,
    mode: pacing.mode,
    ...(pacing.mode === 'paced' ? { offeredPerSecond: Math.round(pacing.recordsPerSecond) } : {}),
    seconds: round(elapsed),
    recordsAcknowledged: acknowledged,
    recordsStored: stored.positions,
    rows: stored,
    ackedPerSecond: Math.round(acknowledged / elapsed),
    storedPerSecond: Math.round(stored.positions / elapsed),
    batchMeanRecords:
      commits > 0 ? round((countersAfter.records - countersBefore.records) / commits) : 0,
    commitsPerSecond: round(commits / elapsed),
    ackP50Ms: round(percentile(latencies, 50)),
    ackP99Ms: round(percentile(latencies, 99)),
    ackMaxMs: round(latencies[latencies.length - 1] ?? Number.NaN),
    failures,
    ...(firstError ? { firstError } : {}),
    cpu,
  };
}

interface RawCopy {
  /** Records per second: a record's position row with its vehicle-bus rows and raw-frame share. */
  perSecond: number;
  /** Position rows alone (no vehicle-bus values, no raw frames), for comparison. */
  positionsOnlyPerSecond: number;
  /** Microseconds of Postgres CPU per record COPYed (all its rows). */
  postgresUsPerRecord: number;
}

const RAW_TABLES = {
  positions: 'telematics.bench_copy_positions',
  busValues: 'telematics.bench_copy_vehicle_bus_values',
  rawFrames: 'telematics.bench_copy_raw_frames',
} as const;

/**
 * A scratch copy of each table the ingest writes: same columns, defaults, keys and indexes, range
 * partitioned on the same column (one partition holds everything).
 */
async function createScratchTables(db: Client): Promise<void> {
  await dropScratchTables(db);
  for (const [scratch, source, key] of [
    [RAW_TABLES.positions, 'positions', 'event_time'],
    [RAW_TABLES.busValues, 'vehicle_bus_values', 'event_time'],
    [RAW_TABLES.rawFrames, 'raw_frames', 'received_at'],
  ] as const) {
    await db.query(
      `CREATE TABLE ${scratch} (LIKE telematics.${source} INCLUDING ALL) PARTITION BY RANGE (${key})`,
    );
    await db.query(
      `CREATE TABLE ${scratch}_all PARTITION OF ${scratch} FOR VALUES FROM (MINVALUE) TO (MAXVALUE)`,
    );
  }
}

async function dropScratchTables(db: Client): Promise<void> {
  for (const table of Object.values(RAW_TABLES)) await db.query(`DROP TABLE IF EXISTS ${table}`);
}

/** One transaction's COPY texts, per table. */
interface RawBatch {
  positions: Buffer;
  busValues: Buffer | null;
  rawFrames: Buffer | null;
}

/**
 * The rows a run stored, rebuilt: as many devices, each device's records in its packets' order,
 * the packets of the devices taking turns as they reach the ingest, each record with the run's
 * vehicle-bus values, a raw frame (the run's mean sizes) per `recordsPerPacket` records. In
 * batches of `batchRecords` records, built before any clock starts.
 */
function rawBatches(
  records: number,
  batchRecords: number,
  connections: number,
  recordsPerPacket: number,
  stored: StoredRows,
  withExtras: boolean,
): RawBatch[] {
  const devices = Array.from({ length: connections }, () => uuidBytes(randomUUID()));
  const base = Date.now() - 3_600_000;
  const receivedAt = new Date();
  const payload = Buffer.alloc(stored.rawPayloadBytes, 0x5a);
  const reply = stored.rawReplyBytes > 0 ? Buffer.alloc(stored.rawReplyBytes, 0x5a) : null;
  const withRawFrames = withExtras && stored.rawFrames > 0;
  const batches: RawBatch[] = [];
  for (let start = 0; start < records; start += batchRecords) {
    const positions = new BinaryCopyWriter();
    const busValues = withExtras && stored.busNames.length > 0 ? new BinaryCopyWriter() : null;
    const rawFrames = withRawFrames ? new BinaryCopyWriter() : null;
    for (let row = start; row < Math.min(records, start + batchRecords); row += 1) {
      const packetNumber = Math.floor(row / recordsPerPacket);
      const deviceNumber = packetNumber % connections;
      const device = devices[deviceNumber] as Buffer;
      const index =
        Math.floor(packetNumber / connections) * recordsPerPacket + (row % recordsPerPacket);
      const time = new Date(base + index * 1000);
      // the columns of POSITION_COLUMNS, NULL where the packets have no value
      positions
        .row(22)
        .uuid(device)
        .timestamptz(time)
        .int8(index)
        .timestamptz(receivedAt)
        .text('flex-A')
        .int4(0)
        .timestamptz(time)
        .bool(true)
        .int2(9)
        .float8(55 + (deviceNumber % 100) / 100 + index / 1e6)
        .float8(37 + (deviceNumber % 100) / 100)
        .float4(150)
        .float4(40)
        .int2(90)
        .float8(1000 + index / 10)
        .null()
        .null()
        .null()
        .float4(12.6)
        .float4(4.1)
        .null()
        .null();
      for (const bus of busValues ? stored.busNames : []) {
        busValues
          ?.row(7)
          .uuid(device)
          .timestamptz(time)
          .int8(index)
          .text(bus.name)
          .float8(1500)
          .text(bus.unit)
          .text(bus.source);
      }
      if (rawFrames && row % recordsPerPacket === 0) {
        rawFrames
          .row(5)
          .uuid(device)
          .timestamptz(receivedAt)
          .text('flex-A')
          .bytea(payload)
          .bytea(reply);
      }
    }
    batches.push({
      positions: positions.finish(),
      busValues: busValues?.finish() ?? null,
      rawFrames: rawFrames?.finish() ?? null,
    });
  }
  return batches;
}

/** COPYs `batches` with as many connections as the ingest commits with; records per second. */
async function copyBatches(
  batches: readonly RawBatch[],
  records: number,
  concurrency: number,
): Promise<{ perSecond: number; postgresCores: number; seconds: number }> {
  const clients = await Promise.all(Array.from({ length: concurrency }, () => superuser()));
  let next = 0;
  await checkpoint();
  const cpuBefore = cpuSnapshot();
  const begin = performance.now();
  try {
    await Promise.all(
      clients.map(async (client) => {
        for (let batch = batches[next++]; batch; batch = batches[next++]) {
          // one transaction, as the ingest commits it (BEGIN and COMMIT ride on the COPYs)
          const transaction = new CopyTransaction(client);
          const copies: [string, string, Buffer][] = [
            [RAW_TABLES.positions, POSITION_COLUMNS, batch.positions],
          ];
          if (batch.busValues)
            copies.push([RAW_TABLES.busValues, BUS_VALUE_COLUMNS, batch.busValues]);
          if (batch.rawFrames)
            copies.push([RAW_TABLES.rawFrames, RAW_FRAME_COLUMNS, batch.rawFrames]);
          for (const [i, [table, columns, data]] of copies.entries()) {
            const sql = `COPY ${table} (${columns}) FROM STDIN (FORMAT binary)`;
            await transaction.copy(sql, data, i === copies.length - 1);
          }
        }
      }),
    );
    const seconds = (performance.now() - begin) / 1000;
    const cpu = cpuCores(cpuBefore, cpuSnapshot(), seconds);
    return {
      perSecond: Math.round(records / seconds),
      postgresCores: cpu['postgres'] ?? 0,
      seconds,
    };
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

const POSITION_COLUMNS =
  'device_id, event_time, record_index, received_at, source, event_code, fix_time, valid, ' +
  'satellites, latitude, longitude, altitude_m, speed_kmh, course, odometer_km, hdop, gsm_level, ' +
  'device_status, main_power_v, backup_battery_v, digital_inputs, digital_outputs';
const BUS_VALUE_COLUMNS = 'device_id, event_time, record_index, name, value, unit, source';
const RAW_FRAME_COLUMNS = 'device_id, received_at, frame_type, payload, reply';

/**
 * The raw rate of the rows a run stored, COPYed (binary format, as the ingest does) into scratch copies of the same
 * tables in the same Postgres, each batch its own durable transaction: once with every row the
 * ingest wrote, once with the position rows alone.
 */
async function rawCopyRate(
  records: number,
  batchRecords: number,
  connections: number,
  recordsPerPacket: number,
  stored: StoredRows,
  concurrency: number,
): Promise<RawCopy> {
  const setup = await superuser();
  try {
    await createScratchTables(setup);
    const all = await copyBatches(
      rawBatches(records, batchRecords, connections, recordsPerPacket, stored, true),
      records,
      concurrency,
    );
    await dropScratchTables(setup);
    await createScratchTables(setup);
    const positionsOnly = await copyBatches(
      rawBatches(records, batchRecords, connections, recordsPerPacket, stored, false),
      records,
      concurrency,
    );
    return {
      perSecond: all.perSecond,
      positionsOnlyPerSecond: positionsOnly.perSecond,
      postgresUsPerRecord:
        Math.round(((all.postgresCores * all.seconds * 1e6) / records) * 10) / 10,
    };
  } finally {
    await dropScratchTables(setup);
    await setup.end();
  }
}

async function cleanup(runId: string): Promise<void> {
  const db = await superuser();
  try {
    const pattern = `${IMEI_PREFIX}${runId}%`;
    for (const table of ['positions', 'vehicle_bus_values', 'raw_frames', 'events']) {
      await db.query(
        `DELETE FROM telematics.${table} WHERE device_id IN (SELECT id FROM telematics.devices WHERE imei LIKE $1)`,
        [pattern],
      );
    }
    await db.query(`DELETE FROM telematics.devices WHERE imei LIKE $1`, [pattern]);
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string' },
      seconds: { type: 'string' },
      records: { type: 'string' },
      paced: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const counts = (values.connections ?? '100,1000')
    .split(',')
    .map((text) => integerOption('connections', text, 100, 5000, USAGE));
  const seconds = integerOption('seconds', values.seconds, 20, 300, USAGE);
  const recordsPerPacket = integerOption('records', values.records, 10, 50, USAGE);
  const pacedFraction = fractionOption('paced', values.paced, 0.5, USAGE);
  const concurrency = commitConcurrency();

  const db = await superuser();
  const durability = (
    await db.query<{ fsync: string; sc: string }>(
      `SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc`,
    )
  ).rows[0];
  await db.end();
  if (durability?.fsync !== 'on' || durability.sc !== 'on') {
    throw new Error(
      `Postgres is not durable (fsync=${durability?.fsync}, synchronous_commit=${durability?.sc}): ` +
        'the stack was started for `platform.sh test`; restart it with `platform.sh restart` first',
    );
  }

  const runId = String(Date.now() % 1_000_000).padStart(6, '0');
  const saturated: (IngestRun & { raw: RawCopy; ratioToRaw: number })[] = [];
  const paced: IngestRun[] = [];
  try {
    for (const [step, connections] of counts.entries()) {
      // one IMEI prefix per run: the rows counted are this run's only
      const run = await runIngest(connections, seconds, recordsPerPacket, `${runId}${step}0`, {
        mode: 'saturated',
      });
      // the raw rate of as many rows, in batches of the ingest's mean group commit of this run
      const raw = await rawCopyRate(
        Math.max(run.recordsStored, 20_000),
        Math.max(recordsPerPacket, Math.round(run.batchMeanRecords)),
        connections,
        recordsPerPacket,
        run.rows,
        concurrency,
      );
      saturated.push({
        ...run,
        raw,
        ratioToRaw: Math.round((run.storedPerSecond / raw.perSecond) * 1000) / 1000,
      });
      if (pacedFraction > 0) {
        paced.push(
          await runIngest(connections, seconds, recordsPerPacket, `${runId}${step}1`, {
            mode: 'paced',
            recordsPerSecond: Math.max(1, run.storedPerSecond * pacedFraction),
          }),
        );
      }
    }
  } finally {
    await cleanup(runId);
  }
  console.log(
    `ingest through nginx ${env('TRACKER_HOST')}:${env('TRACKER_PORT')}, ${recordsPerPacket} records per ~A, fsync and synchronous_commit on, floor on ${concurrency} connections (INGEST_COMMIT_CONCURRENCY)`,
  );
  console.log('saturated (each tracker sends again as soon as it is acknowledged):');
  console.table(
    saturated.map((r) => ({
      connections: r.connections,
      s: r.seconds,
      'acked rec/s': r.ackedPerSecond,
      'stored rec/s': r.storedPerSecond,
      'rec/commit': r.batchMeanRecords,
      'raw COPY rec/s': r.raw.perSecond,
      'ratio to raw': r.ratioToRaw,
      'raw positions only': r.raw.positionsOnlyPerSecond,
      'ACK p50 ms': r.ackP50Ms,
      'ACK p99 ms': r.ackP99Ms,
      'ACK max ms': r.ackMaxMs,
      failures: r.failures,
    })),
  );
  if (paced.length > 0) {
    console.log(
      `paced (one packet per tracker per interval, ${pacedFraction} of the saturated rate):`,
    );
    console.table(
      paced.map((r) => ({
        connections: r.connections,
        s: r.seconds,
        'offered rec/s': r.offeredPerSecond,
        'stored rec/s': r.storedPerSecond,
        'rec/commit': r.batchMeanRecords,
        'ACK p50 ms': r.ackP50Ms,
        'ACK p99 ms': r.ackP99Ms,
        'ACK max ms': r.ackMaxMs,
        failures: r.failures,
      })),
    );
  }
  console.log(`CPU while sending saturated, in cores (of ${os.availableParallelism()}):`);
  console.table(saturated.map((r) => ({ connections: r.connections, ...r.cpu })));
  console.log(
    'CPU per stored record, saturated, in microseconds (raw COPY: what Postgres spent per record):',
  );
  console.table(
    saturated.map((r) => ({
      connections: r.connections,
      ...cpuPerOperation(r.cpu, r.seconds, r.recordsStored, 1e6),
      'raw COPY postgres': r.raw.postgresUsPerRecord,
    })),
  );
  const all = [...saturated, ...paced];
  for (const r of all)
    if (r.firstError) console.log(`${r.connections} ${r.mode}: first failure: ${r.firstError}`);
  console.log(
    JSON.stringify({ benchmark: 'ingest', recordsPerPacket, pacedFraction, saturated, paced }),
  );
  if (all.some((r) => r.failures > 0 || r.recordsStored !== r.recordsAcknowledged))
    process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
