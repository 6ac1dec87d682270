import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isForeignKeyViolation, violatedUniqueConstraint } from '@platform/database';
import { type Page, pageOf, type PageWindow } from '@platform/http';
import { CardKeyHasher, normaliseCardKey } from './auth-card';
import { type AdminAccessView, type EngineerView } from './dto/engineer.dto';
import { AuthCardEntity } from './entities/auth-card.entity';
import { EngineerEntity } from './entities/engineer.entity';
import { PasswordHasher } from './password-hasher';
import { type EngineerPrivilege, holdsPrivilege, maskOf, privilegeNamesOf } from './privileges';
import { engineerErrors } from './engineer.errors';

export function toEngineerView(engineer: EngineerEntity): EngineerView {
  return {
    id: engineer.id,
    login: engineer.login,
    privileges: privilegeNamesOf(engineer.privileges),
  };
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
        throw engineerErrors.loginTaken();
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
      throw engineerErrors.notFound();
    }
  }

  /** Replaces the engineer's privileges with exactly the listed ones (the seed's semantics). */
  async setPrivileges(id: string, privileges: readonly EngineerPrivilege[]): Promise<void> {
    const result = await this.engineers.update({ id }, { privileges: maskOf(privileges) });
    if (!result.affected) {
      throw engineerErrors.notFound();
    }
  }

  /**
   * Gives the engineer this card (replacing theirs), or takes their card away when the key is
   * null or blank. 409 when another engineer holds the card.
   */
  async setAuthCard(engineerId: string, key: string | null | undefined): Promise<void> {
    const engineer = await this.engineers.existsBy({ id: engineerId });
    if (!engineer) {
      throw engineerErrors.notFound();
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
        throw engineerErrors.cardTaken();
      }
      if (isForeignKeyViolation(error)) {
        throw engineerErrors.notFound();
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
      throw engineerErrors.accessDenied();
    }
    return { id: engineer.id, login: engineer.login };
  }
}
