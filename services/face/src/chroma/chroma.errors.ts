import { type DomainError, errorCatalog } from '@platform/errors';

const chromaError = errorCatalog({
  /** ChromaDB refused, failed (5xx) or did not answer within its deadline. */
  CHROMADB_UNAVAILABLE: 'unavailable',
});

export function chromaUnavailable(what: string): DomainError {
  return chromaError(
    'CHROMADB_UNAVAILABLE',
    `The face store (ChromaDB) is unavailable, try again later (${what})`,
  );
}
