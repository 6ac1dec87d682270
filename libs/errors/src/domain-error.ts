import { type ErrorKind } from './error-kind';

/** Extra, client-safe facts about an error (e.g. the ticket that would have been right). */
export type ErrorDetails = Record<string, unknown>;

/**
 * The one error type business code throws. `code` is a stable SCREAMING_SNAKE identifier clients
 * can switch on; `message` is for people; `kind` decides the transport status.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shape of every error that leaves a service, over HTTP and over RPC alike. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  requestId: string | null;
  details?: ErrorDetails;
}

/** Shape of an error on the Redis RPC wire. */
export interface RpcErrorPayload {
  kind: ErrorKind;
  code: string;
  message: string;
  details?: ErrorDetails;
}
