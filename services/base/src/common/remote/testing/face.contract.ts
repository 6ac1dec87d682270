import { randomUUID } from 'node:crypto';
import { FACE_ERROR_CODES } from '@platform/contracts';

/** The face service as base's callers see it (FaceClient's methods). */
export interface FaceSubject {
  identify(image: string): Promise<string>;
  enroll(userId: string, image: string): Promise<void>;
  delete(userId: string): Promise<boolean>;
  exists(userId: string): Promise<boolean>;
}

/** Images for the contract: two different people's faces and a third person's, never enrolled. */
export interface FaceContractImages {
  first: string;
  second: string;
  stranger: string;
}

/**
 * What base's callers of the face service may rely on, whoever answers: run against FakeFaces
 * (unit tier, the fake base's HTTP specs use) and against FaceClient over Redis to the running face
 * service with real photos (e2e tier), so what base's specs see from the fake is what face does.
 * Each case enrols users of its own and forgets them afterwards.
 */
export function describeFaceContract(
  name: string,
  subjectOf: () => Promise<{ faces: FaceSubject; images: FaceContractImages }>,
): void {
  describe(`face contract: ${name}`, () => {
    let faces: FaceSubject;
    let images: FaceContractImages;
    const enrolled: string[] = [];

    const enroll = async (image: string): Promise<string> => {
      const userId = randomUUID();
      await faces.enroll(userId, image);
      enrolled.push(userId);
      return userId;
    };

    beforeAll(async () => {
      ({ faces, images } = await subjectOf());
    });

    afterEach(async () => {
      for (const userId of enrolled.splice(0)) await faces.delete(userId);
    });

    it('identifies nobody on a face never enrolled: FACE_NOT_MATCHED, not how close anyone came', async () => {
      await enroll(images.first);
      const refusal = await faces.identify(images.stranger).then(
        () => undefined,
        (error: unknown) => error as { kind?: string; code?: string; details?: unknown },
      );
      expect([refusal?.kind, refusal?.code, refusal?.details]).toEqual([
        'not_found',
        FACE_ERROR_CODES.notMatched,
        undefined,
      ]);
    });

    it('identifies whoever enrolled the face, and says who has a face', async () => {
      const userId = await enroll(images.first);
      await expect(faces.identify(images.first)).resolves.toBe(userId);
      await expect(faces.exists(userId)).resolves.toBe(true);
      await expect(faces.exists(randomUUID())).resolves.toBe(false);
    });

    it('refuses a face enrolled for someone else: FACE_ALREADY_ENROLLED, nothing enrolled', async () => {
      const owner = await enroll(images.first);
      const other = randomUUID();
      await expect(faces.enroll(other, images.first)).rejects.toMatchObject({
        kind: 'conflict',
        code: FACE_ERROR_CODES.alreadyEnrolled,
      });
      await expect(faces.exists(other)).resolves.toBe(false);
      await expect(faces.identify(images.first)).resolves.toBe(owner);
    });

    it("enrolling again replaces the user's face", async () => {
      const userId = await enroll(images.first);
      await faces.enroll(userId, images.second);
      await expect(faces.identify(images.second)).resolves.toBe(userId);
      await expect(faces.identify(images.first)).rejects.toMatchObject({
        code: FACE_ERROR_CODES.notMatched,
      });
    });

    it('forgets a face: true once, then false, and nobody is identified by it', async () => {
      const userId = await enroll(images.first);
      await expect(faces.delete(userId)).resolves.toBe(true);
      await expect(faces.delete(userId)).resolves.toBe(false);
      await expect(faces.exists(userId)).resolves.toBe(false);
      await expect(faces.identify(images.first)).rejects.toMatchObject({
        code: FACE_ERROR_CODES.notMatched,
      });
    });
  });
}
