import { STORE_TYPES, type StoreType } from '@platform/contracts';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';

/** A shop or restaurant on board. */
@Entity({ schema: 'store', name: 'stores' })
// Constraint and index names as migration StoreDomain creates them: the drift check
// (database/schema-drift.int-spec.ts) holds the entities and the migrations together.
@Check('stores_name_not_blank', 'length(btrim(name)) > 0')
@Check('stores_store_type_check', `store_type IN (${STORE_TYPES.map((t) => `'${t}'`).join(', ')})`)
@Unique('stores_name_key', ['name'])
@Index('stores_created_at_idx', ['createdAt', 'id'])
export class StoreEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'name', type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'description', type: 'varchar', length: 255 })
  description!: string;

  @Column({ name: 'logo_url', type: 'varchar', length: 255 })
  logoUrl!: string;

  @Column({ name: 'store_type', type: 'varchar', length: 16 })
  storeType!: StoreType;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
