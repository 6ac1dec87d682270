import { DomainError, type DomainErrorOptions, type ErrorDetails } from './domain-error';
import { type ErrorKind } from './error-kind';

/** A feature's error codes, each with the kind (hence the status) it always has. */
export type ErrorCatalog<Code extends string> = Readonly<Record<Code, ErrorKind>>;

/** Makes a DomainError of one of the catalogue's codes; any other code does not compile. */
export type ErrorFactory<Code extends string> = (
  code: Code,
  message: string,
  details?: ErrorDetails,
  options?: DomainErrorOptions,
) => DomainError;

/**
 * The one place a feature declares its errors: `const ticketError = errorCatalog({TICKET_NOT_FOUND:
 * 'not_found'})`; its constructors then call `ticketError('TICKET_NOT_FOUND', 'Ticket not found')`.
 */
export function errorCatalog<Code extends string>(catalog: ErrorCatalog<Code>): ErrorFactory<Code> {
  return (code, message, details, options) =>
    new DomainError(catalog[code], code, message, details, options);
}
