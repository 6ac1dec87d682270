import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A passenger. Created by an admin or on a Keycloak user's first call to the website API. */
@Entity({ schema: 'base', name: 'users' })
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
