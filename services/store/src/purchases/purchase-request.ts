import { createHash } from 'node:crypto';
import { LIMITS } from '../common/limits';
import { purchaseErrors } from './purchase.errors';

/** One item of a purchase after duplicate lines are added up. */
export interface MergedLine {
  itemId: string;
  count: number;
}

/** What a purchase asks for, normalised: the thing an Idempotency-Key is bound to. */
export interface PurchaseOrder {
  storeId: string;
  userId: string;
  /** One line per item, ordered by item id (the order stock rows are locked in). */
  lines: MergedLine[];
  isDefaultReady: boolean;
  additionalData: Record<string, unknown>;
}

/**
 * Adds up lines of the same item (the seed refused them as "not found") and orders them by item
 * id. 400 COUNT_TOO_LARGE when an item's total passes LIMITS.countMax.
 */
export function mergeLines(lines: readonly { item_id: string; count: number }[]): MergedLine[] {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const itemId = line.item_id.toLowerCase();
    counts.set(itemId, (counts.get(itemId) ?? 0) + line.count);
  }
  const merged = [...counts].map(([itemId, count]) => ({ itemId, count }));
  for (const line of merged) {
    if (line.count > LIMITS.countMax) throw purchaseErrors.countTooLarge(line.itemId, line.count);
  }
  return merged.sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
}

/** JSON with object keys sorted at every level: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map(
        (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
      );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** SHA-256 (hex) of the canonical order: the same purchase asked twice hashes the same. */
export function requestHash(order: PurchaseOrder): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        store_id: order.storeId.toLowerCase(),
        user_id: order.userId.toLowerCase(),
        lines: order.lines.map((line) => [line.itemId, line.count]),
        is_default_ready: order.isDefaultReady,
        additional_data: order.additionalData,
      }),
    )
    .digest('hex');
}
