import { constants, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { parseDevicePublicKey } from './public-key';
import {
  LOGIN_SIGNATURE_DOMAIN,
  RSA_PSS_SALT_LENGTH,
  buildLoginMessage,
  createNonce,
  signLoginNonce,
  verifyLoginSignature,
  type LoginMessageFields,
} from './signature';

type Pair = { publicKey: KeyObject; privateKey: KeyObject };
type KeyName = 'rsa-2048' | 'rsa-3072' | 'rsa-4096' | 'ed25519';

const fields: LoginMessageFields = {
  kind: 'robot',
  deviceId: '6f1c9b1e-3d8a-4c61-9a53-0f4a2b7e9d10',
  requestId: '0b6f8a54-1b3e-4a2f-8f7c-5d2e9a1c3b4d',
  nonce: 'q8Xx0n1Vb5mJ3l6cKp2R7sT9uW4yZ0aB1cD2eF3gH4i',
};

describe('signature mode', () => {
  const keys = {} as Record<KeyName | 'other-ed25519' | 'other-rsa-2048' | 'ec', Pair>;
  const KEY_NAMES: KeyName[] = ['rsa-2048', 'rsa-3072', 'rsa-4096', 'ed25519'];

  beforeAll(() => {
    keys['rsa-2048'] = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keys['rsa-3072'] = generateKeyPairSync('rsa', { modulusLength: 3072 });
    keys['rsa-4096'] = generateKeyPairSync('rsa', { modulusLength: 4096 }); // slow: one per file
    keys['ed25519'] = generateKeyPairSync('ed25519');
    keys['other-ed25519'] = generateKeyPairSync('ed25519');
    keys['other-rsa-2048'] = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keys['ec'] = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  });

  describe('createNonce', () => {
    it('is 32 random bytes, base64url without padding', () => {
      const nonce = createNonce();
      expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(nonce, 'base64url')).toHaveLength(32);
      expect(new Set(Array.from({ length: 100 }, createNonce)).size).toBe(100);
    });
  });

  describe('buildLoginMessage', () => {
    it('is the exact domain-separated byte string', () => {
      expect(buildLoginMessage(fields).toString('utf8')).toBe(
        `platform-device-login:v1\nrobot\n${fields.deviceId}\n${fields.requestId}\n${fields.nonce}`,
      );
      expect(LOGIN_SIGNATURE_DOMAIN).toBe('platform-device-login:v1');
    });

    it.each<[string, Partial<Record<keyof LoginMessageFields, unknown>>, RegExp]>([
      ['an unknown kind', { kind: 'drone' }, /unknown device kind/],
      ['an empty device id', { deviceId: '' }, /deviceId must be a non-empty string/],
      ['a device id with a newline', { deviceId: 'a\nb' }, /line breaks/],
      ['a request id with a carriage return', { requestId: 'a\rb' }, /line breaks/],
      ['a nonce with NUL', { nonce: 'a\0b' }, /NUL/],
      ['a non-string nonce', { nonce: 42 }, /nonce must be a non-empty string/],
      ['an over-long request id', { requestId: 'x'.repeat(257) }, /longer than 256/],
    ])('refuses %s', (_name, override, message) => {
      const bad = { ...fields, ...override } as LoginMessageFields;
      expect(() => buildLoginMessage(bad)).toThrow(
        expect.objectContaining({
          code: 'INVALID_LOGIN_MESSAGE_FIELD',
          message: expect.stringMatching(message),
        }),
      );
      expect(() => signLoginNonce(keys['ed25519'].privateKey, bad)).toThrow(
        expect.objectContaining({ code: 'INVALID_LOGIN_MESSAGE_FIELD' }),
      );
    });
  });

  describe('round trip', () => {
    it.each(KEY_NAMES)('%s: signs and verifies', async (name) => {
      const { publicKey, privateKey } = keys[name];
      const signature = signLoginNonce(privateKey, fields);
      await expect(verifyLoginSignature(publicKey, fields, signature)).resolves.toBe(true);
      const parsed = parseDevicePublicKey(
        publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      );
      await expect(verifyLoginSignature(parsed, fields, signature)).resolves.toBe(true);
    });

    it.each<[KeyName, number]>([
      ['rsa-2048', 344],
      ['rsa-3072', 512],
      ['rsa-4096', 684],
      ['ed25519', 88],
    ])('%s signature is %i base64 chars', (name, length) => {
      expect(signLoginNonce(keys[name].privateKey, fields)).toHaveLength(length);
    });

    it('Ed25519 is pure Ed25519 over the message (crypto.sign(null, ...))', () => {
      const signature = signLoginNonce(keys['ed25519'].privateKey, fields);
      expect(
        verify(
          null,
          buildLoginMessage(fields),
          keys['ed25519'].publicKey,
          Buffer.from(signature, 'base64'),
        ),
      ).toBe(true);
    });

    it('RSA is PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt', async () => {
      const { publicKey, privateKey } = keys['rsa-2048'];
      const signature = Buffer.from(signLoginNonce(privateKey, fields), 'base64');
      const message = buildLoginMessage(fields);
      const pss = (saltLength: number) => ({
        key: publicKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength,
      });
      expect(RSA_PSS_SALT_LENGTH).toBe(32);
      expect(verify('sha256', message, pss(32), signature)).toBe(true);
      expect(verify('sha256', message, pss(constants.RSA_PSS_SALTLEN_AUTO), signature)).toBe(true);
      expect(verify('sha256', message, pss(20), signature)).toBe(false);
      expect(verify('sha256', message, { key: publicKey }, signature)).toBe(false); // not PKCS#1 v1.5
      // An independently produced PSS signature verifies too.
      const external = sign('sha256', message, { ...pss(32), key: privateKey }).toString('base64');
      await expect(verifyLoginSignature(publicKey, fields, external)).resolves.toBe(true);
    });

    it('RSA-PSS is randomised, Ed25519 deterministic', () => {
      expect(signLoginNonce(keys['rsa-2048'].privateKey, fields)).not.toBe(
        signLoginNonce(keys['rsa-2048'].privateKey, fields),
      );
      expect(signLoginNonce(keys['ed25519'].privateKey, fields)).toBe(
        signLoginNonce(keys['ed25519'].privateKey, fields),
      );
    });

    it('refuses to sign with an unsupported key', () => {
      expect(() => signLoginNonce(keys['ec'].privateKey, fields)).toThrow(
        expect.objectContaining({ code: 'UNSUPPORTED_KEY_TYPE' }),
      );
    });
  });

  describe('verifyLoginSignature resolves false (never throws or rejects)', () => {
    const flipByte = (signature: string, index: number): string => {
      const bytes = Buffer.from(signature, 'base64');
      bytes[index] = (bytes[index] ?? 0) ^ 0x80;
      return bytes.toString('base64');
    };

    type Case = [
      string,
      (
        signature: string,
        name: KeyName,
      ) => {
        key?: KeyObject;
        fields?: LoginMessageFields;
        signature?: unknown;
      },
    ];
    const cases: Case[] = [
      [
        'the wrong key',
        (_s, name) => ({
          key: (name === 'ed25519' ? keys['other-ed25519'] : keys['other-rsa-2048']).publicKey,
        }),
      ],
      ['another device id', () => ({ fields: { ...fields, deviceId: `${fields.deviceId}x` } })],
      ['another device kind', () => ({ fields: { ...fields, kind: 'store' } })],
      ['another request id', () => ({ fields: { ...fields, requestId: 'other-request' } })],
      ['another nonce', () => ({ fields: { ...fields, nonce: createNonce() } })],
      ['a flipped first byte', (s) => ({ signature: flipByte(s, 0) })],
      [
        'a flipped last byte',
        (s) => ({ signature: flipByte(s, Buffer.from(s, 'base64').length - 1) }),
      ],
      [
        'a truncated signature',
        (s) => ({ signature: Buffer.from(s, 'base64').subarray(1).toString('base64') }),
      ],
      [
        'an extended signature',
        (s) => ({
          signature: Buffer.concat([Buffer.from(s, 'base64'), Buffer.from([0])]).toString('base64'),
        }),
      ],
      ['an empty signature', () => ({ signature: '' })],
      ['non-base64 text', () => ({ signature: 'not base64 at all!' })],
      [
        'base64url instead of base64',
        (s) => ({ signature: Buffer.from(s, 'base64').toString('base64url') }),
      ],
      ['a huge string', () => ({ signature: 'A'.repeat(100_000) })],
      ['a non-string', () => ({ signature: { length: 88 } })],
      ['null', () => ({ signature: null })],
      ['invalid fields', () => ({ fields: { ...fields, nonce: 'a\nb' } })],
      [
        'an unknown kind',
        () => ({ fields: { ...fields, kind: 'drone' as LoginMessageFields['kind'] } }),
      ],
      ['an EC public key', () => ({ key: keys['ec'].publicKey })],
    ];

    describe.each(KEY_NAMES)('%s', (name) => {
      it.each(cases)('%s', async (_caseName, tamper) => {
        const signature = signLoginNonce(keys[name].privateKey, fields);
        const changed = tamper(signature, name);
        const run = () =>
          verifyLoginSignature(
            changed.key ?? keys[name].publicKey,
            changed.fields ?? fields,
            (changed.signature === undefined ? signature : changed.signature) as string,
          );
        expect(run).not.toThrow();
        await expect(run()).resolves.toBe(false);
      });
    });

    it('an RSA signature checked against an Ed25519 key, and the reverse', async () => {
      const rsaSignature = signLoginNonce(keys['rsa-2048'].privateKey, fields);
      const edSignature = signLoginNonce(keys['ed25519'].privateKey, fields);
      await expect(
        verifyLoginSignature(keys['ed25519'].publicKey, fields, rsaSignature),
      ).resolves.toBe(false);
      await expect(
        verifyLoginSignature(keys['rsa-2048'].publicKey, fields, edSignature),
      ).resolves.toBe(false);
    });

    it('a signature by the same key over another domain', async () => {
      const message = Buffer.from(
        ['other-protocol:v1', fields.kind, fields.deviceId, fields.requestId, fields.nonce].join(
          '\n',
        ),
      );
      const foreign = sign(null, message, keys['ed25519'].privateKey).toString('base64');
      await expect(verifyLoginSignature(keys['ed25519'].publicKey, fields, foreign)).resolves.toBe(
        false,
      );
    });
  });
});
