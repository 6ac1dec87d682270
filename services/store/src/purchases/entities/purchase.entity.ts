import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { StoreEntity } from '../../stores/entities/store.entity';

/** `bigint` comes back from pg as a string; totals stay far below 2^53. */
export const bigintAsNumber = {
  to: (value: number): number => value,
  from: (value: string | number): number => Number(value),
};

/** A purchase for a passenger, with its total at the time of purchase. */
@Entity({ schema: 'store', name: 'purchases' })
// Constraint and index names as migration StoreDomain creates them (drift check).
@Check('purchases_total_penny_check', 'total_penny >= 0')
@Index('purchases_store_id_user_id_created_at_idx', ['storeId', 'userId', 'createdAt'])
export class PurchaseEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'store_id', type: 'uuid' })
  @ForeignKey(() => StoreEntity, { name: 'purchases_store_id_fkey', onDelete: 'CASCADE' })
  storeId!: string;

  /** The passenger (base `users.id`). */
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'total_penny', type: 'bigint', transformer: bigintAsNumber })
  totalPenny!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
