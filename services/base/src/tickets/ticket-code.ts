import { createHash, randomBytes } from 'node:crypto';

/** 256 bits from the CSPRNG, base64url (43 characters): fits any QR code, guessable by nobody. */
export function newTicketCode(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this is stored. The code has 256 bits of entropy, so a plain SHA-256 cannot be reversed. */
export function hashTicketCode(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}
