/**
 * Lengths and ranges of what the DTOs accept, each within its column (the migration's), and the
 * bounds the OpenAPI document states.
 */
export const LIMITS = {
  /** 50: the kiosk's models refuse a longer store or item name (the whole store, then); columns hold 100. */
  storeName: 50,
  storeDescription: 255,
  logoUrl: 255,
  itemName: 50,
  itemDescription: 255,
  itemCategory: 100,
  /** Stock of one item; Postgres `integer`. */
  balanceMax: 2_147_483_647,
  /** Price of one item in kopecks: at most 10,000,000 (100,000 roubles). */
  pricePennyMax: 10_000_000,
  /** Units of one item in one purchase, after duplicate lines are merged. */
  countMax: 100,
  /** Lines of one purchase. */
  linesMax: 50,
  /** `additional_data` of a purchase, as JSON text. */
  additionalDataMaxChars: 4096,
} as const;
