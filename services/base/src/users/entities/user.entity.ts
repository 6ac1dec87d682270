import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';

/** A passenger. Created by an admin or on a Keycloak user's first call to the website API. */
@Entity({ schema: 'base', name: 'users' })
// Constraint and index names as migration BaseDomain creates them: the drift check
// (database/schema-drift.int-spec.ts) holds the entities and the migrations together.
@Check('users_name_not_blank', 'length(btrim(name)) > 0')
@Unique('users_keycloak_subject_key', ['keycloakSubject'])
@Index('users_created_at_idx', ['createdAt', 'id'])
// unique on lower(email) where set: an expression index TypeORM cannot describe
@Index('users_email_key', { synchronize: false })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  /** Full name; people's names are not unique. */
  @Column({ name: 'name', type: 'varchar', length: 256 })
  name!: string;

  @Column({ name: 'email', type: 'varchar', length: 256, nullable: true })
  email!: string | null;

  /** Keycloak `sub` of the account this passenger logs in with, if any. */
  @Column({ name: 'keycloak_subject', type: 'varchar', length: 255, nullable: true })
  keycloakSubject!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
