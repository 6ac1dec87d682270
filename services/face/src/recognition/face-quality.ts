import { faceError } from './face-errors';
import { type Pose } from './face-models';
import { type QualitySettings } from './recognition-settings';

/** What enrolment needs a photo for: a reference sample, or a probe to compare with samples. */
export type FacePurpose = 'enrol' | 'probe';

/** The measurements of the chosen face the gate and the logs look at. */
export interface FaceObservation {
  /** Side of the chip's source square in original image pixels (eye-to-mouth / 0.45). */
  readonly faceSizePx: number;
  /** Variance of the Laplacian of the grey chip. */
  readonly sharpness: number;
  readonly pose: Pose;
  readonly confidence: number;
  /** Faces the detector found in the image (the largest one was used). */
  readonly facesInImage: number;
}

/**
 * The quality gate. Probes only need a face large enough to describe; enrolment also needs a sharp,
 * roughly frontal face, because a bad sample would lower every later score of that person (or raise
 * someone else's). Throws FACE_TOO_SMALL or FACE_QUALITY_TOO_LOW with the measured values.
 */
export function assertFaceQuality(
  face: FaceObservation,
  quality: QualitySettings,
  purpose: FacePurpose,
): void {
  const minSizePx = purpose === 'enrol' ? quality.minEnrolFaceSizePx : quality.minProbeFaceSizePx;
  if (face.faceSizePx < minSizePx) {
    throw faceError('FACE_TOO_SMALL', 'The face is too small', {
      faceSizePx: round(face.faceSizePx),
      minFaceSizePx: minSizePx,
    });
  }
  if (purpose === 'probe') return;
  if (face.sharpness < quality.minEnrolSharpness) {
    throw faceError('FACE_QUALITY_TOO_LOW', 'The face is blurred', {
      reason: 'blur',
      sharpness: round(face.sharpness),
      minSharpness: quality.minEnrolSharpness,
    });
  }
  const { yawDeg, pitchDeg, rollDeg } = face.pose;
  if (
    Math.abs(yawDeg) > quality.maxEnrolYawDeg ||
    Math.abs(pitchDeg) > quality.maxEnrolPitchDeg ||
    Math.abs(rollDeg) > quality.maxEnrolRollDeg
  ) {
    throw faceError('FACE_QUALITY_TOO_LOW', 'The face is not turned towards the camera', {
      reason: 'pose',
      yawDeg: round(yawDeg),
      pitchDeg: round(pitchDeg),
      rollDeg: round(rollDeg),
    });
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
