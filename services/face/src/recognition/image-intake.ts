import sharp from 'sharp';
import { faceError, isFaceError } from './face-errors';
import { type ImageLimits } from './recognition-settings';

/** An upright (EXIF orientation applied), 8-bit RGB image, possibly shrunk to the working size. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** Row-major, 3 bytes per pixel. */
  readonly rgb: Uint8Array;
  /** Working pixels per original pixel (1 when the image was not shrunk). */
  readonly scale: number;
}

const DATA_URL_PREFIX = /^data:image\/[a-z0-9.+-]+;base64,/i;
// Standard and URL-safe alphabets; whitespace (line-wrapped base64) is removed before the check.
const BASE64_TEXT = /^[A-Za-z0-9+/_-]+={0,2}$/;
const WHITESPACE = /\s+/g;

const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ACCEPTED_FORMATS = new Set(['jpeg', 'png']);

/**
 * The bytes of a base64 image as the kiosk and the website send it (bare or as a `data:` URL).
 * The size limit is checked on the text, before any bytes are allocated.
 */
export function parseBase64Image(text: string, limits: ImageLimits): Uint8Array {
  const base64 = text.replace(DATA_URL_PREFIX, '').replace(WHITESPACE, '');
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  const byteLength = Math.floor((base64.length * 3) / 4) - padding;
  if (byteLength > limits.maxEncodedBytes) {
    throw faceError('IMAGE_TOO_LARGE', 'The image has too many bytes', {
      bytes: byteLength,
      maxBytes: limits.maxEncodedBytes,
    });
  }
  if (!BASE64_TEXT.test(base64) || base64.length % 4 === 1) {
    throw faceError('IMAGE_UNREADABLE', 'The image is not valid base64');
  }
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

/**
 * Decodes a JPEG or PNG to upright RGB. The header is read first so that a decompression bomb is
 * refused before a single pixel is decoded; sharp's own pixel limit backs that check up.
 */
export async function decodeImage(bytes: Uint8Array, limits: ImageLimits): Promise<RgbImage> {
  if (bytes.byteLength > limits.maxEncodedBytes) {
    throw faceError('IMAGE_TOO_LARGE', 'The image has too many bytes', {
      bytes: bytes.byteLength,
      maxBytes: limits.maxEncodedBytes,
    });
  }
  if (!startsWith(bytes, JPEG_MAGIC) && !startsWith(bytes, PNG_MAGIC)) {
    throw faceError('IMAGE_UNREADABLE', 'The image is neither a JPEG nor a PNG');
  }
  const options = { limitInputPixels: limits.maxPixels, failOn: 'truncated' } as const;

  // The header is read without the pixel limit (it decodes no pixels) so that the refusal below
  // can say which size was refused; the decode keeps the limit.
  const { width, height, format } = await readHeader(bytes, {
    ...options,
    limitInputPixels: false,
  });
  if (!ACCEPTED_FORMATS.has(format)) {
    throw faceError('IMAGE_UNREADABLE', 'The image is neither a JPEG nor a PNG');
  }
  if (width > limits.maxSidePx || height > limits.maxSidePx || width * height > limits.maxPixels) {
    throw faceError('IMAGE_TOO_LARGE', 'The image has too many pixels', {
      width,
      height,
      maxSidePx: limits.maxSidePx,
      maxPixels: limits.maxPixels,
    });
  }
  if (width < limits.minSidePx || height < limits.minSidePx) {
    throw faceError('IMAGE_TOO_SMALL', 'The image is too small', {
      width,
      height,
      minSidePx: limits.minSidePx,
    });
  }

  try {
    const { data, info } = await sharp(bytes, options)
      .rotate()
      .resize({
        width: limits.workingMaxSidePx,
        height: limits.workingMaxSidePx,
        fit: 'inside',
        withoutEnlargement: true,
      })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) {
      throw faceError('IMAGE_UNREADABLE', `Unexpected channel count ${info.channels}`);
    }
    // Orientations 5-8 swap the sides; the scale is the same on both axes either way.
    const scale = Math.max(info.width, info.height) / Math.max(width, height);
    return {
      width: info.width,
      height: info.height,
      rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      scale,
    };
  } catch (error) {
    throw asIntakeError(error);
  }
}

async function readHeader(
  bytes: Uint8Array,
  options: sharp.SharpOptions,
): Promise<{ width: number; height: number; format: string }> {
  try {
    const metadata = await sharp(bytes, options).metadata();
    return { width: metadata.width, height: metadata.height, format: metadata.format };
  } catch (error) {
    throw asIntakeError(error);
  }
}

function asIntakeError(error: unknown): Error {
  if (isFaceError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    return faceError('IMAGE_TOO_LARGE', 'The image has too many pixels');
  }
  return faceError('IMAGE_UNREADABLE', 'The image could not be decoded');
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.byteLength >= magic.length && magic.every((byte, i) => bytes[i] === byte);
}
