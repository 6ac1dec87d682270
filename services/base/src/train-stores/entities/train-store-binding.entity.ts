import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A store (in the store service) serving a train on its departure day. */
@Entity({ schema: 'base', name: 'train_store_bindings' })
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
