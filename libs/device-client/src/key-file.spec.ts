import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  DEFAULT_PBKDF2_ITERATIONS,
  KeyFileError,
  checkPassphrase,
  decryptPrivateKey,
  encryptPrivateKey,
} from './key-file';

const PASSPHRASE = 'correct horse battery staple';
const FAST = 1000; // iterations for specs that do not check the default

const pkcs8 = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'der' });

describe('device private key files', () => {
  let rsa: KeyObject;
  let ed25519: KeyObject;

  beforeAll(() => {
    rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    ed25519 = generateKeyPairSync('ed25519').privateKey;
  });

  it.each([
    ['RSA-2048', () => rsa],
    ['Ed25519', () => ed25519],
  ])('%s round-trips through an encrypted PKCS#8 PEM', (_name, key) => {
    const pem = encryptPrivateKey(key(), PASSPHRASE, FAST);
    expect(pem).toMatch(
      /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END ENCRYPTED PRIVATE KEY-----\n$/,
    );
    expect(pkcs8(decryptPrivateKey(pem, PASSPHRASE)).equals(pkcs8(key()))).toBe(true);
    // Standard format: plain Node/OpenSSL reads it too.
    expect(pkcs8(createPrivateKey({ key: pem, passphrase: PASSPHRASE })).equals(pkcs8(key()))).toBe(
      true,
    );
  });

  it('uses PBES2 / PBKDF2-HMAC-SHA256 (600,000 iterations by default) / AES-256-CBC', () => {
    expect(DEFAULT_PBKDF2_ITERATIONS).toBe(600_000);
    const pem = encryptPrivateKey(ed25519, PASSPHRASE);
    const der = Buffer.from(pem.split('\n').slice(1, -2).join(''), 'base64');
    const hex = der.toString('hex');
    expect(hex).toContain('06092a864886f70d01050d'); // PBES2
    expect(hex).toContain('06092a864886f70d01050c'); // PBKDF2
    expect(hex).toContain('02030927c0'); // INTEGER 600000
    expect(hex).toContain('06082a864886f70d02090500'); // hmacWithSHA256, NULL
    expect(hex).toContain('060960864801650304012a'); // aes-256-cbc
    expect(pkcs8(decryptPrivateKey(pem, PASSPHRASE)).equals(pkcs8(ed25519))).toBe(true);
  });

  it('uses a fresh salt and IV each time', () => {
    expect(encryptPrivateKey(ed25519, PASSPHRASE, FAST)).not.toBe(
      encryptPrivateKey(ed25519, PASSPHRASE, FAST),
    );
  });

  it.each<[string, () => string, KeyFileError['code']]>([
    ['a wrong passphrase', () => 'wrong passphrase!!', 'KEY_DECRYPTION_FAILED'],
    ['an empty passphrase', () => '', 'KEY_DECRYPTION_FAILED'],
  ])('refuses %s', (_name, passphrase, code) => {
    const pem = encryptPrivateKey(rsa, PASSPHRASE, FAST);
    expect(() => decryptPrivateKey(pem, passphrase())).toThrow(expect.objectContaining({ code }));
  });

  it('refuses a corrupted file', () => {
    const pem = encryptPrivateKey(rsa, PASSPHRASE, FAST);
    const lines = pem.split('\n');
    lines[3] = (lines[3] ?? '').replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    expect(() => decryptPrivateKey(lines.join('\n'), PASSPHRASE)).toThrow(
      expect.objectContaining({ code: 'KEY_DECRYPTION_FAILED' }),
    );
  });

  it.each([
    ['PKCS#8', () => rsa.export({ type: 'pkcs8', format: 'pem' }).toString()],
    ['PKCS#1', () => rsa.export({ type: 'pkcs1', format: 'pem' }).toString()],
  ])('refuses an unencrypted %s key (the seed defect)', (_name, pem) => {
    expect(() => decryptPrivateKey(pem(), PASSPHRASE)).toThrow(
      expect.objectContaining({ code: 'KEY_NOT_ENCRYPTED' }),
    );
  });

  it.each([undefined, '', 'short', '12345678901'])(
    'refuses the weak passphrase %j',
    (passphrase) => {
      expect(() => checkPassphrase(passphrase)).toThrow(KeyFileError);
      expect(() => encryptPrivateKey(rsa, passphrase as string, FAST)).toThrow(
        expect.objectContaining({ code: 'WEAK_PASSPHRASE' }),
      );
    },
  );

  it('accepts a 12-character and a non-ASCII passphrase', () => {
    for (const passphrase of ['123456789012', 'пароль-робота-№1']) {
      const pem = encryptPrivateKey(ed25519, passphrase, FAST);
      expect(pkcs8(decryptPrivateKey(pem, passphrase)).equals(pkcs8(ed25519))).toBe(true);
    }
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses %d iterations', (iterations) => {
    expect(() => encryptPrivateKey(ed25519, PASSPHRASE, iterations)).toThrow(RangeError);
  });
});
