import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type UserPrincipal } from '@platform/auth';
import { IsNull, Repository } from 'typeorm';
import { inTransaction, violatedUniqueConstraint } from '@platform/database';
import { DomainError } from '@platform/errors';
import { LIMITS } from '../common/limits';
import { type Page, pageOf, type PageWindow } from '@platform/http';
import { FaceClient } from '../common/remote/face.client';
import { FaceDeletionJobs, type FaceDeletionScheduler } from './face-deletion.jobs';
import { type UserView } from './dto/user.dto';
import { UserEntity } from './entities/user.entity';
import { userErrors } from './user.errors';

/** What the passenger's Keycloak token tells about them. */
export interface PassengerIdentity {
  subject: string;
  name?: string | undefined;
  email?: string | undefined;
}

export function toUserView(user: UserEntity): UserView {
  return { id: user.id, name: user.name };
}

/** The passenger's identity from a verified Keycloak principal. */
export function passengerIdentityOf(principal: UserPrincipal): PassengerIdentity {
  return {
    subject: principal.subject,
    name: principal.name ?? principal.username,
    email: principal.email,
  };
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly faces: FaceClient,
    @Inject(FaceDeletionJobs) private readonly faceDeletions: FaceDeletionScheduler,
  ) {}

  /**
   * Creates a user; with a face, enrols it too, and if the enrolment fails (no face on the image,
   * face service down) the user is removed again so the failed request leaves nothing behind.
   */
  async create(name: string, face?: string | null): Promise<UserEntity> {
    const user = await this.users.save(
      this.users.create({ name, email: null, keycloakSubject: null }),
    );
    if (face) {
      try {
        await this.faces.enroll(user.id, face);
      } catch (error) {
        await this.undoCreation(user.id, error);
        throw error;
      }
    }
    return user;
  }

  /**
   * Removes a user whose enrolment failed. Face refused the image: nothing was enrolled. Face did
   * not answer in time: it does not know base's deadline and may still write the face, which would
   * then belong to nobody and block the photo for everyone; so the user goes as in `remove`, with a
   * face deletion job (face's deletion waits for that enrolment). No job queue: the row goes anyway.
   */
  private async undoCreation(id: string, cause: unknown): Promise<void> {
    if (cause instanceof DomainError && cause.kind === 'unavailable') {
      try {
        await this.remove(id);
        return;
      } catch {
        // Redis down (the deletion rolled back): the plain delete below.
      }
    }
    await this.users.delete({ id });
  }

  async list(window: PageWindow): Promise<Page<UserView>> {
    const [rows, total] = await this.users.findAndCount({
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: window.skip,
      take: window.take,
    });
    return pageOf(rows.map(toUserView), total, window);
  }

  async get(id: string): Promise<UserEntity> {
    const user = await this.users.findOneBy({ id });
    if (!user) {
      throw userErrors.notFound();
    }
    return user;
  }

  /** Whether a passenger row exists (the store service asks before it sells to them). */
  exists(id: string): Promise<boolean> {
    return this.users.existsBy({ id });
  }

  /**
   * Deletes the user and (cascading) their tickets, and schedules the removal of their face in the
   * same transaction: the job (retried until face answers) exists if and only if the deletion
   * commits, so a face service that is down catches up later. No queue (Redis down): 503 and
   * nothing deleted.
   */
  async remove(id: string): Promise<void> {
    await inTransaction(this.users.manager.connection, async (manager) => {
      const result = await manager.delete(UserEntity, { id });
      if (!result.affected) {
        throw userErrors.notFound();
      }
      await this.faceDeletions.schedule(id);
    });
  }

  async setFace(id: string, face: string): Promise<void> {
    await this.get(id);
    await this.faces.enroll(id, face);
  }

  async deleteFace(id: string): Promise<void> {
    await this.get(id);
    await this.faces.delete(id);
  }

  /** Links a Keycloak account to a user; one account per user and one user per account. */
  async linkKeycloakAccount(subject: string, userId: string): Promise<void> {
    const user = await this.get(userId);
    if (user.keycloakSubject === subject) {
      return;
    }
    const holder = await this.users.findOneBy({ keycloakSubject: subject });
    if (holder || user.keycloakSubject !== null) {
      throw userErrors.linkExists(holder ? 'account' : 'user');
    }
    let linked: boolean;
    try {
      const result = await this.users.update(
        { id: userId, keycloakSubject: IsNull() },
        { keycloakSubject: subject },
      );
      linked = result.affected === 1;
    } catch (error) {
      if (violatedUniqueConstraint(error)) {
        throw userErrors.linkExists('account');
      }
      throw error;
    }
    if (!linked) {
      // A concurrent request linked or deleted the user since it was read: say what happened
      // rather than answer OK for a link that was not made.
      const now = await this.get(userId);
      if (now.keycloakSubject !== subject) {
        throw userErrors.linkExists('user');
      }
    }
  }

  /** Removes the link between a Keycloak account and a user; 404 when they are not linked. */
  async unlinkKeycloakAccount(subject: string, userId: string): Promise<void> {
    const result = await this.users.update(
      { id: userId, keycloakSubject: subject },
      { keycloakSubject: null },
    );
    if (!result.affected) {
      throw userErrors.linkNotFound();
    }
  }

  /**
   * The users row of a Keycloak account, created on its first call. Safe under concurrent first
   * calls (insert-if-absent on the unique subject). Accounts are never matched by e-mail: the
   * realm does not verify addresses, so that would let anyone claim someone else's row.
   */
  async resolvePassenger(identity: PassengerIdentity): Promise<UserEntity> {
    const existing = await this.users.findOneBy({ keycloakSubject: identity.subject });
    if (existing) {
      return existing;
    }
    const name = fitName(identity.name) ?? 'Passenger';
    const email = fitEmail(identity.email);
    try {
      await this.insertPassenger(identity.subject, name, email);
    } catch (error) {
      if (violatedUniqueConstraint(error) !== 'users_email_key') {
        throw error;
      }
      // Another row already holds the address (e.g. an account deleted and made again in
      // Keycloak): link this account without it rather than refuse the passenger.
      await this.insertPassenger(identity.subject, name, null);
    }
    const user = await this.users.findOneBy({ keycloakSubject: identity.subject });
    if (!user) {
      throw userErrors.passengerLinkFailed();
    }
    return user;
  }

  private async insertPassenger(
    subject: string,
    name: string,
    email: string | null,
  ): Promise<void> {
    // Only a race on the subject is expected and ignored; any other conflict (e-mail) is raised.
    await this.users.query(
      `INSERT INTO base.users (name, email, keycloak_subject) VALUES ($1, $2, $3)
       ON CONFLICT (keycloak_subject) DO NOTHING`,
      [name, email, subject],
    );
  }
}

function fitName(name: string | undefined): string | null {
  const trimmed = name?.trim();
  return trimmed ? trimmed.slice(0, LIMITS.userName) : null;
}

function fitEmail(email: string | undefined): string | null {
  const trimmed = email?.trim();
  return trimmed && trimmed.length <= LIMITS.email ? trimmed : null;
}
