import { type Type as Class } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { FromDecimalText } from './decimal-integer';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** `?page=&size=` as the seed's fastapi-pagination took them: page ≥ 1 (1), size 1..100 (50). */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 2_147_483_647, default: 1 })
  @IsOptional()
  @FromDecimalText()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  page?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
  })
  @IsOptional()
  @FromDecimalText()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  size?: number;
}

/** A resolved page request: which rows to fetch (`skip`, `take`) and how to label the answer. */
export interface PageWindow {
  page: number;
  size: number;
  skip: number;
  take: number;
}

/** The seed's page shape: `{items, total, page, size, pages}`. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
  pages: number;
}

export function pageWindow(query: PageQueryDto = {}): PageWindow {
  const page = query.page ?? 1;
  const size = query.size ?? DEFAULT_PAGE_SIZE;
  return { page, size, skip: (page - 1) * size, take: size };
}

export function pageOf<T>(items: T[], total: number, window: PageWindow): Page<T> {
  return {
    items,
    total,
    page: window.page,
    size: window.size,
    pages: Math.ceil(total / window.size),
  };
}

/** Maps the items of a page, keeping its counts. */
export function mapPage<T, U>(page: Page<T>, map: (item: T) => U): Page<U> {
  return { ...page, items: page.items.map(map) };
}

/** Swagger description of a page (the generic type is erased at runtime). */
export class PageMetaView {
  @ApiProperty({ type: 'integer', minimum: 0 })
  total!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE })
  size!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  pages!: number;
}

const pageViews = new Map<Class, Class>();

/**
 * The documented class of a page of `item`s, `<Item>Page` (one per item class), for
 * `@ApiOkResponse({ type: pageViewOf(OrderView) })`.
 */
export function pageViewOf<T>(item: Class<T>): Class<Page<T>> {
  const known = pageViews.get(item);
  if (known) return known as Class<Page<T>>;
  class ItemPageView extends PageMetaView {
    @ApiProperty({ type: [item] })
    items!: T[];
  }
  Object.defineProperty(ItemPageView, 'name', { value: `${item.name.replace(/View$/, '')}Page` });
  pageViews.set(item, ItemPageView);
  return ItemPageView as Class<Page<T>>;
}
