import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { isDeviceKind, parseDevicePublicKey, type DeviceKind } from '@platform/device-auth';
import {
  DeviceClient,
  DeviceClientError,
  isDeviceKeyType,
  DEVICE_KEY_TYPES,
  type FetchLike,
} from './device-client';
import { checkPassphrase, decryptPrivateKey, encryptPrivateKey, KeyFileError } from './key-file';

/** Files in a device key directory. */
export const KEY_DIR_FILES = {
  privateKey: 'private-key.pem',
  publicKey: 'public-key.pem',
  device: 'device.json',
  session: 'session.json',
} as const;

export const USAGE = `Usage: device-client <command> [options]   (prints JSON on stdout)

Commands:
  keygen   --type ed25519|rsa-2048|rsa-3072|rsa-4096 --out <dir> [--force]
           Writes <dir>/private-key.pem (PKCS#8, AES-256-CBC, PBKDF2-SHA256 600k; mode 0600)
           and <dir>/public-key.pem. Passphrase: env DEVICE_KEY_PASSPHRASE (>= 12 chars).
  register --kind robot|store|locker --key <dir> --engineer-login <login>
           [--robot-model-id <serial> --robot-model-name <name>]   (robot)
           [--store-id <uuid>]                                    (store)
           [--locker-id <uuid>]                                   (locker)
           Engineer password: env ENGINEER_PASSWORD (never on the command line).
           Writes <dir>/device.json {kind, id, baseUrl}.
  login    --key <dir> [--mode signature|challenge] [--print-token]
           Logs in (default: signature mode; challenge mode needs an RSA key) and keeps the
           session token in <dir>/session.json (mode 0600). Needs DEVICE_KEY_PASSPHRASE.
  call     <METHOD> <PATH> --key <dir> [--data <json>|@<file>] [--mode ...]
           Calls the platform with the session's bearer token, e.g.
           call GET /base_api/v1/robot/destination/MOSCOW/hotels --key ./robot-key
           Logs in first when there is no session, and once more if the session has expired.
  logout   --key <dir>
           Ends the session on the server and deletes <dir>/session.json.

Options:
  --base-url <url>    Gateway origin (default: device.json, then env PLATFORM_BASE_URL,
                      then http://localhost)
  --timeout-ms <ms>   Per-request timeout (default 15000)
  -h, --help          This text
`;

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Injected by tests; defaults to the global fetch. */
  readonly fetch?: FetchLike;
  /** Tests lower it to keep key encryption fast. */
  readonly pbkdf2Iterations?: number;
}

interface DeviceFile {
  readonly kind: DeviceKind;
  readonly id: string;
  readonly baseUrl: string;
}

type LoginMode = 'signature' | 'challenge';

class UsageError extends Error {}

const OPTIONS = {
  type: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  kind: { type: 'string' },
  key: { type: 'string' },
  'engineer-login': { type: 'string' },
  'robot-model-id': { type: 'string' },
  'robot-model-name': { type: 'string' },
  'store-id': { type: 'string' },
  'locker-id': { type: 'string' },
  mode: { type: 'string' },
  'print-token': { type: 'boolean' },
  data: { type: 'string' },
  'base-url': { type: 'string' },
  'timeout-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

/** Runs one CLI invocation; returns the process exit code (0 ok, 1 failed, 2 usage error). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const print = (value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  try {
    switch (command) {
      case 'keygen':
        print(await keygen(values, io));
        return 0;
      case 'register':
        print(await register(values, io));
        return 0;
      case 'login':
        print(await login(values, io));
        return 0;
      case 'call':
        print(await call(values, rest, io));
        return 0;
      case 'logout':
        print(await logout(values, io));
        return 0;
      default:
        throw new UsageError(`Unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(`${JSON.stringify({ error: describeError(error) }, null, 2)}\n`);
    return 1;
  }
}

function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof DeviceClientError) {
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      requestId: error.requestId,
    };
  }
  if (error instanceof KeyFileError) return { code: error.code, message: error.message };
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return { code: error.code, message: error.message };
  }
  return { code: 'UNEXPECTED', message: error instanceof Error ? error.message : String(error) };
}

function required(values: Values, name: keyof Values): string {
  const value = values[name];
  if (typeof value !== 'string' || value.length === 0) throw new UsageError(`Missing --${name}`);
  return value;
}

function requiredEnv(io: CliIo, name: string): string {
  const value = io.env[name];
  if (!value) throw new UsageError(`Set the environment variable ${name}`);
  return value;
}

function timeoutMs(values: Values): number | undefined {
  if (values['timeout-ms'] === undefined) return undefined;
  const ms = Number(values['timeout-ms']);
  if (!Number.isInteger(ms) || ms <= 0)
    throw new UsageError('--timeout-ms must be a positive integer');
  return ms;
}

/** Writes a new file with `mode`, replacing an old one only when `replace` is set. */
function writeNewFile(path: string, content: string, mode: number, replace: boolean): void {
  if (replace) rmSync(path, { force: true });
  writeFileSync(path, content, { mode, flag: 'wx' });
  chmodSync(path, mode); // in case the umask was more permissive than we are
}

async function keygen(values: Values, io: CliIo) {
  const type = required(values, 'type');
  if (!isDeviceKeyType(type))
    throw new UsageError(`--type must be one of ${DEVICE_KEY_TYPES.join(', ')}`);
  const dir = resolve(required(values, 'out'));
  const passphrase = checkPassphrase(requiredEnv(io, 'DEVICE_KEY_PASSPHRASE'));
  const privatePath = join(dir, KEY_DIR_FILES.privateKey);
  const publicPath = join(dir, KEY_DIR_FILES.publicKey);
  if (!values.force && (existsSync(privatePath) || existsSync(publicPath))) {
    throw new UsageError(`${dir} already holds a key; pass --force to replace it`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pair = await DeviceClient.generateKeyPair(type);
  const encrypted = encryptPrivateKey(pair.privateKey, passphrase, io.pbkdf2Iterations);
  writeNewFile(privatePath, encrypted, 0o600, values.force === true);
  writeNewFile(publicPath, pair.publicKeyPem, 0o644, values.force === true);
  if (values.force) {
    // A new key invalidates any registration or session made with the old one.
    rmSync(join(dir, KEY_DIR_FILES.session), { force: true });
  }
  const parsed = parseDevicePublicKey(pair.publicKeyPem);
  return { type, fingerprint: parsed.fingerprint, privateKey: privatePath, publicKey: publicPath };
}

async function register(values: Values, io: CliIo) {
  const kind = required(values, 'kind');
  if (!isDeviceKind(kind)) throw new UsageError('--kind must be robot, store or locker');
  const dir = resolve(required(values, 'key'));
  const publicKeyPem = readFileSync(join(dir, KEY_DIR_FILES.publicKey), 'utf8');
  const baseUrl = values['base-url'] ?? io.env['PLATFORM_BASE_URL'] ?? 'http://localhost';
  const engineerLogin = required(values, 'engineer-login');
  const engineerPassword = requiredEnv(io, 'ENGINEER_PASSWORD');
  const client = new DeviceClient({ baseUrl, kind, fetch: io.fetch, timeoutMs: timeoutMs(values) });
  const kindFields = {
    robot: { robotModelId: values['robot-model-id'], robotModelName: values['robot-model-name'] },
    store: { storeId: values['store-id'] },
    locker: { lockerId: values['locker-id'] },
  }[kind];
  for (const [name, value] of Object.entries(kindFields)) {
    if (!value)
      throw new UsageError(
        `Registering a ${kind} needs --${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
      );
  }
  const result = await client.register({
    engineerLogin,
    engineerPassword,
    publicKeyPem,
    ...kindFields,
  });
  const device: DeviceFile = { kind, id: result.deviceId, baseUrl: client.baseUrl };
  writeNewFile(
    join(dir, KEY_DIR_FILES.device),
    `${JSON.stringify(device, null, 2)}\n`,
    0o644,
    true,
  );
  rmSync(join(dir, KEY_DIR_FILES.session), { force: true });
  return { ...device, response: result.response };
}

function readDeviceFile(dir: string): DeviceFile {
  const path = join(dir, KEY_DIR_FILES.device);
  if (!existsSync(path)) throw new UsageError(`${path} not found: run "register" first`);
  const device: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (
    typeof device !== 'object' ||
    device === null ||
    !isDeviceKind((device as DeviceFile).kind) ||
    typeof (device as DeviceFile).id !== 'string' ||
    typeof (device as DeviceFile).baseUrl !== 'string'
  ) {
    throw new UsageError(`${path} is not {kind, id, baseUrl}`);
  }
  return device as DeviceFile;
}

function loginMode(values: Values): LoginMode {
  const mode = values.mode ?? 'signature';
  if (mode !== 'signature' && mode !== 'challenge')
    throw new UsageError('--mode must be signature or challenge');
  return mode;
}

function clientFor(dir: string, values: Values, io: CliIo, token?: string) {
  const device = readDeviceFile(dir);
  const client = new DeviceClient({
    baseUrl: values['base-url'] ?? device.baseUrl,
    kind: device.kind,
    fetch: io.fetch,
    timeoutMs: timeoutMs(values),
    token,
  });
  return { device, client };
}

async function freshLogin(dir: string, values: Values, io: CliIo) {
  const mode = loginMode(values);
  const { device, client } = clientFor(dir, values, io);
  const privateKey: KeyObject = decryptPrivateKey(
    readFileSync(join(dir, KEY_DIR_FILES.privateKey), 'utf8'),
    requiredEnv(io, 'DEVICE_KEY_PASSPHRASE'),
  );
  // Catch a key/device.json mix-up before the server does.
  const publicPem = readFileSync(join(dir, KEY_DIR_FILES.publicKey), 'utf8');
  if (
    !createPublicKey(privateKey)
      .export({ type: 'spki', format: 'der' })
      .equals(parseDevicePublicKey(publicPem).keyObject.export({ type: 'spki', format: 'der' }))
  ) {
    throw new UsageError(
      `${KEY_DIR_FILES.privateKey} and ${KEY_DIR_FILES.publicKey} in ${dir} do not match`,
    );
  }
  const token =
    mode === 'challenge'
      ? await client.loginWithChallenge(device.id, privateKey)
      : await client.loginWithSignature(device.id, privateKey);
  writeNewFile(
    join(dir, KEY_DIR_FILES.session),
    `${JSON.stringify({ token }, null, 2)}\n`,
    0o600,
    true,
  );
  return { device, client, mode, token };
}

function readSessionToken(dir: string): string | undefined {
  const path = join(dir, KEY_DIR_FILES.session);
  if (!existsSync(path)) return undefined;
  const session: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const token = (session as { token?: unknown } | null)?.token;
  return typeof token === 'string' ? token : undefined;
}

async function login(values: Values, io: CliIo) {
  const dir = resolve(required(values, 'key'));
  const { device, mode, token } = await freshLogin(dir, values, io);
  return {
    kind: device.kind,
    id: device.id,
    mode,
    session: join(dir, KEY_DIR_FILES.session),
    ...(values['print-token'] ? { token } : {}),
  };
}

function parseData(data: string | undefined): unknown {
  if (data === undefined) return undefined;
  const text = data.startsWith('@') ? readFileSync(data.slice(1), 'utf8') : data;
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError('--data must be JSON (or @file with JSON)');
  }
}

async function call(values: Values, positionals: string[], io: CliIo) {
  const [method, path, ...extra] = positionals;
  if (!method || !path || extra.length > 0) throw new UsageError('call needs <METHOD> <PATH>');
  if (!/^[A-Za-z]+$/.test(method)) throw new UsageError(`Invalid method "${method}"`);
  if (!path.startsWith('/'))
    throw new UsageError('PATH must start with "/", e.g. /base_api/v1/...');
  const dir = resolve(required(values, 'key'));
  const body = parseData(values.data);
  const saved = readSessionToken(dir);
  if (saved !== undefined) {
    const { client } = clientFor(dir, values, io, saved);
    try {
      return await client.request(method, path, body);
    } catch (error) {
      // Sessions expire (idle and absolute lifetime): log in again once, then retry.
      if (!(error instanceof DeviceClientError && error.status === 401)) throw error;
    }
  }
  const { client } = await freshLogin(dir, values, io);
  return client.request(method, path, body);
}

async function logout(values: Values, io: CliIo) {
  const dir = resolve(required(values, 'key'));
  const token = readSessionToken(dir);
  if (token === undefined) return { loggedOut: false, reason: 'no session' };
  const { client } = clientFor(dir, values, io, token);
  try {
    await client.logout();
  } finally {
    rmSync(join(dir, KEY_DIR_FILES.session), { force: true });
  }
  return { loggedOut: true };
}
