import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiServiceUnavailableResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';

/**
 * What a route that enrols a face through {@link FaceClient} can be refused with: the face
 * service's codes pass through (docs/api/face.md), its silence is 503.
 */
export const ApiFaceEnrolmentRefusals = (): MethodDecorator =>
  applyDecorators(
    ApiBadRequestResponse({
      description: 'IMAGE_UNREADABLE, IMAGE_TOO_SMALL, IMAGE_TOO_LARGE; invalid input',
    }),
    ApiConflictResponse({ description: "FACE_ALREADY_ENROLLED: the face is another person's" }),
    ApiUnprocessableEntityResponse({
      description: 'NO_FACE, TOO_MANY_FACES, FACE_TOO_SMALL, FACE_QUALITY_TOO_LOW',
    }),
    ApiServiceUnavailableResponse({ description: 'FACE_SERVICE_UNAVAILABLE (nothing changed)' }),
  );
