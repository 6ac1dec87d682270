// Tracker ingest benchmark: simulated Navtelecom trackers over TCP through nginx's stream port.
//
//   npm run bench -- ingest [--connections 100,1000] [--seconds S] [--records R]
//
// For each connection count: opens that many simulated trackers (the same encoders as the e2e
// tests) on TRACKER_HOST:TRACKER_PORT, handshake and FLEX negotiation each, then every tracker
// sends `~A` packets of R records and waits for each acknowledgement before the next, as devices
// do. Prints records/s acknowledged, records/s stored (counted in Postgres afterwards), ACK
// latency p50/p99/max, and beside it the raw rate of the same rows COPYed into the same Postgres
// (a scratch copy of telematics.positions, batches of the same size, each its own durable commit,
// as many connections as the ingest commits with). Postgres must be durable (fsync and
// synchronous_commit on); the benchmark refuses to run otherwise. Deletes its devices at the end.
// While it measures it reads /proc/<pid>/stat of every process and prints the CPU each group used
// (the service, Postgres, nginx, this client, the rest): everything runs on the same cores.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { type FlexPositionInput } from '@platform/navtelecom';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { SimulatedTracker } from '@platform/navtelecom/simulator';
import { integerOption, percentile } from './lib/load';

const USAGE = `usage: npm run bench -- ingest [--connections 100,1000] [--seconds S] [--records R]
  --connections  comma-separated connection counts (default 100,1000, each at most 5000)
  --seconds      measuring time per connection count (default 20, at most 300)
  --records      records per ~A packet (default 10, at most 50)`;

const IMEI_PREFIX = '99';
const COMMIT_CONCURRENCY = 2; // INGEST_COMMIT_CONCURRENCY's default

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

/** CPU groups of the /proc accounting: what one process belongs to. */
type CpuGroup =
  | 'telematics-ingest'
  | 'postgres'
  | 'nginx'
  | 'bench client'
  | 'redis'
  | 'other'
  | 'interrupts'
  | 'idle';

const CPU_GROUPS: readonly CpuGroup[] = [
  'telematics-ingest',
  'postgres',
  'nginx',
  'bench client',
  'redis',
  'other',
  'interrupts',
  'idle',
];

/**
 * utime + stime of every process, in clock ticks, with its group; and under the pseudo pids -1
 * and -2 the machine's idle (+ iowait) and interrupt (irq + softirq) time from /proc/stat, which
 * no process is charged with.
 */
function cpuSnapshot(): Map<number, { group: CpuGroup; ticks: number }> {
  const snapshot = new Map<number, { group: CpuGroup; ticks: number }>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
    const [, , , , idle, iowait, irq, softirq] = (
      readFileSync('/proc/stat', 'latin1').split('\n')[0] ?? ''
    )
      .split(/\s+/)
      .map(Number);
    snapshot.set(-1, { group: 'idle', ticks: (idle ?? 0) + (iowait ?? 0) });
    snapshot.set(-2, { group: 'interrupts', ticks: (irq ?? 0) + (softirq ?? 0) });
  } catch {
    return snapshot; // no /proc: no accounting
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      snapshot.set(Number(pid), { group: cpuGroupOf(Number(pid), comm, cmdline), ticks });
    } catch {
      // the process ended meanwhile
    }
  }
  return snapshot;
}

function cpuGroupOf(pid: number, comm: string, cmdline: string): CpuGroup {
  if (pid === process.pid) return 'bench client';
  if (cmdline.includes('services/telematics-ingest/')) return 'telematics-ingest';
  if (comm === 'postgres' || cmdline.startsWith('postgres')) return 'postgres';
  if (comm.startsWith('nginx')) return 'nginx';
  if (comm.startsWith('redis')) return 'redis';
  return 'other';
}

/** Cores each group used between two snapshots (a process started meanwhile counts whole). */
function cpuCores(
  before: Map<number, { group: CpuGroup; ticks: number }>,
  after: Map<number, { group: CpuGroup; ticks: number }>,
  seconds: number,
): Record<CpuGroup, number> {
  const ticksPerSecond = 100; // USER_HZ on Linux
  const cores = Object.fromEntries(CPU_GROUPS.map((group) => [group, 0])) as Record<
    CpuGroup,
    number
  >;
  for (const [pid, { group, ticks }] of after) {
    const start = before.get(pid)?.ticks ?? 0;
    cores[group] += (ticks - start) / ticksPerSecond / seconds;
  }
  for (const group of CPU_GROUPS) cores[group] = Math.round(cores[group] * 100) / 100;
  return cores;
}

interface IngestRun {
  connections: number;
  seconds: number;
  recordsAcknowledged: number;
  recordsStored: number;
  ackedPerSecond: number;
  storedPerSecond: number;
  ackP50Ms: number;
  ackP99Ms: number;
  ackMaxMs: number;
  failures: number;
  firstError?: string;
  /** Cores used by each group of processes while the trackers sent. */
  cpu: Record<CpuGroup, number>;
}

async function runIngest(
  connections: number,
  seconds: number,
  recordsPerPacket: number,
  runId: string,
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
  const latencies: number[] = [];
  let acknowledged = 0;
  let failures = 0;
  let firstError: string | undefined;
  const base = Date.now() - 3_600_000;
  const cpuBefore = cpuSnapshot();
  const begin = performance.now();
  const deadline = begin + seconds * 1000;
  await Promise.all(
    trackers.map(async (tracker, index) => {
      for (let sequence = 0; performance.now() < deadline; sequence += 1) {
        const records = packet(index, sequence, recordsPerPacket, base);
        const sent = performance.now();
        try {
          await tracker.sendArray(records, 30_000);
          latencies.push(performance.now() - sent);
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
  for (const tracker of trackers) tracker.close();
  const db = await superuser();
  const stored = await db
    .query<{ n: string }>(
      `SELECT count(*) AS n FROM telematics.positions p JOIN telematics.devices d ON d.id = p.device_id
       WHERE d.imei LIKE $1`,
      [`${IMEI_PREFIX}${runId}%`],
    )
    .then(({ rows }) => Number(rows[0]?.n ?? 0))
    .finally(() => db.end());
  latencies.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    connections,
    seconds: round(elapsed),
    recordsAcknowledged: acknowledged,
    recordsStored: stored,
    ackedPerSecond: Math.round(acknowledged / elapsed),
    storedPerSecond: Math.round(stored / elapsed),
    ackP50Ms: round(percentile(latencies, 50)),
    ackP99Ms: round(percentile(latencies, 99)),
    ackMaxMs: round(latencies[latencies.length - 1] ?? Number.NaN),
    failures,
    ...(firstError ? { firstError } : {}),
    cpu,
  };
}

/** The same rows COPYed into a scratch copy of telematics.positions, batch by batch, durably. */
async function rawCopyRate(rows: number, batchRows: number): Promise<number> {
  const setup = await superuser();
  const table = 'telematics.bench_positions_copy';
  await setup.query(`DROP TABLE IF EXISTS ${table}`);
  await setup.query(`CREATE TABLE ${table} (LIKE telematics.positions INCLUDING ALL)`);
  const device = '00000000-0000-4000-8000-000000000001';
  const now = Date.now();
  const line = (i: number): string =>
    [
      device,
      new Date(now + i * 1000).toISOString(),
      i,
      new Date().toISOString(),
      'flex-A',
      0,
      new Date(now + i * 1000).toISOString(),
      't',
      9,
      55.5 + i / 1e6,
      37.5,
      150,
      40,
      90,
      1000,
      '\\N',
      '\\N',
      '\\N',
      12.6,
      4.1,
      '\\N',
      '\\N',
    ].join('\t') + '\n';
  const clients = await Promise.all(Array.from({ length: COMMIT_CONCURRENCY }, () => superuser()));
  let next = 0;
  const begin = performance.now();
  try {
    await Promise.all(
      clients.map(async (client) => {
        while (next < rows) {
          const start = next;
          next += batchRows;
          const text = Array.from({ length: Math.min(batchRows, rows - start) }, (_, k) =>
            line(start + k),
          ).join('');
          await client.query('BEGIN');
          await pipeline(Readable.from([text]), client.query(copyFrom(`COPY ${table} FROM STDIN`)));
          await client.query('COMMIT');
        }
      }),
    );
    return Math.round(rows / ((performance.now() - begin) / 1000));
  } finally {
    await Promise.all(clients.map((client) => client.end()));
    await setup.query(`DROP TABLE IF EXISTS ${table}`);
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
  const results: (IngestRun & { rawCopyPerSecond: number; ratioToRaw: number })[] = [];
  try {
    for (const [step, connections] of counts.entries()) {
      // one IMEI prefix per step: the rows counted are this step's only
      const run = await runIngest(connections, seconds, recordsPerPacket, `${runId}${step}`);
      // the raw rate of as many rows, batches of the ingest's mean batch at this load
      const raw = await rawCopyRate(
        Math.max(run.recordsStored, 20_000),
        Math.max(
          recordsPerPacket,
          Math.min(2000, Math.round((connections * recordsPerPacket) / 4)),
        ),
      );
      results.push({
        ...run,
        rawCopyPerSecond: raw,
        ratioToRaw: Math.round((run.storedPerSecond / raw) * 1000) / 1000,
      });
    }
  } finally {
    await cleanup(runId);
  }
  console.log(
    `ingest through nginx ${env('TRACKER_HOST')}:${env('TRACKER_PORT')}, ${recordsPerPacket} records per ~A, fsync and synchronous_commit on`,
  );
  console.table(
    results.map((r) => ({
      connections: r.connections,
      s: r.seconds,
      'acked rec/s': r.ackedPerSecond,
      'stored rec/s': r.storedPerSecond,
      'raw COPY rec/s': r.rawCopyPerSecond,
      'ratio to raw': r.ratioToRaw,
      'ACK p50 ms': r.ackP50Ms,
      'ACK p99 ms': r.ackP99Ms,
      'ACK max ms': r.ackMaxMs,
      failures: r.failures,
    })),
  );
  console.log(`CPU while sending, in cores (of ${os.availableParallelism()}):`);
  console.table(results.map((r) => ({ connections: r.connections, ...r.cpu })));
  for (const r of results)
    if (r.firstError) console.log(`${r.connections}: first failure: ${r.firstError}`);
  console.log(JSON.stringify({ benchmark: 'ingest', recordsPerPacket, results }));
  if (results.some((r) => r.failures > 0 || r.recordsStored !== r.recordsAcknowledged))
    process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
