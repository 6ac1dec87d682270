import { QueryFailedError } from 'typeorm';
import { type UserEntity } from '../entities/user.entity';

/**
 * For specs: the part of Repository<UserEntity> that UsersService uses, over an array, with the
 * constraints the service relies on (held to Postgres by users-storage.contract.ts).
 */
export class InMemoryUsersRepository {
  rows: UserEntity[] = [];
  private next = 1;

  create = (fields: Partial<UserEntity>): Partial<UserEntity> => ({ ...fields });

  save = async (fields: Partial<UserEntity>): Promise<UserEntity> => {
    const row = this.insertRow(
      fields.name ?? '',
      fields.email ?? null,
      fields.keycloakSubject ?? null,
    );
    return { ...row };
  };

  delete = async ({ id }: { id: string }) => {
    const before = this.rows.length;
    this.rows = this.rows.filter((row) => row.id !== id);
    return { affected: before - this.rows.length, raw: [] };
  };

  /**
   * Transactions over the array, through the query runner `inTransaction` (@platform/database)
   * drives: what the work changed is undone by a rollback.
   */
  manager = {
    connection: {
      createQueryRunner: () => {
        let snapshot: UserEntity[] = [];
        const runner = {
          isTransactionActive: false,
          manager: {
            delete: (_entity: unknown, where: { id: string }) => this.delete(where),
          },
          connect: async () => undefined,
          startTransaction: async () => {
            snapshot = [...this.rows];
            runner.isTransactionActive = true;
          },
          commitTransaction: async () => {
            runner.isTransactionActive = false;
          },
          rollbackTransaction: async () => {
            this.rows = snapshot;
            runner.isTransactionActive = false;
          },
          release: async () => undefined,
        };
        return runner;
      },
    },
  };

  findOneBy = async (where: Partial<UserEntity>): Promise<UserEntity | null> =>
    this.rows.find((row) =>
      Object.entries(where).every(([key, value]) => row[key as keyof UserEntity] === value),
    ) ?? null;

  /** INSERT ... ON CONFLICT (keycloak_subject) DO NOTHING; the e-mail index still raises. */
  query = async (_sql: string, [name, email, subject]: [string, string | null, string]) => {
    if (this.rows.some((row) => row.keycloakSubject === subject)) return [];
    if (email && this.rows.some((row) => row.email?.toLowerCase() === email.toLowerCase())) {
      throw new QueryFailedError(
        'INSERT',
        [],
        Object.assign(new Error('duplicate'), {
          code: '23505',
          constraint: 'users_email_key',
        }),
      );
    }
    this.insertRow(name, email, subject);
    return [];
  };

  private insertRow(
    name: string,
    email: string | null,
    keycloakSubject: string | null,
  ): UserEntity {
    const row: UserEntity = {
      id: `00000000-0000-4000-8000-${String(this.next++).padStart(12, '0')}`,
      name,
      email,
      keycloakSubject,
      createdAt: new Date(),
    };
    this.rows.push(row);
    return row;
  }
}
