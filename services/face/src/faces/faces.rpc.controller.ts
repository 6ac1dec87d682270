import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  FACE_PATTERNS,
  FaceDeleteRequest,
  type FaceDeleteResponse,
  FaceEnrollRequest,
  type FaceEnrollResponse,
  FaceExistsRequest,
  type FaceExistsResponse,
  FaceIdentifyRequest,
  type FaceIdentifyResponse,
  FaceSamplesRequest,
  type FaceSamplesResponse,
  FaceVerifyRequest,
  type FaceVerifyResponse,
} from '@platform/contracts';
import { asDomain } from './face-domain-error';
import { FaceEngine } from './face-engine';

/** Four decimals: enough to compare with the threshold, no false precision in logs. */
const rounded = (similarity: number): number => Math.round(similarity * 10_000) / 10_000;

/**
 * A UUID names the same user in any letter case (the contract accepts both, and base passes ids
 * from URLs as typed), but the index keys samples by the exact text: one canonical form, or a
 * face enrolled as `ABC…` would survive `face.delete` of `abc…`.
 */
const personOf = (userId: string): string => userId.toLowerCase();

/**
 * The face contract over Redis RPC (libs/contracts/src/face.contract.ts; docs/api/face.md).
 * Payloads are validated by the global pipe against the contract's DTOs; refusals cross the wire
 * as `{kind, code, message, details}`. Identification, verification and the reads are read-only;
 * enrolment is an upsert keyed by user and sample, deletion is idempotent.
 */
@Controller()
export class FacesRpcController {
  constructor(private readonly engine: FaceEngine) {}

  @MessagePattern(FACE_PATTERNS.enroll)
  async enroll(@Payload() request: FaceEnrollRequest): Promise<FaceEnrollResponse> {
    const enrolment = await asDomain(() =>
      this.engine.recognition.enrol(
        personOf(request.userId),
        request.image,
        request.mode ?? 'replace',
      ),
    );
    return { userId: enrolment.personId, samples: enrolment.samples };
  }

  @MessagePattern(FACE_PATTERNS.identify)
  async identify(@Payload() request: FaceIdentifyRequest): Promise<FaceIdentifyResponse> {
    const match = await asDomain(() => this.engine.recognition.identify(request.image));
    return { userId: match.personId, similarity: rounded(match.similarity) };
  }

  @MessagePattern(FACE_PATTERNS.verify)
  async verify(@Payload() request: FaceVerifyRequest): Promise<FaceVerifyResponse> {
    const match = await asDomain(() =>
      this.engine.recognition.verify(personOf(request.userId), request.image),
    );
    return { userId: match.personId, similarity: rounded(match.similarity) };
  }

  @MessagePattern(FACE_PATTERNS.delete)
  async delete(@Payload() request: FaceDeleteRequest): Promise<FaceDeleteResponse> {
    const userId = personOf(request.userId);
    const deleted = await asDomain(() => this.engine.recognition.remove(userId));
    return { userId, deleted };
  }

  @MessagePattern(FACE_PATTERNS.exists)
  async exists(@Payload() request: FaceExistsRequest): Promise<FaceExistsResponse> {
    const userId = personOf(request.userId);
    const samples = await asDomain(() => this.engine.recognition.sampleCount(userId));
    return { userId, exists: samples > 0 };
  }

  @MessagePattern(FACE_PATTERNS.samples)
  async samples(@Payload() request: FaceSamplesRequest): Promise<FaceSamplesResponse> {
    const userId = personOf(request.userId);
    const samples = await asDomain(() => this.engine.recognition.sampleCount(userId));
    return { userId, samples };
  }
}
