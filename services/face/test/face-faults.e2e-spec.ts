import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { FACE_PATTERNS } from '@platform/contracts';
import { UNAVAILABLE_WITHIN_MS, withFault } from '@platform/testing';
import { FaceRpc, photo, photosOf } from './face-rpc';

/**
 * The face service over Redis RPC with the stack's ChromaDB dead (stopped) or stuck (SIGSTOPped)
 * (@platform/testing faults): an enrolment is refused within 5 s with CHROMADB_UNAVAILABLE
 * ([unavailable], what base answers as a 503 naming it), nothing is half-enrolled, and the service
 * recovers by itself. Uses person10's photos, which face-rpc.e2e-spec also owns, and forgets them.
 */

jest.setTimeout(120_000);

const rpc = new FaceRpc();
const image = photo(photosOf('person10')[0] as string);
const enrolled: string[] = [];

beforeAll(() => rpc.forgetWhoeverHas(photosOf('person10').slice(0, 1)));

afterAll(async () => {
  for (const userId of enrolled) await rpc.call(FACE_PATTERNS.delete, { userId });
  await rpc.close();
});

describe.each(['stopped', 'stuck'] as const)('face with ChromaDB %s', (kind) => {
  it('refuses an enrolment within 5 s with CHROMADB_UNAVAILABLE, then enrols once back', async () => {
    const userId = randomUUID();
    enrolled.push(userId);
    await withFault(kind, 'chroma', async () => {
      const started = performance.now();
      const refusal = await rpc.refusal(FACE_PATTERNS.enroll, { userId, image });
      expect([refusal.kind, refusal.code]).toEqual(['unavailable', 'CHROMADB_UNAVAILABLE']);
      expect(performance.now() - started).toBeLessThan(UNAVAILABLE_WITHIN_MS);
    });
    // Nothing was half-written: the same face enrols for the same user, with one sample.
    await expect(
      rpc.expectOk<{ samples: number }>(FACE_PATTERNS.enroll, { userId, image }),
    ).resolves.toMatchObject({ samples: 1 });
    await rpc.expectOk(FACE_PATTERNS.delete, { userId });
  });
});
