import { DomainError } from './domain-error';
import { errorCatalog } from './error-catalog';

describe('errorCatalog', () => {
  const parcelError = errorCatalog({
    PARCEL_NOT_FOUND: 'not_found',
    PARCEL_TOO_BIG: 'unprocessable',
  });

  it.each([
    ['PARCEL_NOT_FOUND', 'not_found'],
    ['PARCEL_TOO_BIG', 'unprocessable'],
  ] as const)('makes %s errors of kind %s', (code, kind) => {
    const error = parcelError(code, 'text');
    expect(error).toBeInstanceOf(DomainError);
    expect([error.kind, error.code, error.message, error.detail]).toEqual([
      kind,
      code,
      'text',
      'text',
    ]);
  });

  it('passes details and the seed detail object through', () => {
    const error = parcelError(
      'PARCEL_TOO_BIG',
      'Too big',
      { max: 3 },
      { detail: { message: 'x' } },
    );
    expect([error.details, error.detail]).toEqual([{ max: 3 }, { message: 'x' }]);
  });

  it('refuses codes it does not declare (checked by the compiler)', () => {
    // @ts-expect-error: not a code of this catalogue
    const undeclared = (): DomainError => parcelError('PARCEL_LOST', 'lost');
    expect(typeof undeclared).toBe('function');
  });
});
