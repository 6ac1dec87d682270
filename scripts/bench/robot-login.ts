// Robot login benchmark: full device logins through the Nginx gateway of the local stack.
//
//   npm run bench -- robot-login [options]      (sets up the stack and its limits, see run.sh)
//
// Provisions one RSA-2048 and one Ed25519 robot through the back office (an engineer with
// ROBOT_LOGIN, made with the dev-admin token), measures the bare-endpoint floor with the same
// client, then for each mode runs full logins (both round trips, the device's crypto included)
// and prints logins/s, p50/p99 and the ratio to the floor. Deletes what it created at the end.
import { randomUUID } from 'node:crypto';
import { DeviceClient, type DeviceKeyPair } from '@platform/device-client';
import {
  type BenchOptions,
  type LoadResult,
  measureBareEndpoint,
  parseBenchOptions,
  printReport,
  report,
  runLoad,
} from './lib/load';
import { GatewayClient, keycloakToken } from './lib/platform-api';

const MODES = ['challenge-rsa2048', 'signature-rsa2048', 'signature-ed25519'] as const;
type Mode = (typeof MODES)[number];

const USAGE = `usage: npm run bench -- robot-login [--count N] [--concurrency C] [--seconds S]
       [--warmup W] [--modes ${MODES.join(',')}] [--gateway-url URL]
  --count        logins per mode (default 2000, at most 100000)
  --concurrency  logins in flight (default 8, at most 256)
  --seconds      time budget per mode and for the floor (default 30, at most 600)
  --warmup       logins per mode before measuring (default 50)
  --gateway-url  default $GATEWAY_URL or http://127.0.0.1:8080 (loopback only)`;

type Options = BenchOptions<'warmup'> & { modes: Mode[] };

function parseOptions(): Options | null {
  const options = parseBenchOptions(
    USAGE,
    {
      count: { fallback: 2000, max: 100_000 },
      concurrency: { fallback: 8, max: 256, min: 1 },
      seconds: { fallback: 30, max: 600, min: 1 },
    },
    { warmup: { fallback: 50, max: 10_000 } },
    ['modes'],
  );
  if (!options) return null;
  const modes = (options.text['modes'] ?? MODES.join(',')).split(',').map((m) => m.trim());
  for (const mode of modes) {
    if (!(MODES as readonly string[]).includes(mode)) {
      throw new Error(`unknown mode ${mode}\n${USAGE}`);
    }
  }
  return { ...options, modes: modes as Mode[] };
}

function loginsOf(
  mode: Mode,
  options: Options,
  robot: { id: string; keys: DeviceKeyPair },
  count: number,
): Promise<LoadResult> {
  return runLoad(
    mode,
    { ...options, count },
    () => new DeviceClient({ baseUrl: options.gatewayUrl, kind: 'robot' }),
    async (client) => {
      await (mode === 'challenge-rsa2048'
        ? client.loginWithChallenge(robot.id, robot.keys.privateKey)
        : client.loginWithSignature(robot.id, robot.keys.privateKey));
    },
  );
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (!options) {
    console.log(USAGE);
    return;
  }
  const suffix = randomUUID().slice(0, 8);
  const backOffice = new GatewayClient(
    options.gatewayUrl,
    await keycloakToken(options.gatewayUrl, 'dev-admin'),
  );
  const engineer = { login: `bench-eng-${suffix}`, password: `bench-${randomUUID()}` };
  const engineerId = String(
    (await backOffice.call('POST', '/base_api/v1/admin/engineer', engineer))['id'],
  );
  const created: string[] = [];
  try {
    await backOffice.call('PUT', '/base_api/v1/admin/engineer_privileges', {
      id: engineerId,
      privileges: ['ROBOT_LOGIN'],
    });
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
    const rsaRobot = await register(
      await DeviceClient.generateKeyPair('rsa-2048'),
      `BENCH-RSA-${suffix}`,
    );
    const edRobot = await register(
      await DeviceClient.generateKeyPair('ed25519'),
      `BENCH-ED-${suffix}`,
    );

    const floor = await measureBareEndpoint(options.gatewayUrl, {
      ...options,
      count: Number.MAX_SAFE_INTEGER,
      seconds: Math.min(options.seconds, 15),
    });
    const results: LoadResult[] = [];
    for (const mode of options.modes) {
      const robot = mode === 'signature-ed25519' ? edRobot : rsaRobot;
      if (options.warmup > 0) await loginsOf(mode, options, robot, options.warmup);
      results.push(await loginsOf(mode, options, robot, options.count));
    }
    printReport(
      report('robot logins', options.gatewayUrl, options.concurrency, floor, results),
      'logins',
    );
    if (results.some((r) => r.failures > 0)) process.exitCode = 1;
  } finally {
    for (const id of created) await backOffice.call('DELETE', `/base_api/v1/admin/devices/${id}`);
    await backOffice.call('DELETE', `/base_api/v1/admin/engineers/${engineerId}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
