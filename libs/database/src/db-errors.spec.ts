import { QueryFailedError } from 'typeorm';
import { isForeignKeyViolation, violatedUniqueConstraint } from './db-errors';

function failed(driverError: Record<string, unknown>): QueryFailedError {
  return new QueryFailedError('INSERT ...', [], Object.assign(new Error('failed'), driverError));
}

describe('database error mapping', () => {
  it('names the unique constraint an insert broke', () => {
    const error = failed({ code: '23505', constraint: 'tickets_seat_key' });
    expect(violatedUniqueConstraint(error)).toBe('tickets_seat_key');
    expect(isForeignKeyViolation(error)).toBe(false);
  });

  it('answers "" for a unique violation without a constraint name', () => {
    expect(violatedUniqueConstraint(failed({ code: '23505' }))).toBe('');
  });

  it('recognises a foreign key violation', () => {
    const error = failed({ code: '23503', constraint: 'tickets_user_id_fkey' });
    expect(isForeignKeyViolation(error)).toBe(true);
    expect(violatedUniqueConstraint(error)).toBeNull();
  });

  it.each([new Error('23505'), failed({ code: '40001' }), null, { code: '23505' }])(
    'ignores anything else (%p)',
    (error) => {
      expect(violatedUniqueConstraint(error)).toBeNull();
      expect(isForeignKeyViolation(error)).toBe(false);
    },
  );
});
