import { DomainError } from '@platform/errors';

/** `Authorization: Bearer <token>`, scheme checked (the seed accepted any word). */
export function bearerTokenOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  const parts = value?.trim().split(/\s+/) ?? [];
  if (parts.length !== 2 || parts[0]?.toLowerCase() !== 'bearer' || !parts[1]) {
    throw new DomainError(
      'unauthenticated',
      'MISSING_BEARER_TOKEN',
      'An Authorization: Bearer <token> header is required',
    );
  }
  return parts[1];
}
