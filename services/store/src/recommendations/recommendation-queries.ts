import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { ItemEntity } from '../items/entities/item.entity';

/**
 * The three lists recommendations are made of (robot-platform.md §8.5), each already limited to
 * items of the store that are in stock (`balance > 0`), so a limit counts only what can be sold.
 */
export interface RecommendationLookup {
  /** The passenger's items in this store, most recently bought first. */
  recentOfUser(storeId: string, userId: string, limit: number): Promise<string[]>;
  /** The passenger's items in this store, most units bought first. */
  favouritesOfUser(storeId: string, userId: string, limit: number): Promise<string[]>;
  /** The store's items, most units sold first. */
  bestSellers(storeId: string, limit: number): Promise<string[]>;
  /** The items themselves, in no particular order. */
  items(ids: readonly string[]): Promise<ItemEntity[]>;
}

/** RecommendationLookup on Postgres; ties broken by item id so answers are stable. */
@Injectable()
export class RecommendationQueries implements RecommendationLookup {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  recentOfUser(storeId: string, userId: string, limit: number): Promise<string[]> {
    return this.itemsOfUser(storeId, userId, limit, 'max(purchase.created_at)');
  }

  favouritesOfUser(storeId: string, userId: string, limit: number): Promise<string[]> {
    return this.itemsOfUser(storeId, userId, limit, 'sum(line.count)');
  }

  /** The passenger's in-stock items of this store, by `rank` (an aggregate), highest first. */
  private async itemsOfUser(
    storeId: string,
    userId: string,
    limit: number,
    rank: 'max(purchase.created_at)' | 'sum(line.count)',
  ): Promise<string[]> {
    return ids(
      await this.dataSource.query(
        `SELECT line.item_id
           FROM store.purchases purchase
           JOIN store.purchase_lines line ON line.purchase_id = purchase.id
           JOIN store.items item ON item.id = line.item_id AND item.store_id = purchase.store_id
          WHERE purchase.store_id = $1 AND purchase.user_id = $2 AND item.balance > 0
          GROUP BY line.item_id
          ORDER BY ${rank} DESC, line.item_id
          LIMIT $3`,
        [storeId, userId, limit],
      ),
    );
  }

  async bestSellers(storeId: string, limit: number): Promise<string[]> {
    return ids(
      await this.dataSource.query(
        `SELECT line.item_id
           FROM store.items item
           JOIN store.purchase_lines line ON line.item_id = item.id
          WHERE item.store_id = $1 AND item.balance > 0
          GROUP BY line.item_id
          ORDER BY sum(line.count) DESC, line.item_id
          LIMIT $2`,
        [storeId, limit],
      ),
    );
  }

  items(itemIds: readonly string[]): Promise<ItemEntity[]> {
    if (itemIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(ItemEntity).findBy({ id: In([...itemIds]) });
  }
}

function ids(rows: { item_id: string }[]): string[] {
  return rows.map((row) => row.item_id);
}
