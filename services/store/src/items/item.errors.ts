import { errorCatalog } from '@platform/errors';

/** Every error the items feature answers with. */
const itemError = errorCatalog({ ITEM_NOT_FOUND: 'not_found' });

export const itemErrors = {
  /** Unknown, or another store's: one answer, whoever owns it. */
  notFound: (itemId?: string) =>
    itemError('ITEM_NOT_FOUND', 'Item not found', itemId ? { item_id: itemId } : undefined),
};
