// Robot login benchmark: full device logins through the Nginx gateway of a local stack.
//
//   node --import ./scripts/node-ts-paths.mjs scripts/bench/robot-login.ts [options]
//
// Provisions one RSA-2048 robot and one Ed25519 robot (an engineer made through the back office
// with a Keycloak admin token, or BENCH_ENGINEER_LOGIN / BENCH_ENGINEER_PASSWORD), then, for each
// mode, runs up to --count full logins (both round trips) with --concurrency in flight, for at most
// --seconds, and prints logins/s, p50 and p99 latency. Loopback only. The stack's login rate limits
// must be raised first (scripts/bench/README.md). Deletes what it created at the end.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DeviceClient, type DeviceKeyPair } from '../device-client/device-client';

const MODES = ['challenge-rsa2048', 'signature-rsa2048', 'signature-ed25519'] as const;
type Mode = (typeof MODES)[number];

const USAGE = `usage: robot-login.ts [--count N] [--concurrency C] [--seconds S] [--warmup W]
                      [--modes ${MODES.join(',')}] [--gateway-url URL] [--json]
  --count        logins per mode (default 2000, at most 100000)
  --concurrency  logins in flight (default 8, at most 256)
  --seconds      time budget per mode (default 60, at most 600)
  --warmup       logins per mode before measuring (default 50)
  --gateway-url  default $GATEWAY_URL or http://127.0.0.1:8080 (loopback only)
env: KC_DEV_USER_PASSWORD (to provision through the back office as BENCH_ADMIN_USER, default
     dev-admin), or BENCH_ENGINEER_LOGIN + BENCH_ENGINEER_PASSWORD (an engineer with ROBOT_LOGIN)`;

interface Options {
  count: number;
  concurrency: number;
  seconds: number;
  warmup: number;
  modes: Mode[];
  gatewayUrl: string;
  json: boolean;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function bounded(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    fail(`--${name} must be an integer in 0..${max}\n${USAGE}`);
  }
  return value;
}

function parseOptions(): Options {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        count: { type: 'string' },
        concurrency: { type: 'string' },
        seconds: { type: 'string' },
        warmup: { type: 'string' },
        modes: { type: 'string' },
        'gateway-url': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const modes = (values.modes ?? MODES.join(',')).split(',').map((m) => m.trim());
  for (const mode of modes) {
    if (!(MODES as readonly string[]).includes(mode)) fail(`unknown mode ${mode}\n${USAGE}`);
  }
  const gatewayUrl = (
    values['gateway-url'] ??
    process.env['GATEWAY_URL'] ??
    'http://127.0.0.1:8080'
  ).replace(/\/+$/, '');
  const host = new URL(gatewayUrl).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
    fail(`refusing to benchmark ${gatewayUrl}: loopback gateways only`);
  }
  const concurrency = bounded('concurrency', values.concurrency, 8, 256);
  return {
    count: bounded('count', values.count, 2000, 100_000),
    concurrency: Math.max(1, concurrency),
    seconds: Math.max(1, bounded('seconds', values.seconds, 60, 600)),
    warmup: bounded('warmup', values.warmup, 50, 10_000),
    modes: modes as Mode[],
    gatewayUrl,
    json: values.json ?? false,
  };
}

async function json(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return { text: text.slice(0, 200) };
  }
}

async function adminToken(gatewayUrl: string): Promise<string> {
  const password = process.env['KC_DEV_USER_PASSWORD'];
  if (!password)
    fail(`KC_DEV_USER_PASSWORD (or BENCH_ENGINEER_LOGIN/PASSWORD) is needed\n${USAGE}`);
  const response = await fetch(
    `${gatewayUrl}/keycloak/realms/platform/protocol/openid-connect/token`,
    {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'platform-dev',
        username: process.env['BENCH_ADMIN_USER'] ?? 'dev-admin',
        password,
        scope: 'openid',
      }),
    },
  );
  const body = await json(response);
  if (!response.ok || typeof body['access_token'] !== 'string') {
    fail(`Keycloak refused the admin login: ${response.status} ${JSON.stringify(body)}`);
  }
  return body['access_token'];
}

class BackOffice {
  readonly gatewayUrl: string;
  readonly token: string;

  constructor(gatewayUrl: string, token: string) {
    this.gatewayUrl = gatewayUrl;
    this.token = token;
  }

  async call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.gatewayUrl}/base_api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const result = await json(response);
    if (!response.ok) fail(`${method} ${path}: ${response.status} ${JSON.stringify(result)}`);
    return result;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

interface ModeResult {
  mode: Mode;
  logins: number;
  failures: number;
  seconds: number;
  loginsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  firstError?: string;
}

async function runMode(
  mode: Mode,
  options: Options,
  robot: { id: string; keys: DeviceKeyPair },
  count: number,
): Promise<ModeResult> {
  const client = () => new DeviceClient({ baseUrl: options.gatewayUrl, kind: 'robot' });
  const login = (c: DeviceClient) =>
    mode === 'challenge-rsa2048'
      ? c.loginWithChallenge(robot.id, robot.keys.privateKey)
      : c.loginWithSignature(robot.id, robot.keys.privateKey);
  const latencies: number[] = [];
  let failures = 0;
  let firstError: string | undefined;
  let started = 0;
  const deadline = performance.now() + options.seconds * 1000;
  const begin = performance.now();
  const worker = async () => {
    const c = client();
    while (started < count && performance.now() < deadline) {
      started++;
      const t0 = performance.now();
      try {
        await login(c);
        latencies.push(performance.now() - t0);
      } catch (error) {
        failures++;
        const { status, code, message } = error as {
          status?: number;
          code?: string;
          message?: string;
        };
        firstError ??= `${status ?? ''} ${code ?? ''} ${message ?? String(error)}`.trim();
        if (status === 429) {
          fail(
            `rate limited (${code}): raise the stack's limits first, see scripts/bench/README.md`,
          );
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - begin) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    mode,
    logins: latencies.length,
    failures,
    seconds: Math.round(seconds * 100) / 100,
    loginsPerSecond: Math.round((latencies.length / seconds) * 10) / 10,
    p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
    p99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
    maxMs: Math.round((latencies.at(-1) ?? Number.NaN) * 10) / 10,
    ...(firstError ? { firstError } : {}),
  };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const suffix = Math.random().toString(36).slice(2, 10);
  let backOffice: BackOffice | undefined;
  let engineer = {
    login: process.env['BENCH_ENGINEER_LOGIN'] ?? '',
    password: process.env['BENCH_ENGINEER_PASSWORD'] ?? '',
  };
  let engineerId: string | undefined;
  const created: string[] = [];
  // The back office (Keycloak admin token) creates the engineer unless one is given, and deletes
  // the robots afterwards; without KC_DEV_USER_PASSWORD the robots are left (their ids printed).
  if (process.env['KC_DEV_USER_PASSWORD'] || !engineer.login || !engineer.password) {
    backOffice = new BackOffice(options.gatewayUrl, await adminToken(options.gatewayUrl));
  }
  if (backOffice && (!engineer.login || !engineer.password)) {
    engineer = { login: `bench-eng-${suffix}`, password: `bench-${randomUUID()}` };
    engineerId = String((await backOffice.call('POST', '/admin/engineer', engineer))['id']);
    await backOffice.call('PUT', '/admin/engineer_privileges', {
      id: engineerId,
      privileges: ['ROBOT_LOGIN'],
    });
  }
  try {
    const [rsa, ed] = await Promise.all([
      DeviceClient.generateKeyPair('rsa-2048'),
      DeviceClient.generateKeyPair('ed25519'),
    ]);
    const register = async (keys: DeviceKeyPair, serial: string) => {
      const { deviceId } = await new DeviceClient({
        baseUrl: options.gatewayUrl,
        kind: 'robot',
      }).register({
        engineerLogin: engineer.login,
        engineerPassword: engineer.password,
        publicKeyPem: keys.publicKeyPem,
        robotModelId: serial,
        robotModelName: 'BenchRobot:1',
      });
      created.push(deviceId);
      return { id: deviceId, keys };
    };
    const rsaRobot = await register(rsa, `BENCH-RSA-${suffix}`);
    const edRobot = await register(ed, `BENCH-ED-${suffix}`);

    const results: ModeResult[] = [];
    for (const mode of options.modes) {
      const robot = mode === 'signature-ed25519' ? edRobot : rsaRobot;
      if (options.warmup > 0) await runMode(mode, options, robot, options.warmup);
      results.push(await runMode(mode, options, robot, options.count));
    }
    if (options.json) {
      console.log(JSON.stringify({ options: { ...options }, results }, null, 2));
    } else {
      console.log(
        `robot logins through ${options.gatewayUrl}, concurrency ${options.concurrency}, ` +
          `up to ${options.count} logins or ${options.seconds} s per mode`,
      );
      console.table(
        results.map((r) => ({
          mode: r.mode,
          logins: r.logins,
          failures: r.failures,
          s: r.seconds,
          'logins/s': r.loginsPerSecond,
          'p50 ms': r.p50Ms,
          'p99 ms': r.p99Ms,
          'max ms': r.maxMs,
        })),
      );
      for (const r of results) {
        if (r.firstError) console.log(`${r.mode}: first failure: ${r.firstError}`);
      }
    }
    if (results.some((r) => r.failures > 0)) process.exitCode = 1;
  } finally {
    if (backOffice) {
      for (const id of created) await backOffice.call('DELETE', `/admin/devices/${id}`);
      if (engineerId) await backOffice.call('DELETE', `/admin/engineers/${engineerId}`);
    } else if (created.length > 0) {
      console.error(`left behind (no back office token): robots ${created.join(', ')}`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
