import { InMemoryEmbeddingIndex } from './embedding-index';
import { type FaceEmbedder } from './face-embedder';
import { type FaceEmbedding } from './face-pipeline';
import { type EnrolmentSerializer, FaceRecognition } from './face-recognition';
import { recognitionSettings } from './recognition-settings';
import { unitVector } from './testing/embedding-index.contract';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An image whose "face" is the unit vector of `seed`. */
const imageOf = (seed: number): string =>
  Buffer.concat([PNG, Buffer.from([seed])]).toString('base64');

/** Embeds after a tick, so that concurrent enrolments interleave at every await. */
class FakeEmbedder implements FaceEmbedder {
  async embed(image: Uint8Array): Promise<FaceEmbedding> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return {
      vector: unitVector(image[PNG.length]) as Float32Array<ArrayBuffer>,
      face: {
        faceSizePx: 120,
        sharpness: 50,
        pose: { yawDeg: 0, pitchDeg: 0, rollDeg: 0 },
        confidence: 0.9,
        facesInImage: 1,
      },
    };
  }

  readiness() {
    return { ready: true, workers: 1, readyWorkers: 1, queued: 0, lastFailure: null };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** An index whose every call yields to the event loop several times (as a remote store does). */
class SlowIndex extends InMemoryEmbeddingIndex {
  override async nearestPersons(vector: Float32Array, limit: number) {
    await new Promise((resolve) => setTimeout(resolve, 3));
    return super.nearestPersons(vector, limit);
  }

  override async addSample(personId: string, vector: Float32Array, keepNewest: number) {
    await new Promise((resolve) => setTimeout(resolve, 3));
    return super.addSample(personId, vector, keepNewest);
  }
}

const settings = recognitionSettings();

describe('FaceRecognition enrolment under concurrency', () => {
  it.each([['replace'], ['add']] as const)(
    'enrols one face for only one of many people enrolling it at once (%s)',
    async (mode) => {
      const index = new SlowIndex();
      const recognition = new FaceRecognition(new FakeEmbedder(), index, settings);
      const people = Array.from({ length: 8 }, (_, i) => `person-${i}`);
      const outcomes = await Promise.allSettled(
        people.map((person) => recognition.enrol(person, imageOf(7), mode)),
      );
      const enrolled = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(enrolled).toHaveLength(1);
      expect(refused.map((outcome) => (outcome.reason as { code: string }).code)).toEqual(
        Array(people.length - 1).fill('FACE_ALREADY_ENROLLED'),
      );
      expect(await index.persons()).toHaveLength(1);
    },
  );

  it('lets enrolments of different faces through side by side', async () => {
    const recognition = new FaceRecognition(new FakeEmbedder(), new SlowIndex(), settings);
    const enrolments = await Promise.all(
      [1, 2, 3].map((seed) => recognition.enrol(`person-${seed}`, imageOf(seed), 'add')),
    );
    expect(enrolments.map((enrolment) => enrolment.samples)).toEqual([1, 1, 1]);
    expect((await recognition.persons()).sort()).toEqual(['person-1', 'person-2', 'person-3']);
  });

  it('deletes a face whose enrolment was still being embedded when the deletion arrived', async () => {
    const recognition = new FaceRecognition(new FakeEmbedder(), new SlowIndex(), settings);
    const enrolment = recognition.enrol('anna', imageOf(4), 'replace');
    const refused = recognition.enrol('anna', 'not base64!', 'add');
    expect(await recognition.remove('anna')).toBe(true);
    await expect(enrolment).resolves.toMatchObject({ samples: 1 });
    await expect(refused).rejects.toMatchObject({ code: 'IMAGE_UNREADABLE' });
    expect(await recognition.sampleCount('anna')).toBe(0);
    // Nothing under way any more: a later deletion does not wait, and finds nothing.
    expect(await recognition.remove('anna')).toBe(false);
  });

  it('runs the check and the write under the serializer it is given', async () => {
    const calls: string[] = [];
    const serializer: EnrolmentSerializer = {
      async exclusive(work) {
        calls.push('enter');
        try {
          return await work();
        } finally {
          calls.push('leave');
        }
      },
    };
    const recognition = new FaceRecognition(
      new FakeEmbedder(),
      new InMemoryEmbeddingIndex(),
      settings,
      serializer,
    );
    await recognition.enrol('anna', imageOf(3), 'replace');
    await expect(recognition.enrol('boris', imageOf(3), 'replace')).rejects.toMatchObject({
      code: 'FACE_ALREADY_ENROLLED',
    });
    expect(calls).toEqual(['enter', 'leave', 'enter', 'leave']);
    expect(await recognition.sampleCount('anna')).toBe(1);
    expect(await recognition.sampleCount('boris')).toBe(0);
  });
});
