// Face benchmark (npm run bench -- face; scripts/bench/face.ts runs this file with tsx, since a
// script may not import a service). It runs the service's own code path in-process: base64 →
// worker pool (real models) → ChromaDB (the stack's server, collections of its own, dropped at the
// end). Figures: enrol and identify latency p50/p99 on 640×480 frames made from the dev set,
// identification throughput with one and two workers, and 1:N search p50/p99 over 10k and 100k
// stored synthetic 128-d vectors. The last line printed is the whole report as one JSON object.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { ChromaEmbeddingIndex } from '../chroma/chroma-embedding-index';
import { parseLabels } from '../recognition/evaluation/face-eval';
import { FaceRecognition, recognitionSettings, WorkerFaceEmbedder } from '../recognition';

const USAGE = `usage: npm run bench -- face [--faces DIR] [--rounds N] [--searches N] [--skip-search]
  --faces     the labelled dev set (default ../shared/data/faces beside the repository)
  --rounds    identification passes over the probes per worker count (default 3)
  --searches  1:N searches per collection size (default 300)`;

/** Output of a command-line tool: stdout, one line per call. */
function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

const { values } = parseArgs({
  options: {
    faces: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    searches: { type: 'string', default: '300' },
    'skip-search': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  print(USAGE);
  process.exit(0);
}

const ROOT = path.resolve(__dirname, '../../../..');
const FACES = path.resolve(values.faces ?? path.join(ROOT, '../shared/data/faces'));
const ROUNDS = Math.max(1, Number(values.rounds));
const SEARCHES = Math.max(10, Number(values.searches));
const CHROMA_URL = process.env['CHROMA_URL'] ?? 'http://127.0.0.1:58000';

interface Stats {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const round = (value: number) => Math.round(value * 10) / 10;
  return { n: sorted.length, p50: round(at(0.5)), p99: round(at(0.99)), max: round(at(1)) };
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
}

/** A dev photo as a 640×480 JPEG frame (the kiosk's size), scaled to cover it and centred. */
async function frame(file: string): Promise<string> {
  const bytes = await sharp(readFileSync(path.join(FACES, file)))
    .rotate()
    .resize(640, 480, { fit: 'cover' })
    .jpeg({ quality: 90 })
    .toBuffer();
  return bytes.toString('base64');
}

async function waitReady(embedder: WorkerFaceEmbedder): Promise<void> {
  while (embedder.readiness().readyWorkers < embedder.readiness().workers) {
    const failure = embedder.readiness().lastFailure;
    if (failure) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function collection(): string {
  return `face_bench_${randomUUID().replaceAll('-', '')}`;
}

async function recognitionRun(workers: number, gallery: string[][], probes: string[]) {
  const settings = recognitionSettings({ workers: { poolSize: workers, maxQueue: 64 } });
  const embedder = new WorkerFaceEmbedder(settings);
  const index = new ChromaEmbeddingIndex({
    url: CHROMA_URL,
    collection: collection(),
    timeoutMs: 10_000,
    samplesPerPerson: settings.matching.maxSamplesPerPerson,
  });
  try {
    await waitReady(embedder);
    const recognition = new FaceRecognition(embedder, index, settings);
    const enrol: number[] = [];
    let refused = 0;
    for (const [person, photos] of gallery.entries()) {
      for (const image of photos) {
        const [ok, ms] = await timed(() =>
          recognition.enrol(`person-${person}`, image, 'add').then(
            () => true,
            () => false,
          ),
        );
        enrol.push(ms);
        if (!ok) refused++;
      }
    }
    // Latency: one identification at a time.
    const identify: number[] = [];
    let matched = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const image of probes) {
        const [outcome, ms] = await timed(() =>
          recognition.identify(image).then(
            () => true,
            () => false,
          ),
        );
        identify.push(ms);
        if (outcome) matched++;
      }
    }
    // Throughput: as many in flight as workers × 2 (each worker always has the next image).
    const jobs = Array.from({ length: ROUNDS }, () => probes).flat();
    let next = 0;
    const [, wallMs] = await timed(() =>
      Promise.all(
        Array.from({ length: workers * 2 }, async () => {
          while (next < jobs.length) {
            const image = jobs[next++];
            await recognition.identify(image).catch(() => undefined);
          }
        }),
      ),
    );
    return {
      workers,
      enrolMs: stats(enrol),
      enrolRefused: refused,
      identifyMs: stats(identify),
      matchedShare: Math.round((matched / identify.length) * 1000) / 1000,
      identifyPerSecond: Math.round((jobs.length / (wallMs / 1000)) * 10) / 10,
    };
  } finally {
    await index.drop().catch(() => undefined);
    index.close();
    await embedder.close();
  }
}

function randomUnit(): Float32Array {
  const vector = new Float32Array(128);
  let norm = 0;
  for (let i = 0; i < vector.length; i++) {
    // Sum of uniforms: roughly Gaussian, so directions are spread over the sphere.
    vector[i] = Math.random() + Math.random() + Math.random() - 1.5;
    norm += vector[i] * vector[i];
  }
  return vector.map((value) => value / Math.sqrt(norm));
}

async function searchRun() {
  const index = new ChromaEmbeddingIndex({
    url: CHROMA_URL,
    collection: collection(),
    timeoutMs: 30_000,
    samplesPerPerson: 5,
  });
  const results: Record<string, Stats & { loadSeconds: number }> = {};
  try {
    let stored = 0;
    for (const size of [10_000, 100_000]) {
      const batch = Array.from({ length: size - stored }, (_, i) => ({
        personId: `synthetic-${stored + i}`,
        vector: randomUnit(),
      }));
      const [, loadMs] = await timed(() => index.bulkLoad(batch, 60_000));
      stored = size;
      for (let i = 0; i < 20; i++) await index.nearestPersons(randomUnit(), 5); // warm-up
      const latencies: number[] = [];
      for (let i = 0; i < SEARCHES; i++) {
        const [, ms] = await timed(() => index.nearestPersons(randomUnit(), 5));
        latencies.push(ms);
      }
      results[String(size)] = { ...stats(latencies), loadSeconds: Math.round(loadMs / 100) / 10 };
      print(`search over ${size} vectors: ${JSON.stringify(results[String(size)])}`);
    }
  } finally {
    await index.drop().catch(() => undefined);
    index.close();
  }
  return results;
}

async function main(): Promise<void> {
  const labels = parseLabels(readFileSync(path.join(FACES, 'labels.csv'), 'utf8'));
  const known = [...new Set(labels.filter((l) => l.role === 'known').map((l) => l.identity))];
  const gallery: string[][] = [];
  const probes: string[] = [];
  for (const identity of known) {
    const files = labels
      .filter((l) => l.identity === identity)
      .map((l) => l.file)
      .sort();
    gallery.push(await Promise.all(files.slice(0, 2).map(frame)));
    probes.push(...(await Promise.all(files.slice(2).map(frame))));
  }
  for (const impostor of labels.filter((l) => l.role === 'impostor')) {
    probes.push(await frame(impostor.file));
  }
  print(`frames 640x480: ${gallery.flat().length} to enrol, ${probes.length} probes`);

  const recognition = [];
  for (const workers of [1, 2]) {
    const run = await recognitionRun(workers, gallery, probes);
    print(`workers=${workers}: ${JSON.stringify(run)}`);
    recognition.push(run);
  }
  const search = values['skip-search'] ? {} : await searchRun();
  print(
    JSON.stringify({
      benchmark: 'face',
      frames: '640x480',
      recognition,
      searchMs: search,
      targets: { identifyP50Ms: 150, searchP50MsAt100k: 20 },
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(2);
});
