// Where a benchmark's CPU went: utime + stime of every process from /proc, grouped (each platform
// service, Postgres, nginx, Redis, Keycloak, ChromaDB, this client, the rest), plus the machine's
// idle and interrupt time from /proc/stat, which no process is charged with. Everything of the
// local stack runs on the same cores, so a figure per operation says what it costs in total.
import { readdirSync, readFileSync } from 'node:fs';

/** A group's CPU ticks at one moment, by pid (-1: the machine's idle, -2: its interrupts). */
export type CpuSnapshot = Map<number, { group: string; ticks: number }>;

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
export const IDLE = 'idle';
export const INTERRUPTS = 'interrupts';
export const BENCH_CLIENT = 'bench client';

export function cpuGroupOf(pid: number, comm: string, cmdline: string): string {
  if (pid === process.pid) return BENCH_CLIENT;
  const service = /dist\/services\/([a-z-]+)\//.exec(cmdline);
  if (service) return service[1] as string;
  if (comm === 'postgres' || cmdline.startsWith('postgres')) return 'postgres';
  if (comm.startsWith('nginx')) return 'nginx';
  if (comm.startsWith('redis')) return 'redis';
  if (cmdline.includes('keycloak')) return 'keycloak';
  if (cmdline.includes('chroma')) return 'chroma';
  return 'other';
}

/** Every process's ticks now; empty where there is no /proc (no accounting then). */
export function cpuSnapshot(): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
    const [, , , , idle, iowait, irq, softirq] = (
      readFileSync('/proc/stat', 'latin1').split('\n')[0] ?? ''
    )
      .split(/\s+/)
      .map(Number);
    snapshot.set(-1, { group: IDLE, ticks: (idle ?? 0) + (iowait ?? 0) });
    snapshot.set(-2, { group: INTERRUPTS, ticks: (irq ?? 0) + (softirq ?? 0) });
  } catch {
    return snapshot;
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

/**
 * Cores each group used between two snapshots, rounded to 0.01, groups that used none left out
 * (a process started meanwhile counts whole).
 */
export function cpuCores(
  before: CpuSnapshot,
  after: CpuSnapshot,
  seconds: number,
): Record<string, number> {
  const cores: Record<string, number> = {};
  for (const [pid, { group, ticks }] of after) {
    const used = (ticks - (before.get(pid)?.ticks ?? 0)) / TICKS_PER_SECOND / seconds;
    cores[group] = (cores[group] ?? 0) + used;
  }
  for (const [group, used] of Object.entries(cores)) {
    const rounded = Math.round(used * 100) / 100;
    if (rounded > 0) cores[group] = rounded;
    else delete cores[group];
  }
  return cores;
}

/** CPU per operation in `unit` (1e3: milliseconds, 1e6: microseconds), idle left out. */
export function cpuPerOperation(
  cores: Record<string, number>,
  seconds: number,
  operations: number,
  unit: number,
): Record<string, number> {
  const perOperation: Record<string, number> = {};
  for (const [group, used] of Object.entries(cores)) {
    if (group === IDLE) continue;
    perOperation[group] =
      Math.round(((used * seconds * unit) / Math.max(1, operations)) * 100) / 100;
  }
  return perOperation;
}
