import { ERROR_KINDS, type ErrorKind, httpStatusOf } from '@platform/errors';
import { kioskKindOf } from './kiosk-errors.interceptor';

/** What the seed's kiosk client shows as such; anything else is "unknown server error". */
const KIOSK_HANDLED_CLIENT_STATUSES = [400, 403, 404];
/** Kinds the kiosk's own call cannot fix: the transport's, or the server's. */
const KEPT: ErrorKind[] = ['unauthenticated', 'rate_limited', 'unavailable', 'timeout', 'internal'];

describe('kioskKindOf', () => {
  it.each(ERROR_KINDS.filter((kind) => !KEPT.includes(kind)))(
    'answers %s with a status the kiosk handles',
    (kind) => {
      expect(KIOSK_HANDLED_CLIENT_STATUSES).toContain(httpStatusOf(kioskKindOf(kind)));
    },
  );

  it.each(KEPT)('keeps %s', (kind) => {
    expect(kioskKindOf(kind)).toBe(kind);
  });

  it.each<[ErrorKind, ErrorKind]>([
    ['unprocessable', 'invalid_input'],
    ['conflict', 'invalid_input'],
    ['payload_too_large', 'invalid_input'],
    ['not_found', 'not_found'],
    ['forbidden', 'forbidden'],
  ])('maps %s to %s', (kind, kioskKind) => {
    expect(kioskKindOf(kind)).toBe(kioskKind);
  });
});
