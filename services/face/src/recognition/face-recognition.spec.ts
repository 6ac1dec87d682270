import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { cosineSimilarity, InMemoryEmbeddingIndex } from './embedding-index';
import { parseLabels } from './evaluation/face-eval';
import { WorkerFaceEmbedder } from './face-embedder';
import { FaceRecognition } from './face-recognition';
import { recognitionSettings } from './recognition-settings';

// The real models in one worker thread, loaded once for the file: the service's own path.
const DEV_SET = path.resolve(__dirname, '../../../../../shared/data/faces');
const labels = parseLabels(readFileSync(path.join(DEV_SET, 'labels.csv'), 'utf8'));
const photosOf = (identity: string): string[] =>
  labels
    .filter((photo) => photo.identity === identity)
    .map((photo) => photo.file)
    .sort();
const bytesOf = (file: string): Buffer => readFileSync(path.join(DEV_SET, file));
const base64 = (bytes: Buffer): string => bytes.toString('base64');

jest.setTimeout(30_000);

const settings = recognitionSettings();
const embedder = new WorkerFaceEmbedder(settings);
let recognition: FaceRecognition;

beforeAll(async () => {
  while (!embedder.readiness().ready) {
    if (embedder.readiness().lastFailure) throw new Error(embedder.readiness().lastFailure ?? '');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}, 60_000);

afterAll(() => embedder.close());

beforeEach(() => {
  recognition = new FaceRecognition(embedder, new InMemoryEmbeddingIndex(), settings);
});

async function enrolFirstTwo(...identities: string[]): Promise<void> {
  for (const identity of identities) {
    for (const file of photosOf(identity).slice(0, 2)) {
      await recognition.enrol(identity, base64(bytesOf(file)), 'add');
    }
  }
}

describe('FaceRecognition with the real models', () => {
  // An LFW press photo, a deepface portrait and a face-api.js grey crop: three sources.
  const people = ['person08', 'person01', 'person05'];

  it('enrols, identifies, verifies and removes', async () => {
    await enrolFirstTwo(...people);
    expect(await recognition.isEnrolled('person08')).toBe(true);
    for (const identity of people) {
      const probe = base64(bytesOf(photosOf(identity)[2]));
      const match = await recognition.identify(probe);
      expect(match.personId).toBe(identity);
      expect(match.similarity).toBeGreaterThanOrEqual(settings.matching.threshold);
    }
    const probe = base64(bytesOf(photosOf('person08')[3]));
    await expect(recognition.verify('person08', probe)).resolves.toMatchObject({
      personId: 'person08',
    });
    await expect(recognition.verify('person01', probe)).rejects.toMatchObject({
      code: 'FACE_NOT_MATCHED',
    });
    expect(await recognition.remove('person08')).toBe(true);
    await expect(recognition.identify(probe)).rejects.toMatchObject({ code: 'FACE_NOT_MATCHED' });
  });

  it('rejects impostors', async () => {
    await enrolFirstTwo(...people);
    const impostors = labels.filter((photo) => photo.role === 'impostor').slice(0, 3);
    for (const impostor of impostors) {
      await expect(recognition.identify(base64(bytesOf(impostor.file)))).rejects.toMatchObject({
        code: 'FACE_NOT_MATCHED',
      });
    }
  });

  it('refuses to enrol the same face for a second person', async () => {
    await enrolFirstTwo('person09');
    const sameFace = base64(bytesOf(photosOf('person09')[0]));
    await expect(recognition.enrol('someone-else', sameFace, 'add')).rejects.toMatchObject({
      code: 'FACE_ALREADY_ENROLLED',
    });
    await expect(recognition.enrol('person09', sameFace, 'replace')).resolves.toMatchObject({
      samples: 1,
    });
  });

  it('gives an EXIF-rotated photo the embedding of the upright one', async () => {
    const photo = bytesOf(photosOf('person01')[0]);
    const upright = await sharp(photo).jpeg({ quality: 95 }).toBuffer();
    // Pixels stored turned a quarter to the left, with the tag that says to turn them back.
    const rotated = await sharp(photo)
      .rotate(-90)
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 95 })
      .toBuffer();
    const [a, b] = await Promise.all([
      embedder.embed(upright, 'probe'),
      embedder.embed(rotated, 'probe'),
    ]);
    expect(cosineSimilarity(a.vector, b.vector)).toBeGreaterThan(0.99);
  });

  describe('refusals', () => {
    const lfwPhoto = (): Buffer => bytesOf(photosOf('person10')[0]);

    it.each<[string, () => Promise<Buffer>, string]>([
      [
        'a blank image',
        () =>
          sharp({ create: { width: 300, height: 300, channels: 3, background: '#777' } })
            .jpeg()
            .toBuffer(),
        'NO_FACE',
      ],
      ['a blurred face', () => sharp(lfwPhoto()).blur(3).jpeg().toBuffer(), 'FACE_QUALITY_TOO_LOW'],
      [
        'a tiny face',
        async () =>
          sharp({ create: { width: 300, height: 300, channels: 3, background: '#777' } })
            .composite([
              { input: await sharp(lfwPhoto()).resize(100).toBuffer(), left: 100, top: 100 },
            ])
            .jpeg()
            .toBuffer(),
        'FACE_TOO_SMALL',
      ],
      [
        'two faces of the same size',
        async () =>
          sharp({ create: { width: 500, height: 250, channels: 3, background: '#777' } })
            .composite([
              { input: lfwPhoto(), left: 0, top: 0 },
              { input: bytesOf(photosOf('person09')[0]), left: 250, top: 0 },
            ])
            .jpeg()
            .toBuffer(),
        'TOO_MANY_FACES',
      ],
    ])('refuses to enrol %s', async (_case, image, code) => {
      await expect(
        recognition.enrol('person10', base64(await image()), 'add'),
      ).rejects.toMatchObject({ code });
      expect(await recognition.isEnrolled('person10')).toBe(false);
    });

    it('finds both faces of a wide (2:1) frame: enrolment refuses it, identification takes the larger', async () => {
      // Two 250 px tiles side by side: blazeface squeezed such frames and saw one face, so the
      // frame was enrolled as one person (an audit's frames; the detector now gets a square).
      const tile = (file: string, side: number) =>
        sharp(bytesOf(file)).resize(side, side, { fit: 'cover' }).jpeg().toBuffer();
      const wide = async (right: number) =>
        sharp({ create: { width: 520, height: 260, channels: 3, background: '#808080' } })
          .composite([
            { input: await tile('dev_029.jpg', 250), left: 5, top: 5 },
            { input: await tile('dev_036.jpg', right), left: 260, top: 5 },
          ])
          .jpeg({ quality: 92 })
          .toBuffer();
      await expect(
        recognition.enrol('person10', base64(await wide(175)), 'add'),
      ).rejects.toMatchObject({ code: 'TOO_MANY_FACES' });
      await recognition.enrol('person11', base64(bytesOf('dev_018.jpg')), 'add');
      await expect(recognition.identify(base64(await wide(125)))).resolves.toMatchObject({
        personId: 'person11',
      });
    });

    it('identifies the largest of several faces', async () => {
      await enrolFirstTwo('person09');
      const photo = bytesOf(photosOf('person09')[2]);
      const group = await sharp({
        create: { width: 600, height: 400, channels: 3, background: '#777' },
      })
        .composite([
          { input: await sharp(photo).resize(400).toBuffer(), left: 0, top: 0 },
          { input: await sharp(lfwPhoto()).resize(150).toBuffer(), left: 430, top: 100 },
        ])
        .jpeg()
        .toBuffer();
      await expect(recognition.identify(base64(group))).resolves.toMatchObject({
        personId: 'person09',
      });
    });

    it('refuses garbage before it reaches a worker', async () => {
      await expect(recognition.identify('%%% not an image %%%')).rejects.toMatchObject({
        code: 'IMAGE_UNREADABLE',
      });
    });
  });
});
