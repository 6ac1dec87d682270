/**
 * Where face vectors live: L2-normalised vectors, several samples per person, searched by cosine.
 * The service's ChromaDB adapter and the in-memory index below implement the same interface, so
 * face-eval and the specs exercise the very matching code the service runs.
 */
export interface PersonCandidate {
  readonly personId: string;
  /** Cosine similarity of the probe to each of the person's samples found, best first. */
  readonly similarities: readonly number[];
}

export interface EmbeddingIndex {
  /**
   * Adds a sample, keeping only the person's newest `keepNewest` samples. A vector the person
   * already has is not stored twice: it becomes their newest sample (enrolment is idempotent).
   */
  addSample(personId: string, vector: Float32Array, keepNewest: number): Promise<void>;
  /** Replaces all of the person's samples. */
  replaceSamples(personId: string, vectors: readonly Float32Array[]): Promise<void>;
  /** False when the person had no samples (removal is idempotent). */
  removePerson(personId: string): Promise<boolean>;
  /** The person's samples, oldest first; empty when unknown. */
  samplesOf(personId: string): Promise<Float32Array[]>;
  /** Persons with at least one sample. */
  persons(): Promise<string[]>;
  /** Up to `limit` persons whose samples are nearest to the vector, nearest first. */
  nearestPersons(vector: Float32Array, limit: number): Promise<PersonCandidate[]>;
}

/** Dot product: the cosine similarity of two L2-normalised vectors. */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) {
    throw new Error(`Vector lengths differ: ${a.length} and ${b.length}`);
  }
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot;
}

/** Exhaustive search over every sample: exact, and fast enough for thousands of samples. */
export class InMemoryEmbeddingIndex implements EmbeddingIndex {
  private readonly samples = new Map<string, Float32Array[]>();

  async addSample(personId: string, vector: Float32Array, keepNewest: number): Promise<void> {
    const others = (this.samples.get(personId) ?? []).filter(
      (sample) => !sameVector(sample, vector),
    );
    const kept = [...others, Float32Array.from(vector)];
    this.samples.set(personId, kept.slice(Math.max(0, kept.length - Math.max(1, keepNewest))));
  }

  async replaceSamples(personId: string, vectors: readonly Float32Array[]): Promise<void> {
    const distinct = vectors.filter(
      (vector, index) => vectors.findIndex((other) => sameVector(other, vector)) === index,
    );
    if (distinct.length === 0) this.samples.delete(personId);
    else
      this.samples.set(
        personId,
        distinct.map((vector) => Float32Array.from(vector)),
      );
  }

  async removePerson(personId: string): Promise<boolean> {
    return this.samples.delete(personId);
  }

  async samplesOf(personId: string): Promise<Float32Array[]> {
    return (this.samples.get(personId) ?? []).map((vector) => Float32Array.from(vector));
  }

  async persons(): Promise<string[]> {
    return [...this.samples.keys()];
  }

  async nearestPersons(vector: Float32Array, limit: number): Promise<PersonCandidate[]> {
    const candidates: PersonCandidate[] = [];
    for (const [personId, vectors] of this.samples) {
      const similarities = vectors
        .map((sample) => cosineSimilarity(vector, sample))
        .sort((a, b) => b - a);
      candidates.push({ personId, similarities });
    }
    return candidates
      .sort((a, b) => b.similarities[0] - a.similarities[0])
      .slice(0, Math.max(0, limit));
  }
}

function sameVector(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
