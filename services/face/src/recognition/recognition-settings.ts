/**
 * Every tunable of face recognition in one object. Defaults are calibrated on the dev set
 * (`scripts/face-eval`, docs/face-recognition.md); the service may override any of them from its
 * configuration.
 */
export interface ImageLimits {
  /** Encoded image bytes (after base64 decoding); at most what the contract's base64 carries. */
  readonly maxEncodedBytes: number;
  /** Either side below this is IMAGE_TOO_SMALL (the seed's limit). */
  readonly minSidePx: number;
  /** Either side above this is IMAGE_TOO_LARGE (the seed's limit), read from the header. */
  readonly maxSidePx: number;
  /** Pixel count above this is IMAGE_TOO_LARGE, read from the header before any decoding. */
  readonly maxPixels: number;
  /** Decoded images are shrunk to fit this square: detection needs no more, and it bounds memory. */
  readonly workingMaxSidePx: number;
}

/**
 * How a face becomes a vector. `hybrid-mirrored` (the default): human's detector and mesh, an
 * aligned dlib-style chip, the dlib ResNet descriptor of the chip averaged with that of its mirror
 * image. `hybrid`: the same without the mirror. `human-faceres`: human's own descriptor on its own
 * crop. The last two exist to reproduce the comparison in docs/face-recognition.md.
 */
export type EmbeddingMethod = 'hybrid-mirrored' | 'hybrid' | 'human-faceres';

export interface DetectionSettings {
  /** Faces the detector may return; the largest is used. */
  readonly maxFaces: number;
  /** Detector confidence below which a box is not a face. */
  readonly minConfidence: number;
  /**
   * Enrolment: a second face at least this fraction of the largest one's size makes the photo
   * ambiguous (TOO_MANY_FACES); smaller faces in the background are ignored.
   */
  readonly competingFaceRatio: number;
}

/**
 * The quality gate. Face size is the side of the aligned chip's source square in image pixels
 * (eye-to-mouth distance / 0.45); sharpness is the variance of the Laplacian of the grey chip.
 */
export interface QualitySettings {
  /** Enrolment: a smaller face is FACE_TOO_SMALL. */
  readonly minEnrolFaceSizePx: number;
  /** Identification and verification: a smaller face is FACE_TOO_SMALL. */
  readonly minProbeFaceSizePx: number;
  /** Enrolment: a blurrier chip is FACE_QUALITY_TOO_LOW. */
  readonly minEnrolSharpness: number;
  /** Enrolment: head turned further than this (degrees) is FACE_QUALITY_TOO_LOW. */
  readonly maxEnrolYawDeg: number;
  readonly maxEnrolPitchDeg: number;
  /** Roll is undone by alignment, so only extreme tilts are refused. */
  readonly maxEnrolRollDeg: number;
}

/** How a probe is scored against a person's samples. */
export type SampleAggregation = 'max' | 'mean';

export interface MatchingSettings {
  /** Cosine similarity at or above which a probe is the person (FACE_NOT_MATCHED below). */
  readonly threshold: number;
  /** A new sample this similar to another person's samples is FACE_ALREADY_ENROLLED. */
  readonly duplicateThreshold: number;
  readonly aggregation: SampleAggregation;
  /** Samples kept per person; adding beyond it drops the oldest. */
  readonly maxSamplesPerPerson: number;
}

export interface WorkerSettings {
  /** Worker threads, each with its own copy of the models (~60 MB) and one image at a time. */
  readonly poolSize: number;
  /** Requests waiting for a worker; one more is FACE_BUSY. */
  readonly maxQueue: number;
  /** Per image, queueing included; past it FACE_TIMEOUT, and a worker still busy is replaced. */
  readonly deadlineMs: number;
  /** A worker that has not loaded its models by then is replaced. */
  readonly startupTimeoutMs: number;
}

export interface RecognitionSettings {
  readonly embedding: EmbeddingMethod;
  readonly image: ImageLimits;
  readonly detection: DetectionSettings;
  readonly quality: QualitySettings;
  readonly matching: MatchingSettings;
  readonly workers: WorkerSettings;
}

export const DEFAULT_RECOGNITION_SETTINGS: RecognitionSettings = Object.freeze({
  embedding: 'hybrid-mirrored',
  image: Object.freeze({
    // FACE_IMAGE_MAX_BYTES of the contract (app.module.spec.ts checks): what 10 MiB of base64 carries
    maxEncodedBytes: 7_864_320,
    minSidePx: 100,
    maxSidePx: 10_000,
    maxPixels: 40_000_000,
    workingMaxSidePx: 1280,
  }),
  detection: Object.freeze({ maxFaces: 5, minConfidence: 0.3, competingFaceRatio: 0.6 }),
  quality: Object.freeze({
    minEnrolFaceSizePx: 80,
    minProbeFaceSizePx: 40,
    minEnrolSharpness: 10,
    maxEnrolYawDeg: 35,
    maxEnrolPitchDeg: 30,
    maxEnrolRollDeg: 45,
  }),
  matching: Object.freeze({
    threshold: 0.93,
    duplicateThreshold: 0.93,
    aggregation: 'max',
    maxSamplesPerPerson: 5,
  }),
  workers: Object.freeze({ poolSize: 1, maxQueue: 16, deadlineMs: 5000, startupTimeoutMs: 60_000 }),
});

type Section = Exclude<keyof RecognitionSettings, 'embedding'>;

export type RecognitionSettingsOverrides = {
  readonly embedding?: EmbeddingMethod;
} & { readonly [Name in Section]?: Partial<RecognitionSettings[Name]> };

/** The defaults with the given sections' fields replaced. */
export function recognitionSettings(
  overrides: RecognitionSettingsOverrides = {},
): RecognitionSettings {
  const base = DEFAULT_RECOGNITION_SETTINGS;
  return Object.freeze({
    embedding: overrides.embedding ?? base.embedding,
    image: Object.freeze({ ...base.image, ...overrides.image }),
    detection: Object.freeze({ ...base.detection, ...overrides.detection }),
    quality: Object.freeze({ ...base.quality, ...overrides.quality }),
    matching: Object.freeze({ ...base.matching, ...overrides.matching }),
    workers: Object.freeze({ ...base.workers, ...overrides.workers }),
  });
}
