import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type FaceMatch, acceptMatch } from '../face-matcher';
import { isFaceError } from '../face-errors';
import { type FaceRecognition } from '../face-recognition';
import { type MatchingSettings } from '../recognition-settings';

/**
 * The dev-set protocol of face-models.md, on any folder with a labels.csv (columns `file`,
 * `identity`, `role`): per known identity, sorted by file name, the first min(3, max(1, ⌊n/2⌋))
 * photos are enrolled and the rest are probes; every impostor photo is a probe. Enrolment and
 * identification go through FaceRecognition, exactly as in the service.
 */
export interface LabelledPhoto {
  readonly file: string;
  readonly identity: string;
  readonly role: 'known' | 'impostor';
}

export interface EvaluationPlan {
  readonly gallery: ReadonlyMap<string, readonly string[]>;
  readonly probes: readonly { readonly file: string; readonly identity: string | null }[];
}

export interface ProbeOutcome {
  readonly file: string;
  /** null for an impostor. */
  readonly identity: string | null;
  /** The best candidate before the threshold; null when nothing could be compared. */
  readonly match: FaceMatch | null;
  /** Why the probe has no embedding (NO_FACE, IMAGE_UNREADABLE, ...). */
  readonly failure: string | null;
}

export interface EvaluationSummary {
  readonly probes: number;
  readonly knownProbes: number;
  readonly rank1: number;
  readonly far: number;
  readonly frr: number;
  /** Scores of known probes whose best candidate is their own identity. */
  readonly genuine: ScoreRange | null;
  /** Best scores of impostor probes and of known probes whose best candidate is someone else. */
  readonly impostor: ScoreRange | null;
}

export interface ScoreRange {
  readonly min: number;
  readonly max: number;
}

/** labels.csv → photos; RFC 4180 quoting (the evidence column holds commas). */
export function parseLabels(csv: string): LabelledPhoto[] {
  const [header, ...rows] = parseCsv(csv);
  if (!header) return [];
  const column = (name: string): number => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`labels.csv has no "${name}" column`);
    return index;
  };
  const [file, identity, role] = [column('file'), column('identity'), column('role')];
  return rows
    .filter((row) => row.length > 1)
    .map((row) => {
      if (row[role] !== 'known' && row[role] !== 'impostor') {
        throw new Error(`labels.csv: unknown role "${row[role]}" for ${row[file]}`);
      }
      return { file: row[file], identity: row[identity], role: row[role] };
    });
}

export function planEvaluation(photos: readonly LabelledPhoto[]): EvaluationPlan {
  const byIdentity = new Map<string, string[]>();
  for (const photo of photos.filter((candidate) => candidate.role === 'known')) {
    byIdentity.set(photo.identity, [...(byIdentity.get(photo.identity) ?? []), photo.file]);
  }
  const gallery = new Map<string, string[]>();
  const probes: { file: string; identity: string | null }[] = [];
  for (const [identity, files] of [...byIdentity].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...files].sort();
    const enrolled = Math.min(3, Math.max(1, Math.floor(sorted.length / 2)));
    gallery.set(identity, sorted.slice(0, enrolled));
    probes.push(...sorted.slice(enrolled).map((file) => ({ file, identity })));
  }
  for (const photo of photos.filter((candidate) => candidate.role === 'impostor')) {
    probes.push({ file: photo.file, identity: null });
  }
  return { gallery, probes };
}

/**
 * rank-1: the best candidate is right and reaches the threshold (over known probes). FRR: a known
 * probe's best score is below the threshold, or it has no face. FAR: impostors accepted plus known
 * probes accepted as someone else, over all probes.
 */
export function summarise(
  outcomes: readonly ProbeOutcome[],
  matching: MatchingSettings,
): EvaluationSummary {
  const known = outcomes.filter((outcome) => outcome.identity !== null);
  const accepted = (outcome: ProbeOutcome): FaceMatch | null => {
    try {
      return acceptMatch(outcome.match, matching);
    } catch {
      return null;
    }
  };
  const correct = known.filter((outcome) => accepted(outcome)?.personId === outcome.identity);
  const rejected = known.filter((outcome) => accepted(outcome) === null);
  const falseAccepts = outcomes.filter((outcome) => {
    const decision = accepted(outcome);
    return decision !== null && decision.personId !== outcome.identity;
  });
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (const { match, identity } of outcomes) {
    if (!match) continue;
    (match.personId === identity ? genuine : impostor).push(match.similarity);
  }
  return {
    probes: outcomes.length,
    knownProbes: known.length,
    rank1: ratio(correct.length, known.length),
    far: ratio(falseAccepts.length, outcomes.length),
    frr: ratio(rejected.length, known.length),
    genuine: range(genuine),
    impostor: range(impostor),
  };
}

export interface EvaluationRun {
  readonly enrolled: number;
  /** Gallery photos that could not be enrolled, with the reason (skipped, as the protocol says). */
  readonly enrolmentFailures: readonly { readonly file: string; readonly reason: string }[];
  readonly outcomes: readonly ProbeOutcome[];
  /** Wall time of each image through the service path (base64 in, embedding and search out). */
  readonly msPerImage: readonly number[];
}

export async function runEvaluation(
  recognition: FaceRecognition,
  folder: string,
  plan: EvaluationPlan,
): Promise<EvaluationRun> {
  const msPerImage: number[] = [];
  const timed = async <T>(work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      msPerImage.push(performance.now() - started);
    }
  };

  let enrolled = 0;
  const enrolmentFailures: { file: string; reason: string }[] = [];
  for (const [identity, files] of plan.gallery) {
    for (const file of files) {
      const image = await readImage(folder, file);
      if (typeof image !== 'string') {
        enrolmentFailures.push({ file, reason: image.failure });
        continue;
      }
      try {
        await timed(() => recognition.enrol(identity, image, 'add'));
        enrolled++;
      } catch (error) {
        enrolmentFailures.push({ file, reason: describeFailure(error) });
      }
    }
  }

  const outcomes: ProbeOutcome[] = [];
  for (const { file, identity } of plan.probes) {
    const image = await readImage(folder, file);
    if (typeof image !== 'string') {
      outcomes.push({ file, identity, match: null, failure: image.failure });
      continue;
    }
    try {
      const { match } = await timed(() => recognition.score(image));
      outcomes.push({ file, identity, match, failure: null });
    } catch (error) {
      outcomes.push({ file, identity, match: null, failure: describeFailure(error) });
    }
  }
  return { enrolled, enrolmentFailures, outcomes, msPerImage };
}

export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

async function readImage(folder: string, file: string): Promise<string | { failure: string }> {
  try {
    return (await readFile(path.join(folder, file))).toString('base64');
  } catch (error) {
    return { failure: `unreadable file: ${describeFailure(error)}` };
  }
}

function describeFailure(error: unknown): string {
  if (isFaceError(error)) return error.code;
  return error instanceof Error ? error.message : String(error);
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function range(values: readonly number[]): ScoreRange | null {
  return values.length === 0 ? null : { min: Math.min(...values), max: Math.max(...values) };
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
