import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An engineer's RFID card (one per engineer), known only by the SHA-256 of its normalised UID. */
@Entity({ schema: 'base', name: 'auth_cards' })
export class AuthCardEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'engineer_id', type: 'uuid' })
  engineerId!: string;

  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
