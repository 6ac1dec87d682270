import { type RgbImage } from './image-intake';

/**
 * The aligned face chip the descriptor expects: dlib's 150×150 "face chip" layout, cut from three
 * landmarks so that any detector with eyes and mouth can feed it. The constants place the centroid
 * of the eyes and mouth where dlib's 5-point alignment puts it (face-models.md).
 */
export const CHIP_SIZE_PX = 150;
/** Chip side = mean eye-to-mouth distance / this. */
const EYE_MOUTH_PER_CHIP = 0.45;
/** Where the eyes-and-mouth centroid sits in the chip, as fractions of its side. */
const CENTROID_IN_CHIP = { x: 0.5, y: 0.43 } as const;
/** Most samples per chip pixel and axis when the face is larger than the chip (anti-aliasing). */
const MAX_SUPERSAMPLING = 4;

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Eye and mouth centres in image pixels; "left" and "right" as the viewer sees the image. */
export interface EyesAndMouth {
  readonly leftEye: Point;
  readonly rightEye: Point;
  readonly mouth: Point;
}

/** The square of the image that becomes the chip: centre, side and rotation (eyes level). */
export interface ChipAlignment {
  readonly center: Point;
  readonly sidePx: number;
  /** Radians; the angle of the line from the left to the right eye. */
  readonly angle: number;
}

export function chipAlignment({ leftEye, rightEye, mouth }: EyesAndMouth): ChipAlignment {
  const centroid = {
    x: (leftEye.x + rightEye.x + mouth.x) / 3,
    y: (leftEye.y + rightEye.y + mouth.y) / 3,
  };
  const eyeToMouth = (distance(leftEye, mouth) + distance(rightEye, mouth)) / 2;
  const sidePx = eyeToMouth / EYE_MOUTH_PER_CHIP;
  const angle = Math.atan2(rightEye.y - leftEye.y, rightEye.x - leftEye.x);
  // The chip's centre, from the centroid's offset inside the chip, in the rotated frame.
  const offsetX = (0.5 - CENTROID_IN_CHIP.x) * sidePx;
  const offsetY = (0.5 - CENTROID_IN_CHIP.y) * sidePx;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return {
    center: {
      x: centroid.x + offsetX * cos - offsetY * sin,
      y: centroid.y + offsetX * sin + offsetY * cos,
    },
    sidePx,
    angle,
  };
}

/**
 * Cuts the rotated square out of the image into a CHIP_SIZE_PX² RGB chip (float 0..255), bilinear,
 * averaging several samples per chip pixel when the square is larger than the chip. Outside the
 * image is black, as in dlib's chips.
 */
export function extractChip(image: RgbImage, alignment: ChipAlignment): Float32Array {
  const chip = new Float32Array(CHIP_SIZE_PX * CHIP_SIZE_PX * 3);
  const step = alignment.sidePx / CHIP_SIZE_PX;
  const samples = Math.min(MAX_SUPERSAMPLING, Math.max(1, Math.ceil(step)));
  const cos = Math.cos(alignment.angle);
  const sin = Math.sin(alignment.angle);
  const pixel = [0, 0, 0];
  for (let row = 0; row < CHIP_SIZE_PX; row++) {
    for (let col = 0; col < CHIP_SIZE_PX; col++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const u = (col + (sx + 0.5) / samples) * step - alignment.sidePx / 2;
          const v = (row + (sy + 0.5) / samples) * step - alignment.sidePx / 2;
          sampleBilinear(
            image,
            alignment.center.x + u * cos - v * sin,
            alignment.center.y + u * sin + v * cos,
            pixel,
          );
          r += pixel[0];
          g += pixel[1];
          b += pixel[2];
        }
      }
      const count = samples * samples;
      const out = (row * CHIP_SIZE_PX + col) * 3;
      chip[out] = r / count;
      chip[out + 1] = g / count;
      chip[out + 2] = b / count;
    }
  }
  return chip;
}

/** The chip seen in a mirror (left and right swapped). */
export function mirrorChip(chip: Float32Array): Float32Array {
  const mirrored = new Float32Array(chip.length);
  for (let row = 0; row < CHIP_SIZE_PX; row++) {
    for (let col = 0; col < CHIP_SIZE_PX; col++) {
      const from = (row * CHIP_SIZE_PX + (CHIP_SIZE_PX - 1 - col)) * 3;
      mirrored.set(chip.subarray(from, from + 3), (row * CHIP_SIZE_PX + col) * 3);
    }
  }
  return mirrored;
}

/**
 * Sharpness of a chip: the variance of the 4-neighbour Laplacian of its luma. A blurred face has
 * little high-frequency energy, hence a low variance; the chip's fixed scale makes values comparable.
 */
export function chipSharpness(chip: Float32Array): number {
  const size = CHIP_SIZE_PX;
  const luma = new Float32Array(size * size);
  for (let i = 0; i < luma.length; i++) {
    luma[i] = 0.299 * chip[i * 3] + 0.587 * chip[i * 3 + 1] + 0.114 * chip[i * 3 + 2];
  }
  let sum = 0;
  let sumOfSquares = 0;
  let count = 0;
  for (let y = 1; y < size - 1; y++) {
    for (let x = 1; x < size - 1; x++) {
      const i = y * size + x;
      const laplacian = luma[i - 1] + luma[i + 1] + luma[i - size] + luma[i + size] - 4 * luma[i];
      sum += laplacian;
      sumOfSquares += laplacian * laplacian;
      count++;
    }
  }
  const mean = sum / count;
  return sumOfSquares / count - mean * mean;
}

function sampleBilinear(image: RgbImage, x: number, y: number, out: number[]): void {
  // Pixel centres sit at integer + 0.5.
  const fx = x - 0.5;
  const fy = y - 0.5;
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const wx = fx - x0;
  const wy = fy - y0;
  for (let channel = 0; channel < 3; channel++) {
    const top = lerp(at(image, x0, y0, channel), at(image, x0 + 1, y0, channel), wx);
    const bottom = lerp(at(image, x0, y0 + 1, channel), at(image, x0 + 1, y0 + 1, channel), wx);
    out[channel] = lerp(top, bottom, wy);
  }
}

function at(image: RgbImage, x: number, y: number, channel: number): number {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return 0;
  return image.rgb[(y * image.width + x) * 3 + channel];
}

function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}
