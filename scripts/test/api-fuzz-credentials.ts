import { randomUUID } from 'node:crypto';
import { DeviceClient } from '@platform/device-client';
import { api, fetchFromAddress, gatewayUrl, keycloakToken } from '@platform/testing';

/**
 * Credentials for the API fuzzer (scripts/test/api-fuzz.sh), so it reaches the handlers behind
 * the guard: `setup` prints shell lines with an admin Keycloak token and a robot's device session
 * (an engineer and an Ed25519 robot made for the run); `teardown ENGINEER_ID DEVICE_ID` removes
 * them again.
 */

const V1 = '/base_api/v1';

async function ok<T>(what: string, call: Promise<{ status: number; body: T }>): Promise<T> {
  const response = await call;
  if (response.status !== 200) {
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

async function setup(): Promise<void> {
  const admin = await keycloakToken('dev-admin');
  const login = `fuzz-eng-${randomUUID().slice(0, 8)}`;
  const password = `pw-${randomUUID()}`;
  const engineer = await ok(
    'create engineer',
    api<{ id: string }>('POST', `${V1}/admin/engineer`, {
      token: admin,
      body: { login, password },
    }),
  );
  await ok(
    'grant ROBOT_LOGIN',
    api('PUT', `${V1}/admin/engineer_privileges`, {
      token: admin,
      body: { id: engineer.id, privileges: ['ROBOT_LOGIN'] },
    }),
  );
  const keys = await DeviceClient.generateKeyPair('ed25519');
  const robot = new DeviceClient({
    baseUrl: gatewayUrl(),
    kind: 'robot',
    fetch: fetchFromAddress(),
  });
  const { deviceId } = await robot.register({
    engineerLogin: login,
    engineerPassword: password,
    publicKeyPem: keys.publicKeyPem,
    robotModelId: `FUZZ-${randomUUID().slice(0, 12)}`,
    robotModelName: 'Fuzzer:0.0.0:000',
  });
  const deviceToken = await robot.loginWithSignature(deviceId, keys.privateKey);
  for (const [name, value] of Object.entries({
    FUZZ_KEYCLOAK_TOKEN: admin,
    FUZZ_DEVICE_TOKEN: deviceToken,
    FUZZ_ENGINEER_ID: engineer.id,
    FUZZ_DEVICE_ID: deviceId,
  })) {
    process.stdout.write(`export ${name}='${value}'\n`);
  }
}

async function teardown(engineerId: string, deviceId: string): Promise<void> {
  const admin = await keycloakToken('dev-admin');
  await api('DELETE', `${V1}/admin/devices/${deviceId}`, { token: admin });
  await api('DELETE', `${V1}/admin/engineers/${engineerId}`, { token: admin });
}

const [command, ...args] = process.argv.slice(2);
const run =
  command === 'setup'
    ? setup()
    : command === 'teardown' && args.length === 2
      ? teardown(args[0] as string, args[1] as string)
      : Promise.reject(
          new Error('usage: api-fuzz-credentials.ts setup | teardown ENGINEER_ID DEVICE_ID'),
        );
run.catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
