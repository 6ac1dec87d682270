import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import type * as TfWasm from '@tensorflow/tfjs-backend-wasm';
import type * as FaceApi from '@vladmandic/face-api';
import type {
  Human,
  Config as HumanConfig,
  FaceResult,
  Input as HumanInput,
} from '@vladmandic/human';
import sharp from 'sharp';
import { CHIP_SIZE_PX, type EyesAndMouth, type Point } from './face-geometry';
import { type RgbImage } from './image-intake';
import { type DetectionSettings, type EmbeddingMethod } from './recognition-settings';

/**
 * The one adapter over the loosely typed model packages (tfjs, @vladmandic/human,
 * @vladmandic/face-api). Everything is loaded from the installed packages' folders, never from the
 * network: human's graph models through a `file://` load router registered with tfjs (tfjs has no
 * file handler without tfjs-node), face-api's weights with its own `loadFromDisk`.
 *
 * The packages are loaded with a require made from this file's location, so that a bundle that
 * keeps node_modules external finds them and their model folders at run time; human's Node build
 * for WASM is not in its `exports`, so it is required by its path.
 */

export interface Pose {
  readonly yawDeg: number;
  readonly pitchDeg: number;
  readonly rollDeg: number;
}

export interface DetectedFace {
  readonly confidence: number;
  readonly landmarks: EyesAndMouth;
  readonly pose: Pose;
  /** human's faceres descriptor of this face, only with the `human-faceres` method. */
  readonly humanDescriptor?: Float32Array;
}

export interface FaceModels {
  /** Faces in the image with their landmarks, in the image's pixels. */
  detect(image: RgbImage): Promise<DetectedFace[]>;
  /** The 128-d dlib ResNet descriptor of an aligned CHIP_SIZE_PX² RGB chip (not normalised). */
  describeChip(chip: Float32Array): Promise<Float32Array>;
}

/** Mesh indices (MediaPipe face mesh) of the eye corners and the mouth's corners and lips. */
const MESH = {
  viewerLeftEye: [33, 133],
  viewerRightEye: [362, 263],
  mouth: [61, 291, 13, 14],
} as const;
const MESH_POINTS = 468;
const DEGREES_PER_RADIAN = 180 / Math.PI;
const MODEL_URL_SCHEME = 'file://';

const nodeRequire = createRequire(__filename);

interface ModelPackages {
  readonly tf: typeof Tf;
  readonly tfWasm: typeof TfWasm;
  readonly faceApi: typeof FaceApi;
  readonly Human: typeof Human;
  readonly humanModelsDir: string;
  readonly faceApiModelsDir: string;
  readonly wasmDir: string;
}

/** Where the bundle finds the model weights and the WASM binaries (for docs and readiness). */
export function modelPackagePaths(): {
  humanModelsDir: string;
  faceApiModelsDir: string;
  wasmDir: string;
} {
  const humanDist = path.dirname(nodeRequire.resolve('@vladmandic/human'));
  const faceApiRoot = path.dirname(nodeRequire.resolve('@vladmandic/face-api/package.json'));
  const wasmRoot = path.dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  return {
    humanModelsDir: path.join(humanDist, '..', 'models'),
    faceApiModelsDir: path.join(faceApiRoot, 'model'),
    wasmDir: path.join(wasmRoot, 'dist') + path.sep,
  };
}

function requirePackages(): ModelPackages {
  const paths = modelPackagePaths();
  const humanModule = nodeRequire(
    path.join(paths.humanModelsDir, '..', 'dist', 'human.node-wasm.js'),
  ) as {
    Human: typeof Human;
  };
  return {
    tf: nodeRequire('@tensorflow/tfjs') as typeof Tf,
    tfWasm: nodeRequire('@tensorflow/tfjs-backend-wasm') as typeof TfWasm,
    faceApi: nodeRequire(
      path.join(paths.faceApiModelsDir, '..', 'dist', 'face-api.node-wasm.js'),
    ) as typeof FaceApi,
    Human: humanModule.Human,
    ...paths,
  };
}

let modelsLoaded: Promise<FaceModels> | undefined;

/**
 * Loads the models once per thread (tfjs keeps one engine per thread); later calls get the same
 * instance. A failed load is not cached, so the caller may retry.
 */
export function loadFaceModels(
  method: EmbeddingMethod,
  detection: DetectionSettings,
): Promise<FaceModels> {
  modelsLoaded ??= createFaceModels(method, detection).catch((error: unknown) => {
    modelsLoaded = undefined;
    throw error;
  });
  return modelsLoaded;
}

async function createFaceModels(
  method: EmbeddingMethod,
  detection: DetectionSettings,
): Promise<FaceModels> {
  const packages = requirePackages();
  const { tf, tfWasm, faceApi, Human } = packages;
  // One image at a time per thread: sharp's cache only holds memory here.
  sharp.cache(false);
  registerDiskModelRouter(tf, packages.humanModelsDir);
  tfWasm.setWasmPaths(packages.wasmDir);
  await tf.setBackend('wasm');
  await tf.ready();

  const human = new Human(humanConfig(packages, method, detection));
  await human.load();
  await faceApi.nets.faceRecognitionNet.loadFromDisk(packages.faceApiModelsDir);

  return {
    async detect(image) {
      const input = squareInput(tf, image);
      try {
        const result = await human.detect(input as unknown as HumanInput);
        if (result.error) throw new Error(`Face detection failed: ${result.error}`);
        return result.face.flatMap((face) => toDetectedFace(face));
      } finally {
        input.dispose();
      }
    },
    async describeChip(chip) {
      const input = tf.tensor3d(chip, [CHIP_SIZE_PX, CHIP_SIZE_PX, 3], 'float32');
      try {
        const descriptor = await faceApi.nets.faceRecognitionNet.computeFaceDescriptor(
          input as unknown as FaceApi.TNetInput,
        );
        if (Array.isArray(descriptor)) throw new Error('Expected one descriptor for one chip');
        return descriptor;
      } finally {
        input.dispose();
      }
    },
  };
}

/**
 * The image as the detector's input, padded with black on the right or at the bottom to a square:
 * blazeface scales its input to a square, so a wide frame squeezed its faces (in 2:1 frames it
 * missed one of two faces or drew one box over both). Padding there keeps every pixel's
 * coordinates, so the landmarks need no mapping back.
 */
function squareInput(tf: typeof Tf, image: RgbImage): Tf.Tensor3D {
  const pixels = tf.tensor3d(image.rgb, [image.height, image.width, 3], 'int32');
  if (image.width === image.height) return pixels;
  const side = Math.max(image.width, image.height);
  const square = tf.pad(pixels, [
    [0, side - image.height],
    [0, side - image.width],
    [0, 0],
  ]);
  pixels.dispose();
  return square;
}

function humanConfig(
  packages: ModelPackages,
  method: EmbeddingMethod,
  detection: DetectionSettings,
): Partial<HumanConfig> {
  const off = { enabled: false };
  return {
    backend: 'wasm',
    wasmPath: packages.wasmDir,
    modelBasePath: `${MODEL_URL_SCHEME}${packages.humanModelsDir}/`,
    debug: false,
    warmup: 'none',
    // Every image is a new scene: no frame-to-frame caching of boxes or results.
    cacheSensitivity: 0,
    filter: off,
    gesture: off,
    body: off,
    hand: off,
    object: off,
    segmentation: off,
    face: {
      enabled: true,
      detector: {
        rotation: false,
        return: false,
        maxDetected: detection.maxFaces,
        minConfidence: detection.minConfidence,
        skipFrames: 0,
        skipTime: 0,
      },
      mesh: { enabled: true, skipFrames: 0, skipTime: 0 },
      description: { enabled: method === 'human-faceres', skipFrames: 0, skipTime: 0 },
      attention: off,
      iris: off,
      emotion: off,
      antispoof: off,
      liveness: off,
      gear: off,
    },
  };
}

function toDetectedFace(face: FaceResult): DetectedFace[] {
  if (face.mesh.length < MESH_POINTS) return [];
  const mean = (indices: readonly number[]): Point => {
    let x = 0;
    let y = 0;
    for (const index of indices) {
      x += face.mesh[index][0];
      y += face.mesh[index][1];
    }
    return { x: x / indices.length, y: y / indices.length };
  };
  const angle = face.rotation?.angle ?? { yaw: 0, pitch: 0, roll: 0 };
  return [
    {
      confidence: face.score,
      landmarks: {
        leftEye: mean(MESH.viewerLeftEye),
        rightEye: mean(MESH.viewerRightEye),
        mouth: mean(MESH.mouth),
      },
      pose: {
        yawDeg: angle.yaw * DEGREES_PER_RADIAN,
        pitchDeg: angle.pitch * DEGREES_PER_RADIAN,
        rollDeg: angle.roll * DEGREES_PER_RADIAN,
      },
      ...(face.embedding ? { humanDescriptor: Float32Array.from(face.embedding) } : {}),
    },
  ];
}

/** Serves `file://<modelsDir>/…` model URLs (json and weight shards) from disk. */
function registerDiskModelRouter(tf: typeof Tf, modelsDir: string): void {
  const prefix = `${MODEL_URL_SCHEME}${modelsDir}`;
  tf.io.registerLoadRouter((url) => {
    // tfjs asks every router and keeps the non-null answers; its typing leaves the null out.
    if (typeof url !== 'string' || !url.startsWith(prefix))
      return null as unknown as Tf.io.IOHandler;
    const modelJsonPath = url.slice(MODEL_URL_SCHEME.length);
    return {
      async load() {
        const modelJson = JSON.parse(await readFile(modelJsonPath, 'utf8')) as Tf.io.ModelJSON;
        return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
          const specs = manifest.flatMap((group) => group.weights);
          const shards = await Promise.all(
            manifest.flatMap((group) =>
              group.paths.map((shard) => readFile(path.join(path.dirname(modelJsonPath), shard))),
            ),
          );
          const weights = Buffer.concat(shards);
          return [specs, new Uint8Array(weights).buffer];
        });
      },
    };
  });
}
