import { randomUUID } from 'node:crypto';
import { cosineSimilarity, type EmbeddingIndex } from '../embedding-index';

export interface EmbeddingIndexSubject {
  index: EmbeddingIndex;
  /** Removes what the subject stored (the Chroma adapter drops its own collection). */
  dispose(): Promise<void>;
}

/** The per-person cap the subject was built for (the Chroma adapter's query fan-out). */
export const CONTRACT_SAMPLES_PER_PERSON = 3;

const DIMENSIONS = 128;

/** A deterministic unit vector (xorshift), so failures reproduce. */
export function unitVector(seed: number): Float32Array {
  let state = (seed * 2654435761) >>> 0 || 1;
  const vector = new Float32Array(DIMENSIONS);
  for (let i = 0; i < DIMENSIONS; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    vector[i] = ((state >>> 0) / 0xffffffff) * 2 - 1;
  }
  return normalised(vector);
}

/** `base` moved towards `towards` by `amount` (0..1), normalised: a controlled similarity. */
export function blend(base: Float32Array, towards: Float32Array, amount: number): Float32Array {
  return normalised(base.map((value, i) => value * (1 - amount) + towards[i] * amount));
}

function normalised(vector: Float32Array): Float32Array {
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

function expectSameVectors(actual: Float32Array[], expected: Float32Array[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((vector, index) => {
    expect(cosineSimilarity(vector, expected[index])).toBeCloseTo(1, 5);
  });
}

/**
 * What the recognition core relies on from an EmbeddingIndex, whatever stores it: run against
 * InMemoryEmbeddingIndex (unit tier) and ChromaEmbeddingIndex on the stack's ChromaDB
 * (integration tier, a collection of its own, dropped afterwards), so the index face-eval and the
 * specs use cannot drift from the one the service runs. Every case uses fresh person ids.
 */
export function describeEmbeddingIndexContract(
  name: string,
  makeSubject: () => Promise<EmbeddingIndexSubject>,
): void {
  describe(`EmbeddingIndex contract: ${name}`, () => {
    let subject: EmbeddingIndexSubject;
    let index: EmbeddingIndex;

    beforeEach(async () => {
      subject = await makeSubject();
      index = subject.index;
    });

    afterEach(async () => {
      await subject.dispose();
    });

    it('knows nothing of a person never enrolled, and removing them is a no-op', async () => {
      const nobody = randomUUID();
      expect(await index.samplesOf(nobody)).toEqual([]);
      expect(await index.removePerson(nobody)).toBe(false);
      expect(await index.persons()).toEqual([]);
      expect(await index.nearestPersons(unitVector(1), 5)).toEqual([]);
    });

    it('keeps the newest samples up to the cap, oldest first', async () => {
      const anna = randomUUID();
      const vectors = [11, 12, 13, 14, 15].map(unitVector);
      for (const vector of vectors) await index.addSample(anna, vector, 3);
      expectSameVectors(await index.samplesOf(anna), vectors.slice(2));
    });

    it('stores a vector the person already has once, as their newest sample', async () => {
      const anna = randomUUID();
      const [first, second] = [21, 22].map(unitVector);
      await index.addSample(anna, first, 3);
      await index.addSample(anna, second, 3);
      await index.addSample(anna, first, 3);
      expectSameVectors(await index.samplesOf(anna), [second, first]);
    });

    it('replaces all of a person’s samples and leaves others alone', async () => {
      const [anna, boris] = [randomUUID(), randomUUID()];
      await index.addSample(anna, unitVector(31), 3);
      await index.addSample(anna, unitVector(32), 3);
      await index.addSample(boris, unitVector(33), 3);
      await index.replaceSamples(anna, [unitVector(34)]);
      expectSameVectors(await index.samplesOf(anna), [unitVector(34)]);
      expectSameVectors(await index.samplesOf(boris), [unitVector(33)]);
      await index.replaceSamples(anna, []);
      expect(await index.samplesOf(anna)).toEqual([]);
      expect(await index.persons()).toEqual([boris]);
    });

    it('removes a person once and only them', async () => {
      const [anna, boris] = [randomUUID(), randomUUID()];
      await index.addSample(anna, unitVector(41), 3);
      await index.addSample(anna, unitVector(42), 3);
      await index.addSample(boris, unitVector(43), 3);
      expect(await index.removePerson(anna)).toBe(true);
      expect(await index.removePerson(anna)).toBe(false);
      expect(await index.samplesOf(anna)).toEqual([]);
      expect((await index.persons()).sort()).toEqual([boris]);
      expect((await index.nearestPersons(unitVector(41), 5)).map((c) => c.personId)).toEqual([
        boris,
      ]);
    });

    it('lists every person with samples once', async () => {
      const persons = [randomUUID(), randomUUID(), randomUUID()];
      for (const [i, person] of persons.entries()) {
        await index.addSample(person, unitVector(50 + i), 3);
        await index.addSample(person, unitVector(60 + i), 3);
      }
      expect((await index.persons()).sort()).toEqual([...persons].sort());
    });

    it('finds the nearest persons by cosine, each with their samples’ similarities best first', async () => {
      const [anna, boris, clara] = [randomUUID(), randomUUID(), randomUUID()];
      const probe = unitVector(70);
      const annaNear = blend(probe, unitVector(71), 0.2);
      const annaFar = blend(probe, unitVector(72), 0.6);
      const borisMid = blend(probe, unitVector(73), 0.4);
      await index.addSample(anna, annaFar, 3);
      await index.addSample(anna, annaNear, 3);
      await index.addSample(boris, borisMid, 3);
      await index.addSample(clara, unitVector(74), 3);

      const found = await index.nearestPersons(probe, 2);
      expect(found.map((candidate) => candidate.personId)).toEqual([anna, boris]);
      const [annaFound, borisFound] = found;
      expect(annaFound.similarities).toHaveLength(2);
      expect(annaFound.similarities[0]).toBeCloseTo(cosineSimilarity(probe, annaNear), 4);
      expect(annaFound.similarities[1]).toBeCloseTo(cosineSimilarity(probe, annaFar), 4);
      expect(borisFound.similarities[0]).toBeCloseTo(cosineSimilarity(probe, borisMid), 4);

      const all = await index.nearestPersons(probe, 10);
      expect(all.map((candidate) => candidate.personId)).toEqual([anna, boris, clara]);
    });

    it('gives an identical vector a similarity of 1', async () => {
      const anna = randomUUID();
      const vector = unitVector(80);
      await index.addSample(anna, vector, 3);
      const [found] = await index.nearestPersons(vector, 1);
      expect(found.personId).toBe(anna);
      expect(found.similarities[0]).toBeCloseTo(1, 5);
    });
  });
}
