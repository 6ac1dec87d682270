import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { mapPage, PageMetaView, pageOf, PageQueryDto, pageViewOf, pageWindow } from './pagination';

function errorsOf(query: Record<string, unknown>): string[] {
  return validateSync(plainToInstance(PageQueryDto, query)).map((error) => error.property);
}

describe('pagination', () => {
  it('defaults to page 1 of 50', () => {
    expect(pageWindow()).toEqual({ page: 1, size: 50, skip: 0, take: 50 });
    expect(pageWindow({})).toEqual({ page: 1, size: 50, skip: 0, take: 50 });
  });

  it.each([
    [{ page: 1, size: 10 }, 0],
    [{ page: 2, size: 10 }, 10],
    [{ page: 3, size: 100 }, 200],
    [{ page: 7, size: 1 }, 6],
  ])('skips the rows of earlier pages for %p', (query, skip) => {
    expect(pageWindow(query).skip).toBe(skip);
    expect(pageWindow(query).take).toBe(query.size);
  });

  it.each([
    [0, 50, 0],
    [1, 50, 1],
    [50, 50, 1],
    [51, 50, 2],
    [100, 1, 100],
    [101, 100, 2],
  ])('counts %i rows in pages of %i as %i pages', (total, size, pages) => {
    expect(pageOf([], total, pageWindow({ page: 1, size })).pages).toBe(pages);
  });

  it('labels the page with what was asked and what exists', () => {
    expect(pageOf(['c'], 3, pageWindow({ page: 3, size: 1 }))).toEqual({
      items: ['c'],
      total: 3,
      page: 3,
      size: 1,
      pages: 3,
    });
  });

  it('maps items and keeps the counts', () => {
    const page = pageOf([1, 2], 12, pageWindow({ page: 2, size: 2 }));
    expect(mapPage(page, (n) => n * 10)).toEqual({ ...page, items: [10, 20] });
  });

  it('reads query strings as numbers', () => {
    const query = plainToInstance(PageQueryDto, { page: '2', size: '25' });
    expect(validateSync(query)).toEqual([]);
    expect(pageWindow(query)).toEqual({ page: 2, size: 25, skip: 25, take: 25 });
  });

  it.each([
    [{ page: '0' }, ['page']],
    [{ page: '-1' }, ['page']],
    [{ page: 'abc' }, ['page']],
    [{ page: '1.5' }, ['page']],
    [{ size: '0' }, ['size']],
    [{ size: '101' }, ['size']],
    [{ size: '' }, ['size']],
    [{ page: '99999999999' }, ['page']],
    [{ page: '99999999999999999999' }, ['page']],
    [{ size: '1e1' }, ['size']],
    [{ size: '0x10' }, ['size']],
    [{ size: ' 5' }, ['size']],
    [{ size: '5.0' }, ['size']],
    [{ page: ['1', '2'] }, ['page']],
  ])('refuses %p', (query, properties) => {
    expect(errorsOf(query)).toEqual(properties);
  });
});

describe('pageViewOf', () => {
  class ParcelView {}

  it('documents a page of the item under one class per item type', () => {
    const page = pageViewOf(ParcelView);
    expect(page.name).toBe('ParcelPage');
    expect(pageViewOf(ParcelView)).toBe(page);
    expect(new page()).toBeInstanceOf(PageMetaView);
  });
});
