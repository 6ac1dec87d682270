import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { argon2id, hash, verify } from 'argon2';

/**
 * argon2id with the OWASP minimum (19 MiB, 2 passes, 1 lane): memory-hard, and cheap enough that a
 * burst of logins cannot exhaust the service's memory. The parameters travel inside each hash, so
 * they can be raised later without invalidating stored hashes.
 */
export const ARGON2_OPTIONS = {
  type: argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

@Injectable()
export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  /** False for a wrong password and for a malformed hash alike. */
  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  /**
   * A hash of a random secret with the same parameters, verified for unknown logins so they take
   * as long as wrong passwords (the seed answered unknown logins without hashing: enumeration).
   */
  dummyHash(): Promise<string> {
    this.dummy ??= this.hash(randomBytes(32).toString('hex'));
    return this.dummy;
  }
}
