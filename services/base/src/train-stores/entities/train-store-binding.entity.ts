import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';

/** A store (in the store service) serving a train on its departure day. */
@Entity({ schema: 'base', name: 'train_store_bindings' })
// Constraint and index names as migration BaseDomain creates them: the drift check
// (database/schema-drift.int-spec.ts) holds the entities and the migrations together.
@Check('train_store_bindings_train_number_check', 'train_number > 0')
@Unique('train_store_bindings_key', ['storeId', 'trainNumber', 'trainDate'])
@Index('train_store_bindings_train_idx', ['trainNumber', 'trainDate', 'createdAt', 'id'])
export class TrainStoreBindingEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'store_id', type: 'uuid' })
  storeId!: string;

  @Column({ name: 'train_number', type: 'integer' })
  trainNumber!: number;

  /** The train's departure day (Moscow calendar), `YYYY-MM-DD`. */
  @Column({ name: 'train_date', type: 'date' })
  trainDate!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
