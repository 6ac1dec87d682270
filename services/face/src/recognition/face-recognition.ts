import { type EmbeddingIndex } from './embedding-index';
import { type FaceEmbedder } from './face-embedder';
import {
  acceptMatch,
  assertNotEnrolledElsewhere,
  bestMatch,
  type FaceMatch,
  verify,
} from './face-matcher';
import { type FaceObservation } from './face-quality';
import { parseBase64Image } from './image-intake';
import { type RecognitionSettings } from './recognition-settings';
import { type PoolReadiness } from './worker/worker-pool';

/** Enrolment adds a sample to the person's (up to the cap) or replaces all of them. */
export type EnrolMode = 'add' | 'replace';

export interface Enrolment {
  readonly personId: string;
  readonly samples: number;
  readonly face: FaceObservation;
}

export interface Recognition extends FaceMatch {
  readonly face: FaceObservation;
}

/**
 * Runs enrolment's decision (is this face someone else's?) and its write as one step, so that
 * two concurrent enrolments of one face for two people cannot both pass the check. The service
 * backs it with a Redis lock (every replica); the default serialises within the process.
 */
export interface EnrolmentSerializer {
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

/** One enrolment decision at a time within this process. */
export class InProcessEnrolmentSerializer implements EnrolmentSerializer {
  private tail: Promise<unknown> = Promise.resolve();

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** A probe's best candidate whatever the threshold; for calibration tools, never for decisions. */
export interface ScoredProbe {
  readonly match: FaceMatch | null;
  readonly face: FaceObservation;
}

/**
 * Face recognition as the service offers it, transport-free: base64 images in, person ids and
 * typed FaceErrors out. The RPC handlers only validate payloads and map FaceError kinds.
 */
export class FaceRecognition {
  /** Enrolments under way, per person: a deletion waits for those that arrived before it. */
  private readonly enrolling = new Map<string, Set<Promise<unknown>>>();

  constructor(
    private readonly embedder: FaceEmbedder,
    private readonly index: EmbeddingIndex,
    private readonly settings: RecognitionSettings,
    private readonly serializer: EnrolmentSerializer = new InProcessEnrolmentSerializer(),
  ) {}

  /**
   * The embedding is computed first (in parallel with anything else); the duplicate check and the
   * write then run under the serializer, so the check sees every enrolment decided before it.
   */
  enrol(personId: string, imageBase64: string, mode: EnrolMode): Promise<Enrolment> {
    const enrolment = this.decideAndWrite(personId, imageBase64, mode);
    const underWay = this.enrolling.get(personId) ?? new Set<Promise<unknown>>();
    this.enrolling.set(personId, underWay);
    underWay.add(enrolment);
    const settled = (): void => {
      underWay.delete(enrolment);
      if (underWay.size === 0) this.enrolling.delete(personId);
    };
    enrolment.then(settled, settled);
    return enrolment;
  }

  private async decideAndWrite(
    personId: string,
    imageBase64: string,
    mode: EnrolMode,
  ): Promise<Enrolment> {
    const { vector, face } = await this.embedder.embed(this.bytesOf(imageBase64), 'enrol');
    return this.serializer.exclusive(async () => {
      await assertNotEnrolledElsewhere(this.index, personId, vector, this.settings.matching);
      if (mode === 'replace') await this.index.replaceSamples(personId, [vector]);
      else await this.index.addSample(personId, vector, this.settings.matching.maxSamplesPerPerson);
      return { personId, samples: (await this.index.samplesOf(personId)).length, face };
    });
  }

  /** The person's stored samples (0: no face). */
  async sampleCount(personId: string): Promise<number> {
    return (await this.index.samplesOf(personId)).length;
  }

  /** 1:N; FACE_NOT_MATCHED below the threshold or when nobody is enrolled. */
  async identify(imageBase64: string): Promise<Recognition> {
    const { match, face } = await this.score(imageBase64);
    return { ...acceptMatch(match, this.settings.matching), face };
  }

  /** 1:1 against one person; FACE_NOT_MATCHED when it is not them (or they have no face). */
  async verify(personId: string, imageBase64: string): Promise<Recognition> {
    const { vector, face } = await this.embedder.embed(this.bytesOf(imageBase64), 'probe');
    return { ...(await verify(this.index, personId, vector, this.settings.matching)), face };
  }

  /** The best candidate and its score before the threshold decision (identify, face-eval). */
  async score(imageBase64: string): Promise<ScoredProbe> {
    const { vector, face } = await this.embedder.embed(this.bytesOf(imageBase64), 'probe');
    return { match: await bestMatch(this.index, vector, this.settings.matching), face };
  }

  /**
   * Idempotent: false when the person had no face enrolled. An enrolment of the person still
   * being embedded when the deletion arrives would otherwise write after it and outlive it (a
   * deleted user's face kept): the deletion waits for those enrolments to settle (each bounded by
   * the embedding deadline, the lock wait and ChromaDB's deadlines), then deletes.
   */
  async remove(personId: string): Promise<boolean> {
    await Promise.allSettled([...(this.enrolling.get(personId) ?? [])]);
    return this.index.removePerson(personId);
  }

  async isEnrolled(personId: string): Promise<boolean> {
    return (await this.index.samplesOf(personId)).length > 0;
  }

  persons(): Promise<string[]> {
    return this.index.persons();
  }

  /** Models loaded in at least one worker (the service adds the vector store's own check). */
  readiness(): PoolReadiness {
    return this.embedder.readiness();
  }

  private bytesOf(imageBase64: string): Uint8Array {
    return parseBase64Image(imageBase64, this.settings.image);
  }
}
