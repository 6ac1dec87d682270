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

/** An item a store sells, with its stock (`balance`) and price in kopecks. */
@Entity({ schema: 'store', name: 'items' })
// Constraint and index names as migration StoreDomain creates them (drift check).
@Check('items_balance_check', 'balance >= 0')
@Check('items_price_penny_check', 'price_penny >= 0')
@Index('items_store_id_created_at_idx', ['storeId', 'createdAt', 'id'])
export class ItemEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'store_id', type: 'uuid' })
  @ForeignKey(() => StoreEntity, { name: 'items_store_id_fkey', onDelete: 'CASCADE' })
  storeId!: string;

  @Column({ name: 'name', type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'description', type: 'varchar', length: 255 })
  description!: string;

  @Column({ name: 'logo_url', type: 'varchar', length: 255 })
  logoUrl!: string;

  @Column({ name: 'category', type: 'varchar', length: 100 })
  category!: string;

  /** Units in stock; never negative (CHECK), decremented only by a purchase's conditional UPDATE. */
  @Column({ name: 'balance', type: 'integer' })
  balance!: number;

  @Column({ name: 'price_penny', type: 'integer' })
  pricePenny!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
