import { ERROR_KINDS, type ErrorKind, httpStatusOf } from '@platform/errors';
import { kioskKindOf } from './kiosk-errors.interceptor';

/** What the seed's server answered the kiosk with: its refusals (400, 403, 404, 422). */
const SEED_REFUSAL_STATUSES = [400, 403, 404, 422];
/** Kinds the kiosk's own call cannot fix: the transport's, or the server's. */
const KEPT: ErrorKind[] = ['unauthenticated', 'rate_limited', 'unavailable', 'timeout', 'internal'];

describe('kioskKindOf', () => {
  it.each(ERROR_KINDS.filter((kind) => !KEPT.includes(kind)))(
    'answers %s with a status the seed answered the kiosk with',
    (kind) => {
      expect(SEED_REFUSAL_STATUSES).toContain(httpStatusOf(kioskKindOf({ kind, code: 'ANY' })));
    },
  );

  it.each(KEPT)('keeps %s', (kind) => {
    expect(kioskKindOf({ kind, code: 'ANY' })).toBe(kind);
  });

  it.each<[ErrorKind, string, ErrorKind]>([
    ['unprocessable', 'NO_FACE', 'unprocessable'],
    ['not_found', 'FACE_NOT_MATCHED', 'unprocessable'],
    ['not_found', 'USER_NOT_FOUND', 'not_found'],
    ['conflict', 'TICKET_ALREADY_USED', 'invalid_input'],
    ['payload_too_large', 'PAYLOAD_TOO_LARGE', 'invalid_input'],
    ['forbidden', 'INVALID_TICKET_CODE', 'forbidden'],
  ])('maps %s %s to %s', (kind, code, kioskKind) => {
    expect(kioskKindOf({ kind, code })).toBe(kioskKind);
  });
});
