import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { FACE_PATTERNS } from '@platform/contracts';
import sharp from 'sharp';
import { FaceRpc, impostorPhotos, photo, photoBytes, photosOf } from './face-rpc';

/**
 * The face service over Redis RPC, as base calls it, with the running service, the stack's
 * ChromaDB and real photos of the dev set (`../shared/data/faces`). The collection is the
 * stack's own: every case enrols fresh user ids and forgets them afterwards. This suite owns
 * person08-person10 (base's e2e suites use others), so suites running side by side never enrol
 * one face for two users.
 */

jest.setTimeout(120_000);

const OWNED = ['person08', 'person09', 'person10'];

const rpc = new FaceRpc();
const enrolled = new Set<string>();

async function enrol(userId: string, image: string, mode?: 'add' | 'replace') {
  enrolled.add(userId);
  return rpc.expectOk<{ userId: string; samples: number }>(FACE_PATTERNS.enroll, {
    userId,
    image,
    ...(mode ? { mode } : {}),
  });
}

const jpeg = (image: sharp.Sharp): Promise<string> =>
  image
    .jpeg({ quality: 90 })
    .toBuffer()
    .then((bytes) => bytes.toString('base64'));

/** Two photos side by side on a grey canvas, the second scaled by `secondScale`. */
async function sideBySide(first: string, second: string, secondScale: number): Promise<string> {
  const left = await sharp(photoBytes(first)).resize(250, 250).jpeg().toBuffer();
  const rightSide = Math.round(250 * secondScale);
  const right = await sharp(photoBytes(second)).resize(rightSide, rightSide).jpeg().toBuffer();
  return jpeg(
    sharp({
      create: { width: 520, height: 260, channels: 3, background: { r: 128, g: 128, b: 128 } },
    }).composite([
      { input: left, left: 5, top: 5 },
      { input: right, left: 260, top: 5 },
    ]),
  );
}

beforeAll(async () => {
  await rpc.forgetWhoeverHas(OWNED.flatMap((identity) => photosOf(identity).slice(0, 1)));
});

afterAll(async () => {
  for (const userId of enrolled) await rpc.call(FACE_PATTERNS.delete, { userId });
  await rpc.close();
});

describe('face over RPC with real photos and the real ChromaDB', () => {
  const anna = randomUUID();
  const boris = randomUUID();
  const annaPhotos = photosOf('person08');
  const borisPhotos = photosOf('person09');

  it('enrols (replace, then add) and reports the samples', async () => {
    expect(await enrol(anna, photo(annaPhotos[0]))).toEqual({ userId: anna, samples: 1 });
    expect(await enrol(anna, photo(annaPhotos[1]), 'add')).toEqual({ userId: anna, samples: 2 });
    // The same image again is the same sample (an RPC answered twice changes nothing).
    expect(await enrol(anna, photo(annaPhotos[1]), 'add')).toEqual({ userId: anna, samples: 2 });
    expect(await enrol(boris, photo(borisPhotos[0]), 'replace')).toEqual({
      userId: boris,
      samples: 1,
    });
    expect(await rpc.expectOk(FACE_PATTERNS.exists, { userId: anna })).toEqual({
      userId: anna,
      exists: true,
    });
    expect(await rpc.expectOk(FACE_PATTERNS.samples, { userId: anna })).toEqual({
      userId: anna,
      samples: 2,
    });
  });

  it('identifies each enrolled person from photos never enrolled', async () => {
    for (const [userId, files] of [
      [anna, annaPhotos.slice(2, 6)],
      [boris, borisPhotos.slice(1, 5)],
    ] as const) {
      for (const file of files) {
        const found = await rpc.expectOk<{ userId: string; similarity: number }>(
          FACE_PATTERNS.identify,
          { image: photo(file) },
        );
        expect(found.userId).toBe(userId);
        expect(found.similarity).toBeGreaterThanOrEqual(0.93);
      }
    }
  });

  it('refuses impostors with FACE_NOT_MATCHED (404)', async () => {
    for (const file of impostorPhotos().slice(0, 4)) {
      const refused = await rpc.refusal(FACE_PATTERNS.identify, { image: photo(file) });
      expect([refused.kind, refused.code]).toEqual(['not_found', 'FACE_NOT_MATCHED']);
      expect(refused.details).toMatchObject({ threshold: 0.93 });
    }
  });

  it('verifies 1:1: the person, someone else, and someone without a face', async () => {
    const verified = await rpc.expectOk<{ userId: string; similarity: number }>(
      FACE_PATTERNS.verify,
      { userId: anna, image: photo(annaPhotos[6]) },
    );
    expect(verified.userId).toBe(anna);
    expect(verified.similarity).toBeGreaterThanOrEqual(0.93);
    const other = await rpc.refusal(FACE_PATTERNS.verify, {
      userId: boris,
      image: photo(annaPhotos[6]),
    });
    expect([other.kind, other.code]).toEqual(['not_found', 'FACE_NOT_MATCHED']);
    const nobody = await rpc.refusal(FACE_PATTERNS.verify, {
      userId: randomUUID(),
      image: photo(annaPhotos[6]),
    });
    expect([nobody.code, nobody.details]).toEqual([
      'FACE_NOT_MATCHED',
      { enrolled: false, threshold: 0.93 },
    ]);
  });

  it('keeps the newest samples up to the cap, and replace leaves one', async () => {
    for (const file of annaPhotos.slice(2, 8)) await enrol(anna, photo(file), 'add');
    expect(await rpc.expectOk(FACE_PATTERNS.samples, { userId: anna })).toEqual({
      userId: anna,
      samples: 5,
    });
    expect(await enrol(anna, photo(annaPhotos[0]), 'replace')).toEqual({
      userId: anna,
      samples: 1,
    });
  });

  it('refuses the same face for another user (409 FACE_ALREADY_ENROLLED), changing nothing', async () => {
    const clara = randomUUID();
    enrolled.add(clara);
    const refused = await rpc.refusal(FACE_PATTERNS.enroll, {
      userId: clara,
      image: photo(annaPhotos[3]),
    });
    expect([refused.kind, refused.code]).toEqual(['conflict', 'FACE_ALREADY_ENROLLED']);
    expect(await rpc.expectOk(FACE_PATTERNS.exists, { userId: clara })).toMatchObject({
      exists: false,
    });
  });

  it('enrols one face for only one of several users enrolling it at once', async () => {
    const users = [randomUUID(), randomUUID(), randomUUID()];
    users.forEach((userId) => enrolled.add(userId));
    const image = photo(photosOf('person10')[0]);
    const outcomes = await Promise.all(
      users.map((userId) => rpc.call(FACE_PATTERNS.enroll, { userId, image })),
    );
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.error.code]))).toEqual([
      'FACE_ALREADY_ENROLLED',
      'FACE_ALREADY_ENROLLED',
    ]);
  });

  it('identifies by the largest of several faces', async () => {
    const image = await sideBySide(annaPhotos[4], borisPhotos[5], 0.4);
    const found = await rpc.expectOk<{ userId: string }>(FACE_PATTERNS.identify, { image });
    expect(found.userId).toBe(anna);
  });

  it('deletes idempotently; the face then matches nobody', async () => {
    expect(await rpc.expectOk(FACE_PATTERNS.delete, { userId: boris })).toEqual({
      userId: boris,
      deleted: true,
    });
    expect(await rpc.expectOk(FACE_PATTERNS.delete, { userId: boris })).toEqual({
      userId: boris,
      deleted: false,
    });
    expect(await rpc.expectOk(FACE_PATTERNS.exists, { userId: boris })).toMatchObject({
      exists: false,
    });
    const refused = await rpc.refusal(FACE_PATTERNS.identify, { image: photo(borisPhotos[2]) });
    expect(refused.code).toBe('FACE_NOT_MATCHED');
  });

  it('takes a user id in any letter case as the same user: enrolled as ABC…, deleted as abc…', async () => {
    const dora = randomUUID();
    expect(await enrol(dora.toUpperCase(), photo(borisPhotos[0]))).toEqual({
      userId: dora,
      samples: 1,
    });
    expect(await rpc.expectOk(FACE_PATTERNS.exists, { userId: dora })).toMatchObject({
      exists: true,
    });
    const found = await rpc.expectOk<{ userId: string }>(FACE_PATTERNS.identify, {
      image: photo(borisPhotos[1]),
    });
    expect(found.userId).toBe(dora);
    expect(await rpc.expectOk(FACE_PATTERNS.delete, { userId: dora })).toEqual({
      userId: dora,
      deleted: true,
    });
    const refused = await rpc.refusal(FACE_PATTERNS.identify, { image: photo(borisPhotos[1]) });
    expect(refused.code).toBe('FACE_NOT_MATCHED');
  });

  it('a deletion sent while an enrolment is being embedded is applied after it: no face is left', async () => {
    const emil = randomUUID();
    enrolled.add(emil);
    const enrolment = rpc.call(FACE_PATTERNS.enroll, {
      userId: emil,
      image: photo(borisPhotos[2]),
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const deletion = await rpc.expectOk(FACE_PATTERNS.delete, { userId: emil });
    expect((await enrolment).ok).toBe(true);
    expect(deletion).toEqual({ userId: emil, deleted: true });
    expect(await rpc.expectOk(FACE_PATTERNS.exists, { userId: emil })).toMatchObject({
      exists: false,
    });
  });
});

describe('face refusals over RPC, each a typed error', () => {
  const lfw = photosOf('person08')[7];
  const grey = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: { r: 90, g: 120, b: 150 } } });

  it.each<[string, () => Promise<string>, string, string]>([
    ['no face', () => jpeg(grey(400, 300)), 'unprocessable', 'NO_FACE'],
    [
      'two comparable faces at enrolment',
      () => sideBySide(photosOf('person10')[1], photosOf('person09')[6], 1),
      'unprocessable',
      'TOO_MANY_FACES',
    ],
    [
      'bytes that are no image',
      async () => randomUUID().repeat(20),
      'invalid_input',
      'IMAGE_UNREADABLE',
    ],
    [
      'a truncated JPEG',
      async () => photoBytes(lfw).subarray(0, 4000).toString('base64'),
      'invalid_input',
      'IMAGE_UNREADABLE',
    ],
    [
      'an image too small',
      () => jpeg(sharp(photoBytes(lfw)).resize(80, 80)),
      'invalid_input',
      'IMAGE_TOO_SMALL',
    ],
    [
      'an image too large (pixels, refused from its header)',
      () =>
        grey(10_001, 120)
          .png()
          .toBuffer()
          .then((bytes) => bytes.toString('base64')),
      'invalid_input',
      'IMAGE_TOO_LARGE',
    ],
    [
      'a face too small to enrol',
      () => jpeg(sharp(photoBytes(lfw)).resize(150, 150)),
      'unprocessable',
      'FACE_TOO_SMALL',
    ],
    [
      'a blurred face at enrolment',
      () => jpeg(sharp(photoBytes(lfw)).blur(3)),
      'unprocessable',
      'FACE_QUALITY_TOO_LOW',
    ],
  ])('enrol refuses %s', async (_what, image, kind, code) => {
    const userId = randomUUID();
    enrolled.add(userId);
    const refused = await rpc.refusal(FACE_PATTERNS.enroll, { userId, image: await image() });
    expect([refused.kind, refused.code]).toEqual([kind, code]);
    expect(await rpc.expectOk(FACE_PATTERNS.exists, { userId })).toMatchObject({ exists: false });
  });

  it('identify refuses a frame with no face and an unreadable one', async () => {
    const noFace = await rpc.refusal(FACE_PATTERNS.identify, { image: await jpeg(grey(640, 480)) });
    expect([noFace.kind, noFace.code]).toEqual(['unprocessable', 'NO_FACE']);
    const garbage = await rpc.refusal(FACE_PATTERNS.identify, { image: '%%%' });
    expect([garbage.kind, garbage.code]).toEqual(['invalid_input', 'IMAGE_UNREADABLE']);
  });

  it.each([
    [FACE_PATTERNS.enroll, { userId: 'not-a-uuid', image: 'aGVsbG8=' }],
    [FACE_PATTERNS.enroll, { userId: randomUUID(), image: 'aGVsbG8=', mode: 'merge' }],
    [FACE_PATTERNS.identify, { image: '' }],
    [FACE_PATTERNS.verify, { userId: randomUUID() }],
    [FACE_PATTERNS.delete, { userId: 42 }],
    [FACE_PATTERNS.samples, {}],
  ])('validates the payload of %s on arrival (400)', async (pattern, payload) => {
    const refused = await rpc.refusal(pattern, payload);
    expect(refused.kind).toBe('invalid_input');
  });
});
