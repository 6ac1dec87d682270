// The load loop, the bare-endpoint floor and the report every HTTP benchmark shares.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { cpuCores, cpuPerOperation, cpuSnapshot } from './cpu';

export interface LoadOptions {
  /** Operations in flight. */
  concurrency: number;
  /** Operations to run at most. */
  count: number;
  /** Time budget in seconds. */
  seconds: number;
}

export interface LoadResult {
  name: string;
  operations: number;
  failures: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Cores each process group used meanwhile (lib/cpu.ts). */
  cpu: Record<string, number>;
  firstError?: string;
}

/** An operation that throws `{status: 429}` stops the run: a benchmark must not measure refusals. */
export class RateLimitedDuringBenchmark extends Error {}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

const round = (value: number, digits = 1): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

/**
 * Runs `operation(worker, sequence)` with `concurrency` workers until `count` operations started or
 * `seconds` passed. `makeWorker` builds each worker's own state (e.g. a client with its session).
 */
export async function runLoad<W>(
  name: string,
  options: LoadOptions,
  makeWorker: (index: number) => W | Promise<W>,
  operation: (worker: W, sequence: number) => Promise<void>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let firstError: string | undefined;
  let started = 0;
  const workers = await Promise.all(
    Array.from({ length: options.concurrency }, (_, index) => makeWorker(index)),
  );
  const cpuBefore = cpuSnapshot();
  const begin = performance.now();
  const deadline = begin + options.seconds * 1000;
  const loop = async (worker: W): Promise<void> => {
    while (started < options.count && performance.now() < deadline) {
      const sequence = started++;
      const t0 = performance.now();
      try {
        await operation(worker, sequence);
        latencies.push(performance.now() - t0);
      } catch (error) {
        failures++;
        const { status, code, message } = error as {
          status?: number;
          code?: string;
          message?: string;
        };
        firstError ??= `${status ?? ''} ${code ?? ''} ${message ?? String(error)}`.trim();
        if (status === 429) throw new RateLimitedDuringBenchmark(`${name}: ${firstError}`);
      }
    }
  };
  await Promise.all(workers.map(loop));
  const seconds = (performance.now() - begin) / 1000;
  const cpu = cpuCores(cpuBefore, cpuSnapshot(), seconds);
  latencies.sort((a, b) => a - b);
  return {
    name,
    operations: latencies.length,
    failures,
    seconds: round(seconds, 2),
    perSecond: round(latencies.length / seconds),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies.at(-1) ?? Number.NaN),
    cpu,
    ...(firstError ? { firstError } : {}),
  };
}

/**
 * The floor: the rate of a bare endpoint (liveness, no dependency) through the same gateway, with
 * the same client and concurrency, measured in the same run. Each benchmark's figure is printed as
 * a ratio to it, so runs on a busier or quieter machine stay comparable.
 */
export function measureBareEndpoint(
  gatewayUrl: string,
  options: LoadOptions,
  path = '/base_api/health',
): Promise<LoadResult> {
  return runLoad(
    `bare GET ${path}`,
    options,
    () => undefined,
    async () => {
      const response = await fetch(`${gatewayUrl}${path}`);
      await response.arrayBuffer();
      if (!response.ok) throw Object.assign(new Error('bare endpoint failed'), response);
    },
  );
}

export interface Report {
  benchmark: string;
  gatewayUrl: string;
  concurrency: number;
  floor: LoadResult;
  results: (LoadResult & { ratioToFloor: number })[];
}

export function report(
  benchmark: string,
  gatewayUrl: string,
  concurrency: number,
  floor: LoadResult,
  results: LoadResult[],
): Report {
  return {
    benchmark,
    gatewayUrl,
    concurrency,
    floor,
    results: results.map((result) => ({
      ...result,
      ratioToFloor: round(result.perSecond / floor.perSecond, 3),
    })),
  };
}

/** A table for people, then the same figures as one JSON line for tools. */
export function printReport(outcome: Report, unit: string): void {
  console.log(
    `${outcome.benchmark} through ${outcome.gatewayUrl}, concurrency ${outcome.concurrency}`,
  );
  console.table(
    [{ ...outcome.floor, ratioToFloor: 1 }, ...outcome.results].map((r) => ({
      what: r.name,
      [unit]: r.operations,
      failures: r.failures,
      s: r.seconds,
      [`${unit}/s`]: r.perSecond,
      'ratio to bare': r.ratioToFloor,
      'p50 ms': r.p50Ms,
      'p99 ms': r.p99Ms,
      'max ms': r.maxMs,
    })),
  );
  console.log(`CPU per ${unit.replace(/s$/, '')} in ms, by process group (all on the same cores):`);
  console.table(
    [outcome.floor, ...outcome.results].map((r) => ({
      what: r.name,
      ...cpuPerOperation(r.cpu, r.seconds, r.operations, 1e3),
    })),
  );
  for (const r of outcome.results) {
    if (r.firstError) console.log(`${r.name}: first failure: ${r.firstError}`);
  }
  console.log(JSON.stringify(outcome));
}

/** A command-line integer in 0..max (`fallback` when absent); anything else stops with the usage. */
export function integerOption(
  name: string,
  text: string | undefined,
  fallback: number,
  max: number,
  usage: string,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new Error(`--${name} must be an integer in 0..${max}\n${usage}`);
  }
  return value;
}

/** A command-line number in 0..1 (`fallback` when absent); anything else stops with the usage. */
export function fractionOption(
  name: string,
  text: string | undefined,
  fallback: number,
  usage: string,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new Error(`--${name} must be a number in 0..1\n${usage}`);
  }
  return value;
}

export interface IntegerSpec {
  fallback: number;
  max: number;
  /** Values below it are raised to it (default 0). */
  min?: number;
}

export type BenchOptions<K extends string> = LoadOptions & {
  gatewayUrl: string;
  /** The benchmark's own text options, as given. */
  text: Record<string, string | undefined>;
} & Record<K, number>;

/**
 * The command line of an HTTP benchmark: `--count`, `--concurrency`, `--seconds` and
 * `--gateway-url` (loopback only) for every one, plus its own integer and text options. Null for
 * `--help`; an unknown or out-of-range option throws with the usage.
 */
export function parseBenchOptions<K extends string = never>(
  usage: string,
  common: Record<'count' | 'concurrency' | 'seconds', IntegerSpec>,
  own: Record<K, IntegerSpec> = {} as Record<K, IntegerSpec>,
  textOptions: readonly string[] = [],
  args: string[] = process.argv.slice(2),
): BenchOptions<K> | null {
  const integers = { ...common, ...own } as Record<string, IntegerSpec>;
  const values: Record<string, string | boolean | undefined> = parseArgs({
    args,
    options: Object.fromEntries([
      ...[...Object.keys(integers), ...textOptions, 'gateway-url'].map((name) => [
        name,
        { type: 'string' as const },
      ]),
      ['help', { type: 'boolean' as const }],
    ]),
    strict: true,
  }).values as Record<string, string | boolean | undefined>;
  if (values['help']) return null;
  const text = (name: string) => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const numbers = Object.fromEntries(
    Object.entries(integers).map(([name, spec]) => [
      name,
      Math.max(spec.min ?? 0, integerOption(name, text(name), spec.fallback, spec.max, usage)),
    ]),
  );
  return {
    ...(numbers as LoadOptions & Record<K, number>),
    gatewayUrl: loopbackGateway(text('gateway-url')),
    text: Object.fromEntries(textOptions.map((name) => [name, text(name)])),
  };
}

/** Benchmarks send traffic to this machine only. */
export function loopbackGateway(url: string | undefined): string {
  const gatewayUrl = (url ?? process.env['GATEWAY_URL'] ?? 'http://127.0.0.1:8080').replace(
    /\/+$/,
    '',
  );
  const host = new URL(gatewayUrl).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
    throw new Error(`refusing to benchmark ${gatewayUrl}: loopback gateways only`);
  }
  return gatewayUrl;
}
