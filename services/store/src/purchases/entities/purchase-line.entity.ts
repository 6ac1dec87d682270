import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { PurchaseEntity } from './purchase.entity';

/**
 * One item of a purchase: how many, at what unit price. The item id has no foreign key on
 * purpose: deleting an item keeps the purchases it appears in.
 */
@Entity({ schema: 'store', name: 'purchase_lines' })
// Constraint and index names as migration StoreDomain creates them (drift check).
@Check('purchase_lines_count_check', 'count > 0')
@Check('purchase_lines_unit_price_penny_check', 'unit_price_penny >= 0')
@Index('purchase_lines_item_id_idx', ['itemId'])
export class PurchaseLineEntity {
  @PrimaryColumn({ name: 'purchase_id', type: 'uuid' })
  @ForeignKey(() => PurchaseEntity, {
    name: 'purchase_lines_purchase_id_fkey',
    onDelete: 'CASCADE',
  })
  purchaseId!: string;

  @PrimaryColumn({ name: 'item_id', type: 'uuid' })
  itemId!: string;

  @Column({ name: 'count', type: 'integer' })
  count!: number;

  @Column({ name: 'unit_price_penny', type: 'integer' })
  unitPricePenny!: number;
}
