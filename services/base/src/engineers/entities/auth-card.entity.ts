import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { EngineerEntity } from './engineer.entity';

/** An engineer's RFID card (one per engineer), known only by the SHA-256 of its normalised UID. */
@Entity({ schema: 'base', name: 'auth_cards' })
// Constraint and index names as migration BaseDomain creates them: the drift check
// (database/schema-drift.int-spec.ts) holds the entities and the migrations together.
@Check('auth_cards_key_hash_check', `key_hash ~ '^[0-9a-f]{64}$'`)
@Unique('auth_cards_engineer_id_key', ['engineerId'])
@Unique('auth_cards_key_hash_key', ['keyHash'])
export class AuthCardEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'engineer_id', type: 'uuid' })
  @ForeignKey(() => EngineerEntity, { name: 'auth_cards_engineer_id_fkey', onDelete: 'CASCADE' })
  engineerId!: string;

  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
