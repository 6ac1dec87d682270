import { type ErrorKind } from './error-kind';

/** Extra, client-safe facts about an error (e.g. the ticket that would have been right). */
export type ErrorDetails = Record<string, unknown>;

/**
 * FastAPI's `detail`, which the seed's clients (the robot kiosk) read: the message, or an object
 * where the seed sent one (e.g. `{message, right_ticket}` from ticket validation).
 */
export type ErrorDetail = string | ErrorDetails;

export interface DomainErrorOptions {
  /** The seed's `detail` object for this error; without it `detail` is the message. */
  detail?: ErrorDetails;
}

/**
 * The one error type business code throws. `code` is a stable SCREAMING_SNAKE identifier clients
 * can switch on; `message` is for people; `kind` decides the transport status.
 */
export class DomainError extends Error {
  /** What the error body's `detail` carries. */
  readonly detail: ErrorDetail;

  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetails,
    options: DomainErrorOptions = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.detail = options.detail ?? message;
  }
}

/** Shape of every error that leaves a service, over HTTP and over RPC alike. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  requestId: string | null;
  /** For the seed's clients: {@link ErrorDetail}. */
  detail: ErrorDetail;
  details?: ErrorDetails;
}

/** Shape of an error on the Redis RPC wire. */
export interface RpcErrorPayload {
  kind: ErrorKind;
  code: string;
  message: string;
  details?: ErrorDetails;
  /** Only when it is an object; a string `detail` is the message. */
  detail?: ErrorDetails;
}
