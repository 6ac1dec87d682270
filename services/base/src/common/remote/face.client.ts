import { Injectable, Logger } from '@nestjs/common';
import {
  FACE_ERROR_CODES,
  FACE_PATTERNS,
  FaceDeleteResponse,
  FaceEnrollResponse,
  FaceExistsResponse,
  FaceIdentifyResponse,
  type FaceDeleteRequest,
  type FaceEnrollRequest,
  type FaceExistsRequest,
  type FaceIdentifyRequest,
} from '@platform/contracts';
import { DomainError } from '@platform/errors';
import { callRemote, RpcClient } from '@platform/messaging';

/**
 * Face inference on CPU takes longer than a lookup (face's own deadline per image is 4 s); still
 * bounded so that a dead or stuck face is a 503 within 5 s of the request, base's own work included.
 */
export const FACE_RPC_TIMEOUT_MS = 4500;

/**
 * The face service over RPC. Every method answers 503 FACE_SERVICE_UNAVAILABLE when face does not
 * reply in time; the face service's own errors (FACE_NOT_MATCHED 404, NO_FACE 422, ...) pass through.
 */
@Injectable()
export class FaceClient {
  private readonly logger = new Logger('FaceClient');

  constructor(private readonly rpc: RpcClient) {}

  /**
   * The id of the user whose face is on the image. FACE_NOT_MATCHED leaves without the face
   * service's details: how close the nearest enrolled face came (and the threshold) would let a
   * robot steer an image towards someone's face (robot-platform.md §15.1.12); they are logged.
   */
  async identify(image: string): Promise<string> {
    const request: FaceIdentifyRequest = { image };
    try {
      const reply = await this.call(FACE_PATTERNS.identify, request, FaceIdentifyResponse);
      return reply.userId;
    } catch (error) {
      if (error instanceof DomainError && error.code === FACE_ERROR_CODES.notMatched) {
        this.logger.log({ face: error.details }, 'face not matched');
        throw new DomainError(error.kind, error.code, error.message);
      }
      throw error;
    }
  }

  /** Enrols or replaces the user's face. */
  async enroll(userId: string, image: string): Promise<void> {
    const request: FaceEnrollRequest = { userId, image };
    await this.call(FACE_PATTERNS.enroll, request, FaceEnrollResponse);
  }

  /** Forgets the user's face; false when none was enrolled. */
  async delete(userId: string): Promise<boolean> {
    const request: FaceDeleteRequest = { userId };
    return (await this.call(FACE_PATTERNS.delete, request, FaceDeleteResponse)).deleted;
  }

  async exists(userId: string): Promise<boolean> {
    const request: FaceExistsRequest = { userId };
    return (await this.call(FACE_PATTERNS.exists, request, FaceExistsResponse)).exists;
  }

  private call<T>(pattern: string, payload: object, responseType: new () => T): Promise<T> {
    return callRemote('face', () =>
      this.rpc.send(pattern, payload, { timeoutMs: FACE_RPC_TIMEOUT_MS, responseType }),
    );
  }
}
