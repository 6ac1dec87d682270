import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isForeignKeyViolation } from '@platform/database';
import { type Page, pageOf, type PageWindow } from '@platform/http';
import { Repository } from 'typeorm';
import { StoresService } from '../stores/stores.service';
import { storeErrors } from '../stores/store.errors';
import { type CreateItemDto, type StoreItemView, type UpdateItemDto } from './dto/item.dto';
import { ItemEntity } from './entities/item.entity';
import { itemErrors } from './item.errors';
import { toItemView } from './item.view';

/**
 * A store's items, always within that store: every query names the store id next to the item id,
 * so another store's item is 404 ITEM_NOT_FOUND and is never read or written.
 */
@Injectable()
export class ItemsService {
  constructor(
    @InjectRepository(ItemEntity) private readonly items: Repository<ItemEntity>,
    private readonly stores: StoresService,
  ) {}

  async list(storeId: string, window: PageWindow): Promise<Page<StoreItemView>> {
    await this.stores.assertExists(storeId);
    const [rows, total] = await this.items.findAndCount({
      where: { storeId },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: window.skip,
      take: window.take,
    });
    return pageOf(rows.map(toItemView), total, window);
  }

  async get(storeId: string, itemId: string): Promise<StoreItemView> {
    const item = await this.items.findOneBy({ id: itemId, storeId });
    if (!item) throw itemErrors.notFound();
    return toItemView(item);
  }

  /** 404 STORE_NOT_FOUND when the store was deleted (the foreign key decides). */
  async create(storeId: string, body: CreateItemDto): Promise<StoreItemView> {
    try {
      const item = await this.items.save(
        this.items.create({
          storeId,
          name: body.name,
          description: body.description,
          logoUrl: body.logo_url,
          category: body.category,
          balance: body.balance,
          pricePenny: body.price_penny,
        }),
      );
      return toItemView(item);
    } catch (error) {
      throw isForeignKeyViolation(error) ? storeErrors.notFound() : error;
    }
  }

  /**
   * Overwrites every field of the store's own item, stock included (a terminal sets the count it
   * has on its shelves). One `UPDATE ... WHERE id AND store_id RETURNING`: nothing else is read.
   */
  async update(storeId: string, body: UpdateItemDto): Promise<StoreItemView> {
    const result = await this.items
      .createQueryBuilder()
      .update(ItemEntity)
      .set({
        name: body.name,
        description: body.description,
        logoUrl: body.logo_url,
        category: body.category,
        balance: body.balance,
        pricePenny: body.price_penny,
      })
      .where('id = :id AND store_id = :storeId', { id: body.id, storeId })
      .returning('*')
      .execute();
    const [row] = result.raw as Record<string, unknown>[];
    if (!row) throw itemErrors.notFound();
    return toItemView(rowToItem(row));
  }

  /** Purchases it appears in keep their lines (no foreign key from lines to items). */
  async remove(storeId: string, itemId: string): Promise<void> {
    const result = await this.items.delete({ id: itemId, storeId });
    if (!result.affected) throw itemErrors.notFound();
  }
}

function rowToItem(row: Record<string, unknown>): ItemEntity {
  return {
    id: row['id'] as string,
    storeId: row['store_id'] as string,
    name: row['name'] as string,
    description: row['description'] as string,
    logoUrl: row['logo_url'] as string,
    category: row['category'] as string,
    balance: row['balance'] as number,
    pricePenny: row['price_penny'] as number,
    createdAt: row['created_at'] as Date,
  };
}
