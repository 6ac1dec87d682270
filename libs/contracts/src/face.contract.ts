import {
  IsBoolean,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';

/**
 * Face service RPC (Redis transport). The face service owns enrolment and 1:N identification;
 * base calls it for the robot kiosk, the back office and the passenger website.
 *
 * Redis transport is pub/sub (every replica receives every message), so every handler here must
 * be read-only or idempotent: enrolment is an upsert keyed by the user id, deletion is idempotent.
 *
 * Errors travel as `{kind, code, message}` and are rethrown by the caller as DomainError. The face
 * service answers with these codes (kinds in brackets):
 * - FACE_NOT_MATCHED [not_found]: no enrolled face is close enough, or nothing is enrolled.
 * - NO_FACE, TOO_MANY_FACES [unprocessable]: the image has no face, or more than one where one
 *   is required (enrolment).
 * - IMAGE_UNREADABLE, IMAGE_TOO_SMALL, IMAGE_TOO_LARGE [invalid_input]: the image itself is bad.
 * - FACE_ALREADY_ENROLLED [conflict]: enrolment of a face that already belongs to another user.
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
} as const;

export const FACE_ERROR_CODES = {
  notMatched: 'FACE_NOT_MATCHED',
  noFace: 'NO_FACE',
  tooManyFaces: 'TOO_MANY_FACES',
  imageUnreadable: 'IMAGE_UNREADABLE',
  imageTooSmall: 'IMAGE_TOO_SMALL',
  imageTooLarge: 'IMAGE_TOO_LARGE',
  alreadyEnrolled: 'FACE_ALREADY_ENROLLED',
} as const;

/** Longest accepted base64 image, in characters (the seed's limit: 10 MiB of text). */
export const FACE_IMAGE_MAX_LENGTH = 10_485_760;

/** A base64-encoded image (JPEG, PNG, ...), as robots and the website send it. */
class FaceImagePayload {
  @IsString()
  @MinLength(1)
  @MaxLength(FACE_IMAGE_MAX_LENGTH)
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
}

export class FaceEnrollResponse {
  @IsUUID()
  userId!: string;
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
