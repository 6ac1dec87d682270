import { cosineSimilarity, type EmbeddingIndex, type PersonCandidate } from './embedding-index';
import { faceError } from './face-errors';
import { type MatchingSettings, type SampleAggregation } from './recognition-settings';

/** A person and the probe's similarity to them (cosine, aggregated over their samples). */
export interface FaceMatch {
  readonly personId: string;
  readonly similarity: number;
}

/** Persons fetched from the index per probe; the best by `max` is always among them. */
const CANDIDATE_PERSONS = 5;

export function aggregateSimilarity(
  similarities: readonly number[],
  aggregation: SampleAggregation,
): number {
  if (similarities.length === 0) return -1;
  if (aggregation === 'max') return Math.max(...similarities);
  return similarities.reduce((sum, value) => sum + value, 0) / similarities.length;
}

/** The enrolled person most similar to the probe, whatever the score (null: nobody enrolled). */
export async function bestMatch(
  index: EmbeddingIndex,
  vector: Float32Array,
  matching: MatchingSettings,
): Promise<FaceMatch | null> {
  const candidates = await index.nearestPersons(vector, CANDIDATE_PERSONS);
  return bestOf(candidates, matching.aggregation);
}

/** 1:N: the best person at or above the threshold, else FACE_NOT_MATCHED. */
export async function identify(
  index: EmbeddingIndex,
  vector: Float32Array,
  matching: MatchingSettings,
): Promise<FaceMatch> {
  return acceptMatch(await bestMatch(index, vector, matching), matching);
}

/** The identification decision: the best match if it reaches the threshold, else FACE_NOT_MATCHED. */
export function acceptMatch(match: FaceMatch | null, matching: MatchingSettings): FaceMatch {
  if (!match || match.similarity < matching.threshold) {
    throw faceError('FACE_NOT_MATCHED', 'The face matches nobody enrolled', {
      ...(match ? { similarity: round(match.similarity) } : {}),
      threshold: matching.threshold,
    });
  }
  return match;
}

/** 1:1: the probe against one person's samples; FACE_NOT_MATCHED below the threshold or unknown. */
export async function verify(
  index: EmbeddingIndex,
  personId: string,
  vector: Float32Array,
  matching: MatchingSettings,
): Promise<FaceMatch> {
  const samples = await index.samplesOf(personId);
  const similarity = aggregateSimilarity(
    samples.map((sample) => cosineSimilarity(vector, sample)),
    matching.aggregation,
  );
  if (samples.length === 0 || similarity < matching.threshold) {
    throw faceError('FACE_NOT_MATCHED', 'The face is not this person', {
      ...(samples.length > 0 ? { similarity: round(similarity) } : { enrolled: false }),
      threshold: matching.threshold,
    });
  }
  return { personId, similarity };
}

/**
 * The same face must not belong to two people: a new sample as similar as `duplicateThreshold` to
 * anyone else's samples is FACE_ALREADY_ENROLLED (it would be identified as them anyway).
 */
export async function assertNotEnrolledElsewhere(
  index: EmbeddingIndex,
  personId: string,
  vector: Float32Array,
  matching: MatchingSettings,
): Promise<void> {
  const others = (await index.nearestPersons(vector, CANDIDATE_PERSONS + 1)).filter(
    (candidate) => candidate.personId !== personId,
  );
  const closest = others.find(
    (candidate) => candidate.similarities[0] >= matching.duplicateThreshold,
  );
  if (closest) {
    throw faceError('FACE_ALREADY_ENROLLED', 'This face is already enrolled for someone else', {
      similarity: round(closest.similarities[0]),
    });
  }
}

function bestOf(
  candidates: readonly PersonCandidate[],
  aggregation: SampleAggregation,
): FaceMatch | null {
  let best: FaceMatch | null = null;
  for (const candidate of candidates) {
    const similarity = aggregateSimilarity(candidate.similarities, aggregation);
    if (!best || similarity > best.similarity) best = { personId: candidate.personId, similarity };
  }
  return best;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
