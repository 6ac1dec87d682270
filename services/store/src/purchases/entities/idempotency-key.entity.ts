import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { PurchaseEntity } from './purchase.entity';

/**
 * An `Idempotency-Key` a device sent with a purchase: the hash of the request it came with and
 * the purchase that answered it (null only inside the claiming transaction), written in the
 * purchase's own transaction (see PurchaseRepository).
 */
@Entity({ schema: 'store', name: 'idempotency_keys' })
// Constraint and index names as migration StoreDomain creates them (drift check).
@Check('idempotency_keys_request_hash_check', `request_hash ~ '^[0-9a-f]{64}$'`)
@Index('idempotency_keys_expires_at_idx', ['expiresAt'])
export class IdempotencyKeyEntity {
  /** The device (robot or store terminal) that sent the key: keys are per caller. */
  @PrimaryColumn({ name: 'caller_id', type: 'uuid' })
  callerId!: string;

  @PrimaryColumn({ name: 'key', type: 'varchar', length: 255 })
  key!: string;

  /** SHA-256 (hex) of the canonical request. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  @Column({ name: 'purchase_id', type: 'uuid', nullable: true })
  @ForeignKey(() => PurchaseEntity, {
    name: 'idempotency_keys_purchase_id_fkey',
    onDelete: 'CASCADE',
  })
  purchaseId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
