import { DomainError } from '@platform/errors';
import { LIMITS } from '../common/limits';
import { canonicalJson, mergeLines, requestHash } from './purchase-request';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
}

describe('mergeLines', () => {
  it.each<[string, { item_id: string; count: number }[], { itemId: string; count: number }[]]>([
    ['one line', [{ item_id: A, count: 1 }], [{ itemId: A, count: 1 }]],
    [
      'duplicates are added up',
      [
        { item_id: A, count: 2 },
        { item_id: A, count: 3 },
      ],
      [{ itemId: A, count: 5 }],
    ],
    [
      'ids compared case-insensitively and ordered by id',
      [
        { item_id: B, count: 1 },
        { item_id: A.toUpperCase(), count: 1 },
        { item_id: A, count: 1 },
      ],
      [
        { itemId: A, count: 2 },
        { itemId: B, count: 1 },
      ],
    ],
  ])('%s', (_what, lines, merged) => {
    expect(mergeLines(lines)).toEqual(merged);
  });

  it('refuses an item whose lines add up past the bound', () => {
    const half = Math.ceil(LIMITS.countMax / 2) + 1;
    expect(
      codeOf(() =>
        mergeLines([
          { item_id: A, count: half },
          { item_id: A, count: half },
        ]),
      ),
    ).toBe('COUNT_TOO_LARGE');
    expect(codeOf(() => mergeLines([{ item_id: A, count: LIMITS.countMax }]))).toBeUndefined();
  });
});

describe('request hash', () => {
  const order = {
    storeId: A,
    userId: B,
    lines: [{ itemId: A, count: 1 }],
    isDefaultReady: true,
    additionalData: { table: 4, note: { a: 1, b: [1, 2] } },
  };

  it('does not depend on key order of additional_data', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(requestHash(order)).toBe(
      requestHash({ ...order, additionalData: { note: { b: [1, 2], a: 1 }, table: 4 } }),
    );
  });

  it.each<[string, object]>([
    ['another store', { storeId: B }],
    ['another passenger', { userId: A }],
    ['another count', { lines: [{ itemId: A, count: 2 }] }],
    ['another readiness', { isDefaultReady: false }],
    ['other data', { additionalData: { table: 5 } }],
  ])('changes with %s', (_what, change) => {
    expect(requestHash({ ...order, ...change })).not.toBe(requestHash(order));
  });
});
