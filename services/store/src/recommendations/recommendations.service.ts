import { Inject, Injectable } from '@nestjs/common';
import { type Page, pageOf, type PageWindow } from '@platform/http';
import { type StoreItemView } from '../items/dto/item.dto';
import { toItemView } from '../items/item.view';
import { StoresService } from '../stores/stores.service';
import { type RecommendationLookup } from './recommendation-queries';

export const RECOMMENDATION_LOOKUP = Symbol('RECOMMENDATION_LOOKUP');

/** How many of each list (robot-platform.md §8.5): at most 8 recommendations in all. */
export const RECOMMENDATION_LIMITS = { recent: 2, favourites: 4, bestSellers: 2 } as const;

/** The lists concatenated in order, each item once (its first place wins). */
export function combineRecommendations(...lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}

/**
 * A passenger's recommendations in a store: up to 2 items they bought most recently, up to 4
 * they bought most of, up to 2 best sellers of the store; each once, out-of-stock items skipped
 * (by the lookup). The list is at most 8 long, so it is paged in memory.
 */
@Injectable()
export class RecommendationsService {
  constructor(
    @Inject(RECOMMENDATION_LOOKUP) private readonly lookup: RecommendationLookup,
    private readonly stores: StoresService,
  ) {}

  async forUser(storeId: string, userId: string, window: PageWindow): Promise<Page<StoreItemView>> {
    await this.stores.assertExists(storeId);
    const [recent, favourites, bestSellers] = await Promise.all([
      this.lookup.recentOfUser(storeId, userId, RECOMMENDATION_LIMITS.recent),
      this.lookup.favouritesOfUser(storeId, userId, RECOMMENDATION_LIMITS.favourites),
      this.lookup.bestSellers(storeId, RECOMMENDATION_LIMITS.bestSellers),
    ]);
    const ids = combineRecommendations(recent, favourites, bestSellers);
    const byId = new Map((await this.lookup.items(ids)).map((item) => [item.id, item]));
    // An item deleted or sold out between the queries is left out.
    const items = ids.flatMap((id) => {
      const item = byId.get(id);
      return item && item.balance > 0 ? [toItemView(item)] : [];
    });
    return pageOf(items.slice(window.skip, window.skip + window.take), items.length, window);
  }
}
