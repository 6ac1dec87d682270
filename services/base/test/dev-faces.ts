import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

/**
 * Real photos of the dev set (`../shared/data/faces` beside the repository) for the e2e suites
 * that go through the face service. Each suite enrols identities of its own, so suites running
 * side by side never enrol one face for two users: passenger person01, robot API person02 and
 * person03, back office person06, face deletion person04, remote contracts person05 and person07
 * (face's own suite: person08-person10).
 */
const DEV_SET = path.resolve(__dirname, '../../..', '../shared/data/faces');

const labels = readFileSync(path.join(DEV_SET, 'labels.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(','));

/** The identity's photos as base64, by file name. */
export function facePhotos(identity: string): string[] {
  return labels
    .filter(([, who]) => who === identity)
    .map(([file]) => file)
    .sort()
    .map((file) => readFileSync(path.join(DEV_SET, file)).toString('base64'));
}

/** A photo of someone never enrolled (an impostor of the dev set). */
export function strangerPhoto(): string {
  const [file] = labels.find(([, , , , , , role]) => role === 'impostor') ?? [];
  if (!file) throw new Error('the dev set has no impostor photo');
  return readFileSync(path.join(DEV_SET, file)).toString('base64');
}

/** A 640×480 frame of an empty grey wall (a PNG made by hand: no face on it). */
export const EMPTY_FRAME = emptyFrame();

function emptyFrame(): string {
  const width = 640;
  const height = 480;
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x80)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]).toString('base64');
}
