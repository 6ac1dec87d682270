import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';

/** Back-office staff who provision devices and open robots with an RFID card. */
@Entity({ schema: 'base', name: 'engineers' })
// Constraint and index names as migration BaseDomain creates them: the drift check
// (database/schema-drift.int-spec.ts) holds the entities and the migrations together.
@Check('engineers_privileges_check', 'privileges >= 0')
@Unique('engineers_login_key', ['login'])
@Index('engineers_created_at_idx', ['createdAt', 'id'])
export class EngineerEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'login', type: 'varchar', length: 60 })
  login!: string;

  /** argon2id, PHC string format. */
  @Column({ name: 'password_hash', type: 'varchar', length: 256 })
  passwordHash!: string;

  /** Bitmask of ENGINEER_PRIVILEGES (`@platform/device-auth`). */
  @Column({ name: 'privileges', type: 'integer', default: 0 })
  privileges!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
