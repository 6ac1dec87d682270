import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { type FaceError } from './face-errors';
import { decodeImage, parseBase64Image } from './image-intake';
import { DEFAULT_RECOGNITION_SETTINGS } from './recognition-settings';

const limits = DEFAULT_RECOGNITION_SETTINGS.image;

async function jpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 90, g: 120, b: 150 } } })
    .jpeg()
    .toBuffer();
}

/** A valid PNG signature and IHDR that claims the given size, with one tiny IDAT. */
function pngHeaderClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    // libvips reads the header before checking CRCs; a zero CRC keeps the fixture short.
    return Buffer.concat([length, Buffer.from(type, 'ascii'), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(16))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function decodeError(bytes: Uint8Array): Promise<FaceError> {
  return decodeImage(bytes, limits).then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: FaceError) => error,
  );
}

describe('parseBase64Image', () => {
  it('accepts bare base64 and data: URLs, line-wrapped or not', async () => {
    const bytes = await jpeg(120, 120);
    const base64 = bytes.toString('base64');
    const wrapped = base64.replace(/(.{76})/g, '$1\n');
    for (const text of [base64, `data:image/jpeg;base64,${base64}`, wrapped]) {
      expect(Buffer.from(parseBase64Image(text, limits)).equals(bytes)).toBe(true);
    }
  });

  it.each([
    ['not base64 at all', 'this is *not* base64!'],
    ['empty', ''],
    ['impossible length', 'QUJDR'],
  ])('refuses %s as IMAGE_UNREADABLE', (_case, text) => {
    expect(() => parseBase64Image(text, limits)).toThrow(
      expect.objectContaining({ code: 'IMAGE_UNREADABLE' }),
    );
  });

  it('refuses too many bytes from the text length, before decoding', () => {
    const text = 'A'.repeat(Math.ceil((limits.maxEncodedBytes * 4) / 3) + 8);
    expect(() => parseBase64Image(text, limits)).toThrow(
      expect.objectContaining({ code: 'IMAGE_TOO_LARGE' }),
    );
  });
});

describe('decodeImage', () => {
  it('decodes a JPEG to RGB at its size', async () => {
    const image = await decodeImage(await jpeg(320, 200), limits);
    expect([image.width, image.height, image.rgb.length, image.scale]).toEqual([
      320,
      200,
      320 * 200 * 3,
      1,
    ]);
  });

  it('decodes a grey PNG with alpha to 3 channels', async () => {
    const png = await sharp({
      create: {
        width: 150,
        height: 150,
        channels: 4,
        background: { r: 9, g: 9, b: 9, alpha: 0.5 },
      },
    })
      .greyscale()
      .png()
      .toBuffer();
    const image = await decodeImage(png, limits);
    expect(image.rgb.length).toBe(150 * 150 * 3);
  });

  it('shrinks a large photo to the working size and reports the scale', async () => {
    const image = await decodeImage(await jpeg(2560, 1600), limits);
    expect([image.width, image.height, image.scale]).toEqual([1280, 800, 0.5]);
  });

  it('honours the EXIF orientation (sides swapped for orientation 6)', async () => {
    const stored = await sharp(await jpeg(300, 200))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const image = await decodeImage(stored, limits);
    expect([image.width, image.height]).toEqual([200, 300]);
  });

  it.each<[string, () => Promise<Uint8Array>, string]>([
    ['garbage bytes', async () => Buffer.from('definitely not an image'), 'IMAGE_UNREADABLE'],
    [
      'a GIF',
      async () => Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
      'IMAGE_UNREADABLE',
    ],
    [
      'a JPEG magic with nothing after it',
      async () => Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      'IMAGE_UNREADABLE',
    ],
    [
      'a truncated JPEG',
      async () => {
        const whole = await sharp({
          create: { width: 400, height: 400, channels: 3, background: '#808080' },
        })
          .jpeg({ quality: 95 })
          .toBuffer();
        return whole.subarray(0, Math.floor(whole.length * 0.6));
      },
      'IMAGE_UNREADABLE',
    ],
    [
      'a PNG bomb header (50000×50000)',
      async () => pngHeaderClaiming(50_000, 50_000),
      'IMAGE_TOO_LARGE',
    ],
    ['huge dimensions (12000×120)', async () => pngHeaderClaiming(12_000, 120), 'IMAGE_TOO_LARGE'],
    ['a tiny image (80×80)', () => jpeg(80, 80), 'IMAGE_TOO_SMALL'],
  ])('refuses %s', async (_case, image, code) => {
    expect((await decodeError(await image())).code).toBe(code);
  });

  it.each([
    ['a PNG bomb header', () => Promise.resolve(pngHeaderClaiming(30_000, 30_000)), 30_000, 30_000],
    ['a 48 MP phone photo', () => jpeg(8000, 6000), 8000, 6000],
  ])(
    'says which size it refused for %s (past sharp’s own pixel limit)',
    async (_case, image, width, height) => {
      const refused = await decodeError(await image());
      expect([refused.code, refused.details]).toEqual([
        'IMAGE_TOO_LARGE',
        { width, height, maxSidePx: limits.maxSidePx, maxPixels: limits.maxPixels },
      ]);
    },
  );
});
