import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { LIMITS } from '../common/limits';
import { EngineerEntity } from './entities/engineer.entity';
import { PasswordHasher } from './password-hasher';
import { engineerErrors } from './engineer.errors';

export interface VerifiedEngineer {
  id: string;
  /** Bitmask of ENGINEER_PRIVILEGES; check the one you need with `hasPrivileges`. */
  privileges: number;
}

/**
 * Checks an engineer's login and password (device provisioning). Unknown logins are verified
 * against a dummy hash, so they cost the same argon2 work as wrong passwords and timing does not
 * tell which logins exist. Every failure is the same 401 INVALID_CREDENTIALS.
 */
@Injectable()
export class EngineerCredentialsService {
  constructor(
    @InjectRepository(EngineerEntity) private readonly engineers: Repository<EngineerEntity>,
    private readonly hasher: PasswordHasher,
  ) {}

  async verify(login: string, password: string): Promise<VerifiedEngineer> {
    const plausible =
      typeof login === 'string' &&
      typeof password === 'string' &&
      login.length > 0 &&
      login.length <= LIMITS.engineerLogin &&
      password.length <= LIMITS.passwordMax;
    const engineer = plausible ? await this.engineers.findOneBy({ login }) : null;
    const passwordHash = engineer?.passwordHash ?? (await this.hasher.dummyHash());
    const matches = await this.hasher.verify(passwordHash, plausible ? password : '');
    if (!engineer || !matches) {
      throw engineerErrors.invalidCredentials();
    }
    return { id: engineer.id, privileges: engineer.privileges };
  }
}
