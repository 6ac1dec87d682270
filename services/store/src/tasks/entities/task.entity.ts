import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { PurchaseEntity } from '../../purchases/entities/purchase.entity';
import { StoreEntity } from '../../stores/entities/store.entity';

/** A kitchen task: one per purchase, open until the store terminal marks it ready. */
@Entity({ schema: 'store', name: 'tasks' })
// Constraint and index names as migration StoreDomain creates them (drift check).
@Check('tasks_ready_at_check', 'is_ready = (ready_at IS NOT NULL)')
@Unique('tasks_purchase_id_key', ['purchaseId'])
@Index('tasks_store_id_is_ready_created_at_idx', ['storeId', 'isReady', 'createdAt', 'id'])
@Index('tasks_store_id_created_at_idx', ['storeId', 'createdAt', 'id'])
export class TaskEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'store_id', type: 'uuid' })
  @ForeignKey(() => StoreEntity, { name: 'tasks_store_id_fkey', onDelete: 'CASCADE' })
  storeId!: string;

  @Column({ name: 'purchase_id', type: 'uuid' })
  @ForeignKey(() => PurchaseEntity, { name: 'tasks_purchase_id_fkey', onDelete: 'CASCADE' })
  purchaseId!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'is_ready', type: 'boolean' })
  isReady!: boolean;

  @Column({ name: 'ready_at', type: 'timestamptz', nullable: true })
  readyAt!: Date | null;

  @Column({ name: 'additional_data', type: 'jsonb' })
  additionalData!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
