import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { DeviceAuthError, type DeviceAuthErrorCode } from './errors';
import {
  DevicePublicKeyCache,
  MAX_PUBLIC_KEY_PEM_BYTES,
  parseDevicePublicKey,
  toPublicKeyObject,
} from './public-key';

const spki = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString();
const rsa = (modulusLength: number, publicExponent?: number) =>
  generateKeyPairSync('rsa', { modulusLength, ...(publicExponent ? { publicExponent } : {}) });

function expectRejected(input: string, code: DeviceAuthErrorCode, message?: RegExp): void {
  let error: unknown;
  try {
    parseDevicePublicKey(input);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(DeviceAuthError);
  expect(error).toMatchObject({ code });
  if (message) expect((error as Error).message).toMatch(message);
}

describe('parseDevicePublicKey', () => {
  // Generated once per file: RSA-4096 (and > 4096) generation takes about a second each.
  let rsa2048: ReturnType<typeof rsa>;
  let rsa3072: ReturnType<typeof rsa>;
  let rsa4096: ReturnType<typeof rsa>;
  let ed25519: ReturnType<typeof generateKeyPairSync>;
  const rejected: Record<string, string> = {};

  beforeAll(() => {
    rsa2048 = rsa(2048);
    rsa3072 = rsa(3072);
    rsa4096 = rsa(4096);
    ed25519 = generateKeyPairSync('ed25519');
    rejected['rsa-1024'] = spki(rsa(1024).publicKey);
    rejected['rsa-2040'] = spki(rsa(2040).publicKey);
    rejected['rsa-4104'] = spki(rsa(4104).publicKey);
    rejected['rsa-2048-e3'] = spki(rsa(2048, 3).publicKey);
    rejected['ec-p256'] = spki(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
    rejected['ec-p384'] = spki(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey);
    rejected['dsa'] = spki(
      generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }).publicKey,
    );
    rejected['x25519'] = spki(generateKeyPairSync('x25519').publicKey);
    rejected['ed448'] = spki(generateKeyPairSync('ed448').publicKey);
    rejected['x448'] = spki(generateKeyPairSync('x448').publicKey);
    rejected['rsa-pss'] = spki(generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey);
    // @types/node has no overload for 'dh'; Node supports it.
    const generateAny = generateKeyPairSync as unknown as (
      type: string,
      options: object,
    ) => { publicKey: KeyObject };
    rejected['dh'] = spki(generateAny('dh', { group: 'modp14' }).publicKey);
  });

  describe('accepts', () => {
    it.each([
      ['rsa-2048', 'rsa', 2048],
      ['rsa-3072', 'rsa', 3072],
      ['rsa-4096', 'rsa', 4096],
      ['ed25519', 'ed25519', 256],
    ] as const)('%s', (name, algorithm, bits) => {
      const pair = { 'rsa-2048': rsa2048, 'rsa-3072': rsa3072, 'rsa-4096': rsa4096, ed25519 }[name];
      const pem = spki(pair.publicKey as KeyObject);
      const parsed = parseDevicePublicKey(pem);
      expect(parsed.algorithm).toBe(algorithm);
      expect(parsed.bits).toBe(bits);
      expect(parsed.spkiPem).toBe(pem);
      expect(parsed.keyObject.type).toBe('public');
      const der = (pair.publicKey as KeyObject).export({ type: 'spki', format: 'der' });
      expect(parsed.fingerprint).toBe(createHash('sha256').update(der).digest('base64url'));
      expect(parsed.fingerprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(toPublicKeyObject(parsed)).toBe(parsed.keyObject);
    });

    it.each<[string, (pem: string) => string]>([
      ['CRLF line endings', (pem) => pem.replace(/\n/g, '\r\n')],
      ['surrounding whitespace', (pem) => `\n\n  ${pem}  \n\t`],
      ['no trailing newline', (pem) => pem.trimEnd()],
      [
        'a single-line base64 body',
        (pem) => {
          const [begin, ...rest] = pem.trim().split('\n');
          const end = rest.pop();
          return `${begin}\n${rest.join('')}\n${end}\n`;
        },
      ],
    ])('and normalises %s', (_name, mangle) => {
      const pem = spki(rsa2048.publicKey);
      const parsed = parseDevicePublicKey(mangle(pem));
      expect(parsed.spkiPem).toBe(pem);
    });

    it('the seed-sized RSA-2048 PEM is 451 characters', () => {
      expect(parseDevicePublicKey(spki(rsa2048.publicKey)).spkiPem).toHaveLength(451);
    });

    it('gives distinct fingerprints for distinct keys', () => {
      const a = parseDevicePublicKey(spki(rsa2048.publicKey)).fingerprint;
      const b = parseDevicePublicKey(spki(rsa3072.publicKey)).fingerprint;
      expect(a).not.toBe(b);
    });
  });

  describe('rejects key types and sizes', () => {
    it.each<[string, DeviceAuthErrorCode, RegExp]>([
      ['rsa-1024', 'RSA_KEY_SIZE_OUT_OF_RANGE', /1024 bits/],
      ['rsa-2040', 'RSA_KEY_SIZE_OUT_OF_RANGE', /2040 bits/],
      ['rsa-4104', 'RSA_KEY_SIZE_OUT_OF_RANGE', /4104 bits/],
      ['rsa-2048-e3', 'RSA_EXPONENT_NOT_ALLOWED', /exponent is 3/],
      ['ec-p256', 'UNSUPPORTED_KEY_TYPE', /"ec"/],
      ['ec-p384', 'UNSUPPORTED_KEY_TYPE', /"ec"/],
      ['dsa', 'UNSUPPORTED_KEY_TYPE', /"dsa"/],
      ['x25519', 'UNSUPPORTED_KEY_TYPE', /"x25519"/],
      ['ed448', 'UNSUPPORTED_KEY_TYPE', /"ed448"/],
      ['x448', 'UNSUPPORTED_KEY_TYPE', /"x448"/],
      ['rsa-pss', 'UNSUPPORTED_KEY_TYPE', /"rsa-pss"/],
      ['dh', 'UNSUPPORTED_KEY_TYPE', /"dh"/],
    ])('%s → %s', (name, code, message) => {
      expectRejected(rejected[name] ?? '', code, message);
    });
  });

  describe('rejects private keys passed by mistake', () => {
    it.each<[string, () => string]>([
      ['PKCS#8', () => rsa2048.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()],
      ['PKCS#1', () => rsa2048.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()],
      [
        'encrypted PKCS#8',
        () =>
          rsa2048.privateKey
            .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' })
            .toString(),
      ],
      [
        'Ed25519 PKCS#8',
        () => (ed25519.privateKey as KeyObject).export({ type: 'pkcs8', format: 'pem' }).toString(),
      ],
      [
        'public and private key pasted together',
        () =>
          spki(rsa2048.publicKey) +
          rsa2048.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      ],
    ])('%s', (_name, make) => {
      expectRejected(make(), 'PRIVATE_KEY_NOT_ACCEPTED');
    });
  });

  describe('rejects malformed input', () => {
    const pem = () => spki(rsa2048.publicKey);
    const body = () => pem().split('\n').slice(1, -2).join('\n');

    it.each<[string, () => string, RegExp]>([
      ['an empty string', () => '', /not PEM/],
      ['garbage', () => 'hello world', /not PEM/],
      ['bare base64 without armour', () => body(), /not PEM/],
      ['a BEGIN line without END', () => pem().split('-----END')[0] ?? '', /not PEM/],
      ['trailing junk', () => `${pem()}junk`, /before or after/],
      ['leading junk', () => `junk\n${pem()}`, /before or after/],
      ['two PEM blocks', () => pem() + pem(), /exactly one PEM block, found 2/],
      ['PKCS#1 "RSA PUBLIC KEY"', () => spkiAsPkcs1(rsa2048.publicKey), /BEGIN RSA PUBLIC KEY/],
      ['a certificate label', () => pem().replace(/PUBLIC KEY/g, 'CERTIFICATE'), /CERTIFICATE/],
      [
        'mismatched labels',
        () => pem().replace('END PUBLIC KEY', 'END RSA PUBLIC KEY'),
        /labels do not match/,
      ],
      ['an empty body', () => '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----', /base64/],
      ['a body with invalid characters', () => pem().replace(/\n[A-Za-z0-9+/]/, '\n*'), /base64/],
      ['a body with a missing character', () => pem().replace(/\n[A-Za-z0-9+/]/, '\n'), /base64/],
      [
        'a body with a space inside a line',
        () => pem().replace(/(\n[A-Za-z0-9+/]{10})/, '$1 '),
        /base64/,
      ],
      [
        'a body that is not a key',
        () => armour(Buffer.from('not a key at all').toString('base64')),
        /DER/,
      ],
      [
        'a truncated key',
        () => armour(derOf(rsa2048.publicKey).subarray(0, 200).toString('base64')),
        /DER/,
      ],
      [
        'DER with trailing bytes',
        () =>
          armour(
            Buffer.concat([derOf(rsa2048.publicKey), Buffer.from([0, 0, 0])]).toString('base64'),
          ),
        /canonical DER/,
      ],
      [
        'non-canonical base64 (non-zero padding bits)',
        () => nonCanonicalBase64(ed25519.publicKey as KeyObject),
        /canonical base64/,
      ],
    ])('%s', (_name, make, message) => {
      expectRejected(make(), 'INVALID_PUBLIC_KEY', message);
    });

    it.each([undefined, null, 42, {}, Buffer.from('x')])('a non-string (%p)', (value) => {
      expectRejected(value as unknown as string, 'INVALID_PUBLIC_KEY', /PEM string/);
    });

    it('input over the size cap, before parsing', () => {
      const padded = `${pem()}${' '.repeat(MAX_PUBLIC_KEY_PEM_BYTES)}`;
      expectRejected(padded, 'PUBLIC_KEY_TOO_LARGE');
      expectRejected('x'.repeat(10 * 1024 * 1024), 'PUBLIC_KEY_TOO_LARGE');
    });

    it('multi-byte input whose UTF-8 size exceeds the cap', () => {
      expectRejected('é'.repeat(MAX_PUBLIC_KEY_PEM_BYTES / 2 + 1), 'PUBLIC_KEY_TOO_LARGE');
    });
  });
});

function derOf(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

function armour(base64: string): string {
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

function spkiAsPkcs1(key: KeyObject): string {
  return key.export({ type: 'pkcs1', format: 'pem' }).toString();
}

/** The Ed25519 SPKI is 44 bytes: base64 ends with one '=' and 2 unused bits we can set. */
function nonCanonicalBase64(key: KeyObject): string {
  const base64 = derOf(key).toString('base64');
  expect(base64.endsWith('=')).toBe(true);
  const last = base64.at(-2) ?? 'A';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const tweaked = alphabet[alphabet.indexOf(last) ^ 1] ?? 'A';
  return armour(`${base64.slice(0, -2)}${tweaked}=`);
}

describe('DevicePublicKeyCache', () => {
  const pemOf = () =>
    generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it('parses a stored key once and keeps at most its size, dropping the oldest', () => {
    const cache = new DevicePublicKeyCache(2);
    const [a, b, c] = [pemOf(), pemOf(), pemOf()].map((pem) => ({
      pem,
      fingerprint: parseDevicePublicKey(pem).fingerprint,
    }));
    if (!a || !b || !c) throw new Error('three keys');
    const first = cache.parse(a.fingerprint, a.pem);
    expect(first.fingerprint).toBe(a.fingerprint);
    expect(cache.parse(a.fingerprint, a.pem)).toBe(first);
    cache.parse(b.fingerprint, b.pem);
    cache.parse(c.fingerprint, c.pem);
    expect(cache.parse(a.fingerprint, a.pem)).not.toBe(first);
    expect(cache.parse(a.fingerprint, a.pem).fingerprint).toBe(a.fingerprint);
  });
});
