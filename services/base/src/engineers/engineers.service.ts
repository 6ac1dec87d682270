import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError } from '@platform/errors';
import { Repository } from 'typeorm';
import { isForeignKeyViolation, violatedUniqueConstraint } from '../common/db-errors';
import { type Page, pageOf, type PageWindow } from '../common/pagination';
import { CardKeyHasher, normaliseCardKey } from './auth-card';
import { type AdminAccessView, type EngineerView } from './dto/engineer.dto';
import { AuthCardEntity } from './entities/auth-card.entity';
import { EngineerEntity } from './entities/engineer.entity';
import { PasswordHasher } from './password-hasher';
import { type EngineerPrivilege, holdsPrivilege, maskOf, privilegeNamesOf } from './privileges';

export function toEngineerView(engineer: EngineerEntity): EngineerView {
  return {
    id: engineer.id,
    login: engineer.login,
    privileges: privilegeNamesOf(engineer.privileges),
  };
}

function engineerNotFound(): DomainError {
  return new DomainError('not_found', 'ENGINEER_NOT_FOUND', 'Engineer not found');
}

@Injectable()
export class EngineersService {
  constructor(
    @InjectRepository(EngineerEntity) private readonly engineers: Repository<EngineerEntity>,
    @InjectRepository(AuthCardEntity) private readonly cards: Repository<AuthCardEntity>,
    private readonly hasher: PasswordHasher,
    private readonly cardKeys: CardKeyHasher,
  ) {}

  /** A new engineer without privileges; 409 when the login is taken. */
  async create(login: string, password: string): Promise<EngineerEntity> {
    const passwordHash = await this.hasher.hash(password);
    try {
      return await this.engineers.save(
        this.engineers.create({ login, passwordHash, privileges: 0 }),
      );
    } catch (error) {
      if (violatedUniqueConstraint(error) === 'engineers_login_key') {
        throw new DomainError(
          'conflict',
          'ENGINEER_LOGIN_TAKEN',
          'An engineer with this login already exists',
        );
      }
      throw error;
    }
  }

  async list(window: PageWindow): Promise<Page<EngineerView>> {
    const [rows, total] = await this.engineers.findAndCount({
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: window.skip,
      take: window.take,
    });
    return pageOf(rows.map(toEngineerView), total, window);
  }

  /** Deletes the engineer; their card goes with them (ON DELETE CASCADE). */
  async remove(id: string): Promise<void> {
    const result = await this.engineers.delete({ id });
    if (!result.affected) {
      throw engineerNotFound();
    }
  }

  /** Replaces the engineer's privileges with exactly the listed ones (the seed's semantics). */
  async setPrivileges(id: string, privileges: readonly EngineerPrivilege[]): Promise<void> {
    const result = await this.engineers.update({ id }, { privileges: maskOf(privileges) });
    if (!result.affected) {
      throw engineerNotFound();
    }
  }

  /**
   * Gives the engineer this card (replacing theirs), or takes their card away when the key is
   * null or blank. 409 when another engineer holds the card.
   */
  async setAuthCard(engineerId: string, key: string | null | undefined): Promise<void> {
    const engineer = await this.engineers.existsBy({ id: engineerId });
    if (!engineer) {
      throw engineerNotFound();
    }
    if (!key || normaliseCardKey(key) === '') {
      await this.cards.delete({ engineerId });
      return;
    }
    try {
      await this.cards.query(
        `INSERT INTO base.auth_cards (engineer_id, key_hash) VALUES ($1, $2)
         ON CONFLICT (engineer_id) DO UPDATE SET key_hash = EXCLUDED.key_hash, created_at = now()`,
        [engineerId, this.cardKeys.hash(key)],
      );
    } catch (error) {
      if (violatedUniqueConstraint(error) === 'auth_cards_key_hash_key') {
        throw new DomainError(
          'conflict',
          'AUTH_CARD_TAKEN',
          'This card already belongs to another engineer',
        );
      }
      if (isForeignKeyViolation(error)) {
        throw engineerNotFound();
      }
      throw error;
    }
  }

  /**
   * The engineer whose card this is, if they hold ROBOT_ADMIN; otherwise 403 ACCESS_DENIED,
   * the same answer for an unknown card and for a card without the privilege.
   */
  async adminAccess(key: string): Promise<AdminAccessView> {
    const engineer = await this.engineers
      .createQueryBuilder('engineer')
      .innerJoin(AuthCardEntity, 'card', 'card.engineerId = engineer.id')
      .where('card.keyHash = :keyHash', { keyHash: this.cardKeys.hash(key) })
      .getOne();
    if (!engineer || !holdsPrivilege(engineer.privileges, 'ROBOT_ADMIN')) {
      throw new DomainError('forbidden', 'ACCESS_DENIED', 'Access denied');
    }
    return { id: engineer.id, login: engineer.login };
  }
}
