import type { ErrorKind } from '@platform/errors';

/**
 * Every way face recognition can refuse a request, each with the error kind (hence the HTTP status
 * and the RPC `kind`) it always has. The service layer turns a FaceError into a DomainError with
 * `FACE_ERROR_KINDS[error.code]`; nothing else needs a mapping.
 */
export const FACE_ERROR_KINDS = {
  /** Not base64, not a JPEG/PNG, truncated or otherwise undecodable. */
  IMAGE_UNREADABLE: 'invalid_input',
  /** Decoded fine but a side is below the minimum. */
  IMAGE_TOO_SMALL: 'invalid_input',
  /** Too many encoded bytes, or a side or the pixel count over the limit (checked before decoding). */
  IMAGE_TOO_LARGE: 'invalid_input',
  /** No face was detected. */
  NO_FACE: 'unprocessable',
  /** More than one comparable face where exactly one is required (enrolment). */
  TOO_MANY_FACES: 'unprocessable',
  /** The face is too small to describe reliably. */
  FACE_TOO_SMALL: 'unprocessable',
  /** Enrolment refused: the face is blurred or turned too far. */
  FACE_QUALITY_TOO_LOW: 'unprocessable',
  /** Nobody enrolled is similar enough (also when nothing is enrolled). */
  FACE_NOT_MATCHED: 'not_found',
  /** The face is already enrolled for another person. */
  FACE_ALREADY_ENROLLED: 'conflict',
  /** Every worker is busy and the queue is full. */
  FACE_BUSY: 'unavailable',
  /** The image was not processed within its deadline (queueing included). */
  FACE_TIMEOUT: 'timeout',
  /** The worker processing the image died; it is being restarted. */
  FACE_WORKER_FAILED: 'unavailable',
  /** The models are not loaded yet (or could not be loaded). */
  FACE_MODELS_NOT_READY: 'unavailable',
  /** An unexpected failure inside the pipeline: a bug, not the caller's image. */
  FACE_PIPELINE_FAILED: 'internal',
} as const satisfies Record<string, ErrorKind>;

export type FaceErrorCode = keyof typeof FACE_ERROR_KINDS;

/** Client-safe facts about a refusal (measured values and the limits they broke). */
export type FaceErrorDetails = Readonly<Record<string, string | number | boolean>>;

export class FaceError extends Error {
  constructor(
    readonly code: FaceErrorCode,
    message: string,
    readonly details?: FaceErrorDetails,
  ) {
    super(message);
    this.name = 'FaceError';
  }

  get kind(): ErrorKind {
    return FACE_ERROR_KINDS[this.code];
  }
}

export function faceError(
  code: FaceErrorCode,
  message: string,
  details?: FaceErrorDetails,
): FaceError {
  return new FaceError(code, message, details);
}

export function isFaceError(value: unknown): value is FaceError {
  return value instanceof FaceError;
}

export function isFaceErrorCode(value: unknown): value is FaceErrorCode {
  return typeof value === 'string' && Object.hasOwn(FACE_ERROR_KINDS, value);
}

/** A FaceError as it crosses the worker boundary (structured clone drops the class). */
export interface FaceErrorPayload {
  readonly code: FaceErrorCode;
  readonly message: string;
  readonly details?: FaceErrorDetails;
}

/** Any failure as a payload: unknown errors become FACE_PIPELINE_FAILED with their message. */
export function toFaceErrorPayload(error: unknown): FaceErrorPayload {
  if (isFaceError(error)) {
    return { code: error.code, message: error.message, details: error.details };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'FACE_PIPELINE_FAILED', message: `Face pipeline failed: ${message}` };
}

export function fromFaceErrorPayload(payload: FaceErrorPayload): FaceError {
  return new FaceError(payload.code, payload.message, payload.details);
}
