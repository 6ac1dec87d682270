import {
  constants,
  createHash,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  type KeyObject,
} from 'node:crypto';
import * as nodeCrypto from 'node:crypto';

// Pass-through wrappers that record calls, to prove which primitives the module really uses.
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  const calls = { randomInt: 0, timingSafeEqual: [] as Array<[number, number]> };
  return {
    ...actual,
    __calls: calls,
    randomInt: (...args: unknown[]) => {
      calls.randomInt++;
      return Reflect.apply(actual.randomInt, actual, args) as unknown;
    },
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.timingSafeEqual.push([a.byteLength, b.byteLength]);
      return actual.timingSafeEqual(a, b);
    },
  };
});
const cryptoCalls = (
  nodeCrypto as unknown as {
    __calls: { randomInt: number; timingSafeEqual: Array<[number, number]> };
  }
).__calls;
import {
  CHALLENGE_ALPHABET,
  CHALLENGE_LENGTH,
  RSA_2048_CIPHERTEXT_BASE64_LENGTH,
  createChallenge,
  createDecoyChallenge,
  decryptChallenge,
  encryptChallenge,
  hashSecret,
  isWellFormedChallengeAnswer,
  issueChallenge,
  secretMatches,
} from './challenge';
import { parseDevicePublicKey } from './public-key';

type Pair = { publicKey: KeyObject; privateKey: KeyObject };

/**
 * Independent RSA-OAEP decoder (EME-OAEP, RFC 8017 §7.1.2) over raw RSA, fixed to SHA-256 for both
 * the label hash and MGF1. If encryptChallenge used any other digest for MGF1 or a label, this
 * would fail: it pins the exact seed parameters (OAEP, MGF1-SHA-256, SHA-256, no label).
 */
function oaepSha256Decode(privateKey: KeyObject, ciphertext: Buffer): Buffer {
  const em = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, ciphertext);
  const hLen = 32;
  const mgf1 = (seed: Buffer, length: number): Buffer => {
    const chunks: Buffer[] = [];
    for (let counter = 0; chunks.length * hLen < length; counter++) {
      const c = Buffer.alloc(4);
      c.writeUInt32BE(counter);
      chunks.push(createHash('sha256').update(seed).update(c).digest());
    }
    return Buffer.concat(chunks).subarray(0, length);
  };
  const xor = (a: Buffer, b: Buffer) => Buffer.from(a.map((byte, i) => byte ^ (b[i] ?? 0)));
  expect(em[0]).toBe(0);
  const maskedSeed = em.subarray(1, 1 + hLen);
  const maskedDb = em.subarray(1 + hLen);
  const seed = xor(maskedSeed, mgf1(maskedDb, hLen));
  const db = xor(maskedDb, mgf1(seed, maskedDb.length));
  const emptyLabelHash = createHash('sha256').update(Buffer.alloc(0)).digest();
  expect(db.subarray(0, hLen).equals(emptyLabelHash)).toBe(true);
  const separator = db.indexOf(1, hLen);
  expect(db.subarray(hLen, separator).every((byte) => byte === 0)).toBe(true);
  return db.subarray(separator + 1);
}

describe('challenge mode', () => {
  let rsa2048: Pair;
  let otherRsa2048: Pair;
  let rsa4096: Pair; // slow to generate: one per file
  let ed25519: Pair;

  beforeAll(() => {
    rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 });
    otherRsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 });
    rsa4096 = generateKeyPairSync('rsa', { modulusLength: 4096 });
    ed25519 = generateKeyPairSync('ed25519');
  });

  describe('createChallenge', () => {
    it('has the seed alphabet of 72 symbols', () => {
      expect(CHALLENGE_ALPHABET).toHaveLength(72);
      expect(new Set(CHALLENGE_ALPHABET).size).toBe(72);
      expect(CHALLENGE_ALPHABET).toMatch(/^[A-Za-z0-9!@#$%^&*()]+$/);
    });

    it('draws 100 symbols of the alphabet', () => {
      const challenge = createChallenge();
      expect(challenge).toHaveLength(CHALLENGE_LENGTH);
      expect(CHALLENGE_LENGTH).toBe(100);
      expect(isWellFormedChallengeAnswer(challenge)).toBe(true);
    });

    it('draws every symbol with crypto.randomInt (a CSPRNG)', () => {
      cryptoCalls.randomInt = 0;
      createChallenge();
      expect(cryptoCalls.randomInt).toBe(CHALLENGE_LENGTH);
      const seen = new Set<string>();
      for (let i = 0; i < 50; i++) for (const symbol of createChallenge()) seen.add(symbol);
      expect(seen.size).toBe(72);
    });

    it('does not repeat', () => {
      const challenges = new Set(Array.from({ length: 200 }, () => createChallenge()));
      expect(challenges.size).toBe(200);
    });
  });

  it.each<[unknown, boolean]>([
    ['A'.repeat(100), true],
    ['!@#$%^&*()'.repeat(10), true],
    ['A'.repeat(99), false],
    ['A'.repeat(101), false],
    [`${'A'.repeat(99)} `, false],
    [`${'A'.repeat(99)}é`, false],
    [`${'A'.repeat(99)}-`, false],
    [null, false],
    [100, false],
  ])('isWellFormedChallengeAnswer(%j) is %s', (value, expected) => {
    expect(isWellFormedChallengeAnswer(value)).toBe(expected);
  });

  describe('encryptChallenge / decryptChallenge', () => {
    it.each([
      ['RSA-2048 KeyObject', 2048, 344],
      ['RSA-2048 parsed key', 2048, 344],
      ['RSA-4096 KeyObject', 4096, 684],
    ] as const)('round-trips with %s (%i bits → %i base64 chars)', (name, bits, length) => {
      const pair = bits === 2048 ? rsa2048 : rsa4096;
      const key = name.includes('parsed')
        ? parseDevicePublicKey(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString())
        : pair.publicKey;
      const text = createChallenge();
      const data = encryptChallenge(key, text);
      expect(data).toHaveLength(length);
      expect(data).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(decryptChallenge(pair.privateKey, data)).toBe(text);
    });

    it('uses RSA-OAEP with SHA-256, MGF1-SHA-256 and no label (seed wire format)', () => {
      const text = createChallenge();
      const data = encryptChallenge(rsa2048.publicKey, text);
      expect(oaepSha256Decode(rsa2048.privateKey, Buffer.from(data, 'base64')).toString()).toBe(
        text,
      );
    });

    it('decrypts what a seed-compatible peer encrypted (OAEP SHA-256, explicit parameters)', () => {
      const text = createChallenge();
      const data = publicEncrypt(
        {
          key: rsa2048.publicKey,
          padding: constants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: 'sha256',
          oaepLabel: Buffer.alloc(0),
        },
        Buffer.from(text),
      ).toString('base64');
      expect(decryptChallenge(rsa2048.privateKey, data)).toBe(text);
    });

    it('is randomised (same text, different ciphertexts)', () => {
      const text = createChallenge();
      expect(encryptChallenge(rsa2048.publicKey, text)).not.toBe(
        encryptChallenge(rsa2048.publicKey, text),
      );
    });

    it('refuses to encrypt to an Ed25519 key', () => {
      expect(() => encryptChallenge(ed25519.publicKey, 'x')).toThrow(
        expect.objectContaining({ code: 'CHALLENGE_NOT_SUPPORTED_FOR_KEY' }),
      );
    });

    it('refuses to decrypt with an Ed25519 or a public key', () => {
      const data = encryptChallenge(rsa2048.publicKey, createChallenge());
      expect(() => decryptChallenge(ed25519.privateKey, data)).toThrow(
        expect.objectContaining({ code: 'CHALLENGE_NOT_SUPPORTED_FOR_KEY' }),
      );
      expect(() => decryptChallenge(rsa2048.publicKey, data)).toThrow(
        expect.objectContaining({ code: 'CHALLENGE_NOT_SUPPORTED_FOR_KEY' }),
      );
    });

    describe('tampering', () => {
      const flip = (data: string, index: number): string => {
        const bytes = Buffer.from(data, 'base64');
        bytes[index] = (bytes[index] ?? 0) ^ 0x01;
        return bytes.toString('base64');
      };

      it.each<[string, (data: string) => { key: () => KeyObject; data: string }]>([
        ['the wrong private key', (data) => ({ key: () => otherRsa2048.privateKey, data })],
        [
          'a flipped first byte',
          (data) => ({ key: () => rsa2048.privateKey, data: flip(data, 0) }),
        ],
        [
          'a flipped middle byte',
          (data) => ({ key: () => rsa2048.privateKey, data: flip(data, 128) }),
        ],
        [
          'a flipped last byte',
          (data) => ({ key: () => rsa2048.privateKey, data: flip(data, 255) }),
        ],
        [
          'a truncated ciphertext',
          (data) => ({
            key: () => rsa2048.privateKey,
            data: Buffer.from(data, 'base64').subarray(0, 200).toString('base64'),
          }),
        ],
        ['an empty ciphertext', () => ({ key: () => rsa2048.privateKey, data: '' })],
        ['a decoy', () => ({ key: () => rsa2048.privateKey, data: createDecoyChallenge() })],
        ['non-base64 text', () => ({ key: () => rsa2048.privateKey, data: '!!!not base64!!!' })],
      ])('fails with CHALLENGE_DECRYPTION_FAILED for %s', (_name, tamper) => {
        const text = createChallenge();
        const { key, data } = tamper(encryptChallenge(rsa2048.publicKey, text));
        let result: string | undefined;
        let error: unknown;
        try {
          result = decryptChallenge(key(), data);
        } catch (caught) {
          error = caught;
        }
        expect(result).toBeUndefined();
        expect(error).toMatchObject({ code: 'CHALLENGE_DECRYPTION_FAILED' });
      });
    });
  });

  describe('createDecoyChallenge', () => {
    it('has exactly the shape of a real RSA-2048 challenge', () => {
      const real = encryptChallenge(rsa2048.publicKey, createChallenge());
      for (let i = 0; i < 20; i++) {
        const decoy = createDecoyChallenge();
        expect(decoy).toHaveLength(real.length);
        expect(decoy).toHaveLength(RSA_2048_CIPHERTEXT_BASE64_LENGTH);
        expect(decoy.endsWith('=')).toBe(real.endsWith('='));
        expect(decoy.endsWith('==')).toBe(real.endsWith('=='));
        expect(Buffer.from(decoy, 'base64')).toHaveLength(256);
      }
    });

    it('is fresh every time', () => {
      expect(createDecoyChallenge()).not.toBe(createDecoyChallenge());
    });
  });

  describe('issueChallenge (server side of /login)', () => {
    it('encrypts a fresh challenge to an RSA key and keeps only its hash', () => {
      const issued = issueChallenge(rsa2048.publicKey);
      expect(issued.data).toHaveLength(344);
      expect(issued.secretHash).toMatch(/^[0-9a-f]{64}$/);
      const answer = decryptChallenge(rsa2048.privateKey, issued.data);
      expect(isWellFormedChallengeAnswer(answer)).toBe(true);
      expect(secretMatches(issued.secretHash ?? '', answer)).toBe(true);
    });

    it.each<[string, () => KeyObject | null | undefined]>([
      ['an unknown device (null)', () => null],
      ['an unknown device (undefined)', () => undefined],
      ['an Ed25519 device', () => ed25519.publicKey],
    ])('answers %s with a decoy and nothing to store', (_name, key) => {
      const issued = issueChallenge(key());
      expect(issued.secretHash).toBeNull();
      expect(issued.data).toHaveLength(RSA_2048_CIPHERTEXT_BASE64_LENGTH);
    });
  });

  describe('hashSecret / secretMatches', () => {
    const secret = 'Abc123!@#';
    const hash = createHash('sha256').update(secret).digest('hex');

    it('hashSecret is lower-case SHA-256 hex', () => {
      expect(hashSecret(secret)).toBe(hash);
      expect(hashSecret('')).toBe(
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      );
    });

    it.each<[string, unknown, unknown, boolean]>([
      ['the right secret', hash, secret, true],
      ['a different secret', hash, 'Abc123!@$', false],
      ['a prefix of the secret', hash, 'Abc123!@', false],
      ['an empty candidate', hash, '', false],
      ['the hash itself as candidate', hash, hash, false],
      ['a truncated hash (unequal length)', hash.slice(0, 62), secret, false],
      ['an over-long hash (unequal length)', `${hash}00`, secret, false],
      ['an upper-case hash', hash.toUpperCase(), secret, false],
      ['an empty hash', '', secret, false],
      ['a non-hex hash', 'z'.repeat(64), secret, false],
      ['a non-string candidate', hash, 42, false],
      ['a non-string hash', null, secret, false],
    ])('%s → %s, never throws', (_name, expected, candidate, result) => {
      expect(() => secretMatches(expected as string, candidate as string)).not.toThrow();
      expect(secretMatches(expected as string, candidate as string)).toBe(result);
    });

    it('compares with crypto.timingSafeEqual', () => {
      cryptoCalls.timingSafeEqual.length = 0;
      secretMatches(hash, secret);
      secretMatches(hash, 'wrong');
      secretMatches(hash.slice(0, 10), secret); // malformed: refused before comparing
      expect(cryptoCalls.timingSafeEqual).toEqual([
        [32, 32],
        [32, 32],
      ]);
    });
  });
});
