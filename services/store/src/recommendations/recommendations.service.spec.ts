import { pageWindow } from '@platform/http';
import { type ItemEntity } from '../items/entities/item.entity';
import { type StoresService } from '../stores/stores.service';
import { type RecommendationLookup } from './recommendation-queries';
import { combineRecommendations, RecommendationsService } from './recommendations.service';

function item(id: string, balance = 5): ItemEntity {
  return {
    id,
    storeId: 's',
    name: id,
    description: '',
    logoUrl: '',
    category: 'food',
    balance,
    pricePenny: 100,
    createdAt: new Date(0),
  };
}

describe('combineRecommendations', () => {
  it.each<[string, string[][], string[]]>([
    ['nothing bought anywhere', [[], [], []], []],
    ['only best sellers (a new passenger)', [[], [], ['x', 'y']], ['x', 'y']],
    [
      'recent first, then favourites, then best sellers',
      [['a'], ['b', 'c'], ['d']],
      ['a', 'b', 'c', 'd'],
    ],
    [
      'an item keeps its first place',
      [
        ['a', 'b'],
        ['b', 'a', 'c'],
        ['c', 'e'],
      ],
      ['a', 'b', 'c', 'e'],
    ],
  ])('%s', (_what, lists, expected) => {
    expect(combineRecommendations(...lists)).toEqual(expected);
  });
});

describe('RecommendationsService', () => {
  const stores = { assertExists: async () => undefined } as unknown as StoresService;

  function serviceWith(items: ItemEntity[], lists: [string[], string[], string[]]) {
    const asked: unknown[][] = [];
    const lookup: RecommendationLookup = {
      recentOfUser: async (...args) => (asked.push(['recent', ...args]), lists[0]),
      favouritesOfUser: async (...args) => (asked.push(['favourites', ...args]), lists[1]),
      bestSellers: async (...args) => (asked.push(['best', ...args]), lists[2]),
      items: async (ids) => items.filter((candidate) => ids.includes(candidate.id)),
    };
    return { service: new RecommendationsService(lookup, stores), asked };
  }

  it('asks 2 recent, 4 favourites, 2 best sellers and pages the result', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const { service, asked } = serviceWith(
      ids.map((id) => item(id)),
      [
        ['a', 'b'],
        ['c', 'd', 'e', 'f'],
        ['g', 'a'],
      ],
    );
    const page = await service.forUser('s', 'u', pageWindow({ page: 2, size: 3 }));
    expect(asked).toEqual([
      ['recent', 's', 'u', 2],
      ['favourites', 's', 'u', 4],
      ['best', 's', 'u', 2].filter((part) => part !== 'u'),
    ]);
    expect(page).toMatchObject({ total: 7, page: 2, size: 3, pages: 3 });
    expect(page.items.map((entry) => entry.id)).toEqual(['d', 'e', 'f']);
  });

  it('leaves out an item sold out or deleted after the lists were read', async () => {
    const { service } = serviceWith([item('a', 0), item('b')], [['a', 'gone'], ['b'], []]);
    const page = await service.forUser('s', 'u', pageWindow());
    expect(page.items.map((entry) => entry.id)).toEqual(['b']);
    expect(page.total).toBe(1);
  });
});
