import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InMemoryEmbeddingIndex } from '../embedding-index';
import { WorkerFaceEmbedder } from '../face-embedder';
import { FaceRecognition } from '../face-recognition';
import {
  type EmbeddingMethod,
  recognitionSettings,
  type SampleAggregation,
} from '../recognition-settings';
import {
  parseLabels,
  percentile,
  planEvaluation,
  runEvaluation,
  type ScoreRange,
  summarise,
} from './face-eval';

/**
 * scripts/face-eval <folder> [--embedding M] [--aggregation max|mean] [--threshold T] [--workers N]
 * Enrols and probes the folder's photos through the service's code path (worker pool, pipeline,
 * in-memory index, configured threshold) and prints the metrics; the last line is one JSON object.
 */
const USAGE =
  'usage: scripts/face-eval <folder> [--embedding hybrid-mirrored|hybrid|human-faceres] ' +
  '[--aggregation max|mean] [--threshold T] [--workers N]';
const READY_TIMEOUT_MS = 120_000;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      embedding: { type: 'string' },
      aggregation: { type: 'string' },
      threshold: { type: 'string' },
      workers: { type: 'string' },
    },
  });
  const folder = positionals[0];
  if (!folder || positionals.length > 1) throw new Error(USAGE);
  const defaults = recognitionSettings();
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  const settings = recognitionSettings({
    embedding: oneOf<EmbeddingMethod>(values.embedding, [
      'hybrid-mirrored',
      'hybrid',
      'human-faceres',
    ]),
    matching: {
      ...(threshold === undefined ? {} : { threshold, duplicateThreshold: threshold }),
      aggregation:
        oneOf<SampleAggregation>(values.aggregation, ['max', 'mean']) ??
        defaults.matching.aggregation,
    },
    workers: {
      poolSize: values.workers === undefined ? 1 : Number(values.workers),
      // Evaluation feeds one image at a time; a cold first image must not time out.
      deadlineMs: 60_000,
    },
  });

  const labels = parseLabels(await readFile(path.join(folder, 'labels.csv'), 'utf8'));
  const plan = planEvaluation(labels);
  const embedder = new WorkerFaceEmbedder(settings);
  try {
    await waitUntilReady(embedder);
    const recognition = new FaceRecognition(embedder, new InMemoryEmbeddingIndex(), settings);
    const run = await runEvaluation(recognition, folder, plan);
    const summary = summarise(run.outcomes, settings.matching);

    const galleryPhotos = [...plan.gallery.values()].reduce((sum, files) => sum + files.length, 0);
    print(`folder: ${path.resolve(folder)}`);
    print(
      `embedding ${settings.embedding}, aggregation ${settings.matching.aggregation}, ` +
        `threshold ${settings.matching.threshold} (cosine)`,
    );
    print(
      `gallery: ${run.enrolled}/${galleryPhotos} photos of ${plan.gallery.size} identities ` +
        `enrolled; probes: ${summary.probes} (${summary.knownProbes} known)`,
    );
    for (const { file, reason } of run.enrolmentFailures)
      print(`  enrol skipped ${file}: ${reason}`);
    for (const outcome of run.outcomes.filter((candidate) => candidate.failure)) {
      print(`  probe ${outcome.file} (${outcome.identity ?? 'impostor'}): ${outcome.failure}`);
    }
    print(
      `rank-1 ${percent(summary.rank1)}  FAR ${percent(summary.far)}  FRR ${percent(summary.frr)}`,
    );
    print(
      `genuine scores ${formatRange(summary.genuine)}; impostor scores ${formatRange(summary.impostor)}`,
    );
    if (summary.genuine && summary.impostor) {
      const gap = summary.genuine.min - summary.impostor.max;
      print(
        `gap ${gap.toFixed(4)}` +
          (gap > 0
            ? ` (mid-gap ${((summary.genuine.min + summary.impostor.max) / 2).toFixed(4)})`
            : ''),
      );
    }
    const mean =
      run.msPerImage.reduce((sum, ms) => sum + ms, 0) / Math.max(1, run.msPerImage.length);
    print(
      `latency per image: mean ${mean.toFixed(1)} ms, p50 ${percentile(run.msPerImage, 0.5).toFixed(1)} ms, ` +
        `p90 ${percentile(run.msPerImage, 0.9).toFixed(1)} ms (${run.msPerImage.length} images)`,
    );
    print(
      JSON.stringify({
        rank1: round(summary.rank1, 4),
        far: round(summary.far, 4),
        frr: round(summary.frr, 4),
        images: run.msPerImage.length,
        msPerImage: round(mean, 1),
      }),
    );
  } finally {
    await embedder.close();
  }
}

async function waitUntilReady(embedder: WorkerFaceEmbedder): Promise<void> {
  const started = Date.now();
  while (!embedder.readiness().ready) {
    if (Date.now() - started > READY_TIMEOUT_MS) {
      throw new Error(`face models not loaded: ${embedder.readiness().lastFailure ?? 'timeout'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`"${value}" is not one of ${allowed.join(', ')}\n${USAGE}`);
  }
  return value as T;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

function formatRange(range: ScoreRange | null): string {
  return range ? `${range.min.toFixed(4)}..${range.max.toFixed(4)}` : 'none';
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

main().catch((error: unknown) => {
  process.stderr.write(`face-eval: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
