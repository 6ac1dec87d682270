import { InMemoryEmbeddingIndex } from './embedding-index';
import {
  acceptMatch,
  aggregateSimilarity,
  assertNotEnrolledElsewhere,
  identify,
  verify,
} from './face-matcher';
import { normalise } from './face-pipeline';
import { DEFAULT_RECOGNITION_SETTINGS, type MatchingSettings } from './recognition-settings';

const matching: MatchingSettings = { ...DEFAULT_RECOGNITION_SETTINGS.matching, threshold: 0.9 };

/** A unit vector at `cosine` from the x axis, turned towards axis `towards`. */
function at(cosine: number, towards = 1): Float32Array {
  const vector = new Float32Array(4);
  vector[0] = cosine;
  vector[towards] = Math.sqrt(1 - cosine * cosine);
  return vector;
}

const axis = (i: number): Float32Array => {
  const vector = new Float32Array(4);
  vector[i] = 1;
  return vector;
};

async function indexOf(samples: Record<string, Float32Array[]>): Promise<InMemoryEmbeddingIndex> {
  const index = new InMemoryEmbeddingIndex();
  for (const [personId, vectors] of Object.entries(samples)) {
    await index.replaceSamples(personId, vectors);
  }
  return index;
}

describe('face matching', () => {
  it('identifies the person with the most similar sample (max over samples)', async () => {
    const index = await indexOf({ ann: [axis(1), at(0.95)], bob: [at(0.92, 2)] });
    await expect(identify(index, axis(0), matching)).resolves.toEqual({
      personId: 'ann',
      similarity: expect.closeTo(0.95, 5),
    });
  });

  it.each([
    ['nobody enrolled', {}],
    ['the best is below the threshold', { ann: [at(0.85)] }],
  ])('answers FACE_NOT_MATCHED when %s', async (_case, samples: Record<string, Float32Array[]>) => {
    await expect(identify(await indexOf(samples), axis(0), matching)).rejects.toMatchObject({
      code: 'FACE_NOT_MATCHED',
    });
  });

  it('accepts a score exactly at the threshold', () => {
    expect(acceptMatch({ personId: 'ann', similarity: 0.9 }, matching).personId).toBe('ann');
  });

  it('scores by the mean of the samples when configured', async () => {
    expect(aggregateSimilarity([0.95, 0.85], 'mean')).toBeCloseTo(0.9);
    const index = await indexOf({ ann: [at(0.99), at(0.7)], bob: [at(0.93, 2), at(0.92, 3)] });
    const match = await identify(index, axis(0), { ...matching, aggregation: 'mean' });
    expect(match.personId).toBe('bob');
  });

  it('verifies against one person only', async () => {
    const index = await indexOf({ ann: [at(0.95)], bob: [at(0.5, 2)] });
    await expect(verify(index, 'ann', axis(0), matching)).resolves.toMatchObject({
      personId: 'ann',
    });
    await expect(verify(index, 'bob', axis(0), matching)).rejects.toMatchObject({
      code: 'FACE_NOT_MATCHED',
    });
    await expect(verify(index, 'nobody', axis(0), matching)).rejects.toMatchObject({
      code: 'FACE_NOT_MATCHED',
      details: expect.objectContaining({ enrolled: false }),
    });
  });

  it('refuses a face that is already someone else’s, not one that is the same person’s', async () => {
    const index = await indexOf({ ann: [at(0.97)] });
    await expect(assertNotEnrolledElsewhere(index, 'bob', axis(0), matching)).rejects.toMatchObject(
      { code: 'FACE_ALREADY_ENROLLED' },
    );
    await expect(assertNotEnrolledElsewhere(index, 'ann', axis(0), matching)).resolves.toBe(
      undefined,
    );
    await expect(
      assertNotEnrolledElsewhere(index, 'bob', at(0.5, 2), matching),
    ).resolves.toBeUndefined();
  });
});

describe('InMemoryEmbeddingIndex', () => {
  it('keeps the newest samples up to the cap, replaces and removes idempotently', async () => {
    const index = new InMemoryEmbeddingIndex();
    for (let i = 0; i < 4; i++) await index.addSample('ann', axis(i), 3);
    expect((await index.samplesOf('ann')).map((vector) => vector.indexOf(1))).toEqual([1, 2, 3]);
    await index.replaceSamples('ann', [axis(0)]);
    expect(await index.samplesOf('ann')).toHaveLength(1);
    expect(await index.persons()).toEqual(['ann']);
    expect(await index.removePerson('ann')).toBe(true);
    expect(await index.removePerson('ann')).toBe(false);
    expect(await index.nearestPersons(axis(0), 5)).toEqual([]);
  });

  it('does not share vectors with its callers', async () => {
    const index = new InMemoryEmbeddingIndex();
    const vector = axis(0);
    await index.addSample('ann', vector, 3);
    vector[0] = 0;
    (await index.samplesOf('ann'))[0][0] = 0;
    expect((await index.samplesOf('ann'))[0][0]).toBe(1);
  });
});

describe('normalise', () => {
  it('gives unit vectors and refuses the zero vector', () => {
    const unit = normalise(Float32Array.from([3, 4]));
    expect(Array.from(unit)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(() => normalise(new Float32Array(2))).toThrow();
  });
});
