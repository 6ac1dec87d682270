import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  Min,
} from 'class-validator';
import { TextLength } from './text-length';

/**
 * Face service RPC (Redis transport). The face service owns enrolment and 1:N identification;
 * base calls it for the robot kiosk, the back office and the passenger website.
 *
 * Redis transport is pub/sub (every replica receives every message), so every handler here must
 * be read-only or idempotent: enrolment is an upsert keyed by the user id and the sample (the same
 * image enrolled twice is one sample), deletion is idempotent.
 *
 * Errors travel as `{kind, code, message}` and are rethrown by the caller as DomainError. The face
 * service answers with these codes (kinds in brackets):
 * - FACE_NOT_MATCHED [not_found]: no enrolled face is close enough, or nothing is enrolled.
 * - NO_FACE, TOO_MANY_FACES [unprocessable]: the image has no face, or more than one where one
 *   is required (enrolment).
 * - IMAGE_UNREADABLE, IMAGE_TOO_SMALL, IMAGE_TOO_LARGE [invalid_input]: the image itself is bad.
 * - FACE_TOO_SMALL, FACE_QUALITY_TOO_LOW [unprocessable]: the face is too small, blurred or turned
 *   too far (the last only at enrolment).
 * - FACE_ALREADY_ENROLLED [conflict]: enrolment of a face that already belongs to another user.
 * - FACE_BUSY, FACE_MODELS_NOT_READY, FACE_WORKER_FAILED, CHROMADB_UNAVAILABLE [unavailable],
 *   FACE_TIMEOUT [timeout]: try again later (callers see them as their 503).
 * docs/api/face.md lists the details each error carries and the limits.
 */
export const FACE_PATTERNS = {
  /** {@link FaceIdentifyRequest} → {@link FaceIdentifyResponse}. Read-only. */
  identify: 'face.identify',
  /** {@link FaceEnrollRequest} → {@link FaceEnrollResponse}. Upsert: replaces the user's face. */
  enroll: 'face.enroll',
  /** {@link FaceDeleteRequest} → {@link FaceDeleteResponse}. Idempotent. */
  delete: 'face.delete',
  /** {@link FaceExistsRequest} → {@link FaceExistsResponse}. Read-only. */
  exists: 'face.exists',
  /** {@link FaceVerifyRequest} → {@link FaceVerifyResponse}: 1:1, is this the user? Read-only. */
  verify: 'face.verify',
  /** {@link FaceSamplesRequest} → {@link FaceSamplesResponse}: the user's stored samples. Read-only. */
  samples: 'face.samples',
} as const;

export const FACE_ERROR_CODES = {
  notMatched: 'FACE_NOT_MATCHED',
  noFace: 'NO_FACE',
  tooManyFaces: 'TOO_MANY_FACES',
  imageUnreadable: 'IMAGE_UNREADABLE',
  imageTooSmall: 'IMAGE_TOO_SMALL',
  imageTooLarge: 'IMAGE_TOO_LARGE',
  alreadyEnrolled: 'FACE_ALREADY_ENROLLED',
  faceTooSmall: 'FACE_TOO_SMALL',
  qualityTooLow: 'FACE_QUALITY_TOO_LOW',
  chromaUnavailable: 'CHROMADB_UNAVAILABLE',
} as const;

/** How enrolment treats the user's samples already stored. */
export const FACE_ENROLL_MODES = ['replace', 'add'] as const;
export type FaceEnrollMode = (typeof FACE_ENROLL_MODES)[number];

/** Longest accepted base64 image, in characters (the seed's limit: 10 MiB of text). */
export const FACE_IMAGE_MAX_LENGTH = 10_485_760;
/** The most bytes a base64 image of FACE_IMAGE_MAX_LENGTH characters carries (7.5 MiB). */
export const FACE_IMAGE_MAX_BYTES = (FACE_IMAGE_MAX_LENGTH / 4) * 3;

/** A base64-encoded image (JPEG, PNG, ...), as robots and the website send it. */
class FaceImagePayload {
  @IsString()
  @TextLength(1, FACE_IMAGE_MAX_LENGTH)
  image!: string;
}

export class FaceIdentifyRequest extends FaceImagePayload {}

export class FaceIdentifyResponse {
  /** The base `users.id` the face belongs to. */
  @IsUUID()
  userId!: string;

  /** Cosine similarity of the match, for logs; informative only. */
  @IsOptional()
  @IsNumber()
  similarity?: number;
}

export class FaceEnrollRequest extends FaceImagePayload {
  @IsUUID()
  userId!: string;

  /**
   * `replace` (the default): the image becomes the user's only sample. `add`: one more sample,
   * the oldest dropped beyond the per-user cap.
   */
  @IsOptional()
  @IsIn(FACE_ENROLL_MODES)
  mode?: FaceEnrollMode;
}

export class FaceEnrollResponse {
  @IsUUID()
  userId!: string;

  /** Samples the user has after this enrolment. */
  @IsOptional()
  @IsInt()
  @Min(1)
  samples?: number;
}

export class FaceVerifyRequest extends FaceImagePayload {
  @IsUUID()
  userId!: string;
}

/** A success means the face is the user's; otherwise FACE_NOT_MATCHED. */
export class FaceVerifyResponse {
  @IsUUID()
  userId!: string;

  @IsNumber()
  @Min(-1)
  @Max(1)
  similarity!: number;
}

export class FaceSamplesRequest {
  @IsUUID()
  userId!: string;
}

export class FaceSamplesResponse {
  @IsUUID()
  userId!: string;

  /** Stored samples (0 when the user has no face). */
  @IsInt()
  @Min(0)
  samples!: number;
}

export class FaceDeleteRequest {
  @IsUUID()
  userId!: string;
}

export class FaceDeleteResponse {
  @IsUUID()
  userId!: string;

  /** False when there was nothing to delete (still a success). */
  @IsBoolean()
  deleted!: boolean;
}

export class FaceExistsRequest {
  @IsUUID()
  userId!: string;
}

export class FaceExistsResponse {
  @IsUUID()
  userId!: string;

  @IsBoolean()
  exists!: boolean;
}
