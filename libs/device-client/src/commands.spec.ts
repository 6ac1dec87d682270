import { mkdtempSync, readFileSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDevicePublicKey } from '@platform/device-auth';
import { KEY_DIR_FILES, USAGE, runCli, type CliIo } from './commands';
import { decryptPrivateKey } from './key-file';
import { FakePlatform } from './testing/fake-platform';

const PASSPHRASE = 'robot key passphrase';
const ENGINEER_PASSWORD = 'engineer-password';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json: () => Record<string, unknown>;
}

describe('device-client CLI', () => {
  let work: string;
  let platform: FakePlatform;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'device-client-spec-'));
  });

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  beforeEach(() => {
    platform = new FakePlatform();
  });

  let dirCounter = 0;
  const newDir = () => join(work, `device-${++dirCounter}`);

  async function run(argv: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      env: { DEVICE_KEY_PASSPHRASE: PASSPHRASE, ENGINEER_PASSWORD, ...env },
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      fetch: platform.fetch,
      pbkdf2Iterations: 1000,
    };
    const code = await runCli(argv, io);
    return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> };
  }

  async function provisioned(
    type = 'ed25519',
    kindArgs = [
      '--kind',
      'robot',
      '--robot-model-id',
      'SN-1',
      '--robot-model-name',
      'TestRobot:0.1.0',
    ],
  ) {
    const dir = newDir();
    expect((await run(['keygen', '--type', type, '--out', dir])).code).toBe(0);
    const registered = await run([
      'register',
      '--key',
      dir,
      '--engineer-login',
      'eng',
      '--base-url',
      'http://gw.test',
      ...kindArgs,
    ]);
    expect(registered.code).toBe(0);
    return { dir, id: registered.json()['id'] as string };
  }

  describe('help', () => {
    it.each([[['--help']], [['-h']], [['help']], [[]]])('%j prints usage', async (argv) => {
      const result = await run(argv);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(USAGE);
    });

    it.each([[['frobnicate']], [['keygen', '--bogus']]])(
      '%j is a usage error (exit 2)',
      async (argv) => {
        const result = await run(argv);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('Usage:');
      },
    );
  });

  describe('keygen', () => {
    it.each(['ed25519', 'rsa-2048'])(
      '%s writes an encrypted private key (0600) and a public key',
      async (type) => {
        const dir = newDir();
        const result = await run(['keygen', '--type', type, '--out', dir]);
        expect(result.code).toBe(0);
        const output = result.json();
        const privatePath = join(dir, KEY_DIR_FILES.privateKey);
        const publicPath = join(dir, KEY_DIR_FILES.publicKey);
        expect(output).toEqual({
          type,
          fingerprint: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
          privateKey: privatePath,
          publicKey: publicPath,
        });
        expect(statSync(privatePath).mode & 0o777).toBe(0o600);
        expect(statSync(publicPath).mode & 0o777).toBe(0o644);
        expect(statSync(dir).mode & 0o077).toBe(0);
        const privatePem = readFileSync(privatePath, 'utf8');
        expect(privatePem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
        const parsed = parseDevicePublicKey(readFileSync(publicPath, 'utf8'));
        expect(parsed.fingerprint).toBe(output['fingerprint']);
        const privateKey = decryptPrivateKey(privatePem, PASSPHRASE);
        expect(privateKey.asymmetricKeyType).toBe(parsed.algorithm);
      },
    );

    it('requires DEVICE_KEY_PASSPHRASE', async () => {
      const dir = newDir();
      const result = await run(['keygen', '--type', 'ed25519', '--out', dir], {
        DEVICE_KEY_PASSPHRASE: undefined,
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('DEVICE_KEY_PASSPHRASE');
      expect(existsSync(join(dir, KEY_DIR_FILES.privateKey))).toBe(false);
    });

    it('refuses a weak passphrase', async () => {
      const result = await run(['keygen', '--type', 'ed25519', '--out', newDir()], {
        DEVICE_KEY_PASSPHRASE: 'short',
      });
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stderr)).toMatchObject({ error: { code: 'WEAK_PASSPHRASE' } });
    });

    it('refuses an unknown type', async () => {
      expect((await run(['keygen', '--type', 'rsa-1024', '--out', newDir()])).code).toBe(2);
    });

    it('does not overwrite a key without --force', async () => {
      const dir = newDir();
      await run(['keygen', '--type', 'ed25519', '--out', dir]);
      const before = readFileSync(join(dir, KEY_DIR_FILES.privateKey), 'utf8');
      const again = await run(['keygen', '--type', 'ed25519', '--out', dir]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('--force');
      expect(readFileSync(join(dir, KEY_DIR_FILES.privateKey), 'utf8')).toBe(before);
      const forced = await run(['keygen', '--type', 'ed25519', '--out', dir, '--force']);
      expect(forced.code).toBe(0);
      expect(readFileSync(join(dir, KEY_DIR_FILES.privateKey), 'utf8')).not.toBe(before);
      expect(statSync(join(dir, KEY_DIR_FILES.privateKey)).mode & 0o777).toBe(0o600);
    });
  });

  describe('register', () => {
    it.each<[string, string[], Record<string, string>]>([
      [
        'robot',
        ['--robot-model-id', 'SN-1', '--robot-model-name', 'TestRobot:0.1.0'],
        { robot_model_id: 'SN-1', robot_model_name: 'TestRobot:0.1.0' },
      ],
      [
        'store',
        ['--store-id', '11111111-1111-4111-8111-111111111111'],
        { store_id: '11111111-1111-4111-8111-111111111111' },
      ],
      [
        'locker',
        ['--locker-id', '22222222-2222-4222-8222-222222222222'],
        { locker_id: '22222222-2222-4222-8222-222222222222' },
      ],
    ])(
      '%s: sends the seed body with the password from ENGINEER_PASSWORD and writes device.json',
      async (kind, args, fields) => {
        const dir = newDir();
        await run(['keygen', '--type', 'ed25519', '--out', dir]);
        const result = await run([
          'register',
          '--kind',
          kind,
          '--key',
          dir,
          '--engineer-login',
          'eng',
          '--base-url',
          'http://gw.test/',
          ...args,
        ]);
        expect(result.code).toBe(0);
        expect(platform.requests).toHaveLength(1);
        expect(platform.requests[0]?.url).toBe(`http://gw.test/base_api/v1/auth/${kind}/new_login`);
        expect(platform.requests[0]?.body).toEqual({
          login: 'eng',
          password: ENGINEER_PASSWORD,
          public_key: readFileSync(join(dir, KEY_DIR_FILES.publicKey), 'utf8'),
          ...fields,
        });
        const device = JSON.parse(readFileSync(join(dir, KEY_DIR_FILES.device), 'utf8')) as Record<
          string,
          unknown
        >;
        expect(device).toEqual({ kind, id: expect.any(String), baseUrl: 'http://gw.test' });
        expect(result.json()).toMatchObject(device);
      },
    );

    it('has no option for the engineer password (never on argv)', async () => {
      const dir = newDir();
      const result = await run([
        'register',
        '--kind',
        'robot',
        '--key',
        dir,
        '--engineer-login',
        'eng',
        '--engineer-password',
        'x',
      ]);
      expect(result.code).toBe(2);
      expect(platform.requests).toHaveLength(0);
    });

    it('requires ENGINEER_PASSWORD', async () => {
      const dir = newDir();
      await run(['keygen', '--type', 'ed25519', '--out', dir]);
      const result = await run(
        [
          'register',
          '--kind',
          'robot',
          '--key',
          dir,
          '--engineer-login',
          'eng',
          '--robot-model-id',
          'a',
          '--robot-model-name',
          'b',
        ],
        { ENGINEER_PASSWORD: undefined },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('ENGINEER_PASSWORD');
      expect(platform.requests).toHaveLength(0);
    });

    it('requires the kind-specific fields', async () => {
      const dir = newDir();
      await run(['keygen', '--type', 'ed25519', '--out', dir]);
      const result = await run([
        'register',
        '--kind',
        'store',
        '--key',
        dir,
        '--engineer-login',
        'eng',
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--store-id');
    });

    it('prints a server refusal as JSON on stderr (exit 1)', async () => {
      platform.engineer.password = 'something else';
      const dir = newDir();
      await run(['keygen', '--type', 'ed25519', '--out', dir]);
      const result = await run([
        'register',
        '--kind',
        'locker',
        '--key',
        dir,
        '--engineer-login',
        'eng',
        '--locker-id',
        'L1',
      ]);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stderr)).toEqual({
        error: {
          status: 401,
          code: 'INVALID_CREDENTIALS',
          message: 'Invalid credentials',
          requestId: expect.any(String),
        },
      });
    });
  });

  describe('login, call, logout', () => {
    it.each<[string, string]>([
      ['ed25519', 'signature'],
      ['rsa-2048', 'signature'],
      ['rsa-2048', 'challenge'],
    ])(
      '%s key, %s mode: keeps the session in session.json (0600), not on stdout',
      async (type, mode) => {
        const { dir, id } = await provisioned(type);
        const result = await run(['login', '--key', dir, '--mode', mode]);
        expect(result.code).toBe(0);
        const sessionPath = join(dir, KEY_DIR_FILES.session);
        expect(result.json()).toEqual({ kind: 'robot', id, mode, session: sessionPath });
        expect(statSync(sessionPath).mode & 0o777).toBe(0o600);
        const { token } = JSON.parse(readFileSync(sessionPath, 'utf8')) as { token: string };
        expect(result.stdout).not.toContain(token);
        expect(platform.sessions.size).toBe(1);
        const paths = platform.requests.map((r) => r.path);
        expect(paths.slice(1)).toEqual(
          mode === 'challenge'
            ? ['/base_api/v1/auth/robot/login', '/base_api/v1/auth/robot/login_code']
            : ['/base_api/v1/auth/robot/nonce', '/base_api/v1/auth/robot/login_signature'],
        );
      },
    );

    it('--print-token includes the token', async () => {
      const { dir } = await provisioned();
      const result = await run(['login', '--key', dir, '--print-token']);
      expect(result.json()['token']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('challenge mode with an Ed25519 key fails clearly', async () => {
      const { dir } = await provisioned('ed25519');
      const result = await run(['login', '--key', dir, '--mode', 'challenge']);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stderr)).toMatchObject({
        error: { code: 'CHALLENGE_NOT_SUPPORTED_FOR_KEY' },
      });
    });

    it('a wrong passphrase fails before any request', async () => {
      const { dir } = await provisioned();
      const before = platform.requests.length;
      const result = await run(['login', '--key', dir], {
        DEVICE_KEY_PASSPHRASE: 'not the passphrase',
      });
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stderr)).toMatchObject({ error: { code: 'KEY_DECRYPTION_FAILED' } });
      expect(platform.requests).toHaveLength(before);
    });

    it('login without register says so', async () => {
      const dir = newDir();
      await run(['keygen', '--type', 'ed25519', '--out', dir]);
      const result = await run(['login', '--key', dir]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('run "register" first');
    });

    it('call uses the saved session', async () => {
      const { dir, id } = await provisioned();
      await run(['login', '--key', dir]);
      const { token } = JSON.parse(readFileSync(join(dir, KEY_DIR_FILES.session), 'utf8')) as {
        token: string;
      };
      const result = await run([
        'call',
        'GET',
        '/base_api/v1/robot/destination/MOSCOW/hotels',
        '--key',
        dir,
      ]);
      expect(result.code).toBe(0);
      expect(result.json()).toEqual({
        method: 'GET',
        path: '/base_api/v1/robot/destination/MOSCOW/hotels',
        body: null,
        kind: 'robot',
        deviceId: id,
      });
      expect(platform.requests.at(-1)?.headers['authorization']).toBe(`Bearer ${token}`);
    });

    it('call sends --data as JSON (inline or @file)', async () => {
      const { dir } = await provisioned();
      const file = join(dir, 'body.json');
      writeFileSync(file, '{"from":"file"}');
      const inline = await run([
        'call',
        'POST',
        '/store_api/v1/robot/store/5709e000-0000-4000-8000-000000000002/make_purchase',
        '--key',
        dir,
        '--data',
        '{"items":[1,2]}',
      ]);
      expect(inline.json()['body']).toEqual({ items: [1, 2] });
      const fromFile = await run(['call', 'put', '/x', '--key', dir, '--data', `@${file}`]);
      expect(fromFile.json()).toMatchObject({ method: 'PUT', body: { from: 'file' } });
      expect((await run(['call', 'POST', '/x', '--key', dir, '--data', '{nope'])).code).toBe(2);
    });

    it('call logs in when there is no session, and again once when it has expired', async () => {
      const { dir } = await provisioned();
      const first = await run(['call', 'GET', '/a', '--key', dir]);
      expect(first.code).toBe(0);
      expect(platform.bodiesTo('/login_signature')).toHaveLength(1);
      platform.sessions.clear(); // expired server-side
      const second = await run(['call', 'GET', '/b', '--key', dir]);
      expect(second.code).toBe(0);
      expect(platform.bodiesTo('/login_signature')).toHaveLength(2);
      expect(platform.requests.filter((r) => r.path === '/b')).toHaveLength(2);
    });

    it('call validates its arguments', async () => {
      const { dir } = await provisioned();
      for (const argv of [
        ['call', 'GET', '--key', dir],
        ['call', 'GET', 'relative', '--key', dir],
        ['call', 'G T', '/x', '--key', dir],
      ]) {
        expect((await run(argv)).code).toBe(2);
      }
    });

    it('logout ends the server session and deletes session.json', async () => {
      const { dir } = await provisioned();
      await run(['login', '--key', dir]);
      const result = await run(['logout', '--key', dir]);
      expect(result.code).toBe(0);
      expect(result.json()).toEqual({ loggedOut: true });
      expect(platform.sessions.size).toBe(0);
      expect(platform.requests.at(-1)?.path).toBe('/base_api/v1/auth/robot/logout');
      expect(existsSync(join(dir, KEY_DIR_FILES.session))).toBe(false);
      expect((await run(['logout', '--key', dir])).json()).toEqual({
        loggedOut: false,
        reason: 'no session',
      });
    });

    it('detects a private/public key mix-up', async () => {
      const { dir } = await provisioned();
      const other = newDir();
      await run(['keygen', '--type', 'ed25519', '--out', other]);
      writeFileSync(
        join(dir, KEY_DIR_FILES.publicKey),
        readFileSync(join(other, KEY_DIR_FILES.publicKey)),
      );
      const result = await run(['login', '--key', dir]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('do not match');
    });
  });
});
