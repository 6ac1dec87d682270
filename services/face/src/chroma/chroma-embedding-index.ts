import { createHash } from 'node:crypto';
import {
  ChromaClient,
  ChromaConnectionError,
  ChromaNotFoundError,
  ChromaServerError,
  type Collection,
  type EmbeddingFunction,
} from 'chromadb';
import { type EmbeddingIndex, type PersonCandidate } from '../recognition';
import { chromaUnavailable } from './chroma.errors';

/**
 * Face samples in ChromaDB: the only code that talks to it (the only import of `chromadb`).
 *
 * Layout: one collection (`CHROMA_COLLECTION`, default `face_embeddings`), HNSW in cosine space,
 * no embedding function (every record comes with its vector; a call without one fails loudly).
 * One record per sample:
 * - id `<personId>#<sha256 of the vector's bytes, 24 hex>`: the same image enrolled twice (or the
 *   same RPC message answered by two replicas) is one sample, written by an idempotent upsert;
 * - embedding: the L2-normalised 128-d face descriptor;
 * - metadata `{person: <personId>, addedAt: <ms since epoch, strictly increasing per process>}`:
 *   `person` selects a person's samples (`where`), `addedAt` orders them (the newest are kept).
 * Chroma's cosine distance is 1 − cosine similarity; similarities handed back are 1 − distance.
 *
 * Every call runs under `timeoutMs`. Past it, or when Chroma refuses or fails (5xx), the call is
 * 503 CHROMADB_UNAVAILABLE; a call past its deadline also aborts every request of the client (a
 * stuck server holds them all) and the next call starts a fresh client.
 */
export interface ChromaIndexOptions {
  /** `http(s)://host:port` of the Chroma server. */
  readonly url: string;
  readonly collection: string;
  /** Deadline of each operation (all its HTTP round trips). */
  readonly timeoutMs: number;
  /** The per-person sample cap: a 1:N query fetches this many records per wanted person. */
  readonly samplesPerPerson: number;
}

/** Upserts per request when loading many records (Chroma caps a batch at a few thousand). */
const BULK_BATCH = 1000;
/** Records per page when listing persons. */
const PAGE = 1000;

interface SampleMetadata {
  person: string;
  addedAt: number;
  [key: string]: string | number;
}

interface Connection {
  readonly client: ChromaClient;
  readonly abort: AbortController;
  collection: Promise<Collection> | null;
}

/** We supply every vector: a call that would need Chroma to embed text is a bug. */
const NO_EMBEDDING_FUNCTION: EmbeddingFunction = {
  generate: () => Promise.reject(new Error('face supplies its own vectors; nothing is embedded')),
};

export class ChromaEmbeddingIndex implements EmbeddingIndex {
  private connection: Connection;
  private lastAddedAt = 0;

  constructor(private readonly options: ChromaIndexOptions) {
    this.connection = this.connect();
  }

  async addSample(personId: string, vector: Float32Array, keepNewest: number): Promise<void> {
    await this.run('add a sample', async (collection) => {
      await collection.upsert(this.records(personId, [vector]));
      const samples = await this.sampleRecords(collection, personId, false);
      const surplus = samples.slice(0, Math.max(0, samples.length - Math.max(1, keepNewest)));
      if (surplus.length > 0) await collection.delete({ ids: surplus.map((sample) => sample.id) });
    });
  }

  async replaceSamples(personId: string, vectors: readonly Float32Array[]): Promise<void> {
    await this.run('replace samples', async (collection) => {
      const before = await this.sampleRecords(collection, personId, false);
      const records = this.records(personId, vectors);
      // The new samples are in before the old ones go: the person is never without a face.
      if (records.ids.length > 0) await collection.upsert(records);
      const kept = new Set(records.ids);
      const stale = before.filter((sample) => !kept.has(sample.id)).map((sample) => sample.id);
      if (stale.length > 0) await collection.delete({ ids: stale });
    });
  }

  async removePerson(personId: string): Promise<boolean> {
    return this.run('remove a person', async (collection) => {
      const samples = await this.sampleRecords(collection, personId, false);
      if (samples.length === 0) return false;
      await collection.delete({ where: { person: personId } });
      return true;
    });
  }

  async samplesOf(personId: string): Promise<Float32Array[]> {
    return this.run('read samples', async (collection) =>
      (await this.sampleRecords(collection, personId, true)).map((sample) => sample.vector),
    );
  }

  async persons(): Promise<string[]> {
    return this.run('list persons', async (collection) => {
      const persons = new Set<string>();
      for (let offset = 0; ; offset += PAGE) {
        const page = await collection.get<SampleMetadata>({
          include: ['metadatas'],
          limit: PAGE,
          offset,
        });
        for (const metadata of page.metadatas) if (metadata) persons.add(metadata.person);
        if (page.ids.length < PAGE) return [...persons];
      }
    });
  }

  async nearestPersons(vector: Float32Array, limit: number): Promise<PersonCandidate[]> {
    if (limit <= 0) return [];
    return this.run('search', async (collection) => {
      const result = await collection.query<SampleMetadata>({
        queryEmbeddings: [Array.from(vector)],
        nResults: limit * Math.max(1, this.options.samplesPerPerson),
        include: ['distances', 'metadatas'],
      });
      const byPerson = new Map<string, number[]>();
      const distances = result.distances[0] ?? [];
      (result.metadatas[0] ?? []).forEach((metadata, index) => {
        const distance = distances[index];
        if (!metadata || distance === null || distance === undefined) return;
        const similarities = byPerson.get(metadata.person) ?? [];
        similarities.push(1 - distance);
        byPerson.set(metadata.person, similarities);
      });
      return [...byPerson]
        .map(([personId, similarities]) => ({
          personId,
          similarities: similarities.sort((a, b) => b - a),
        }))
        .sort((a, b) => b.similarities[0] - a.similarities[0])
        .slice(0, limit);
    });
  }

  /** Samples stored, all persons together (benchmarks, status). */
  async count(): Promise<number> {
    return this.run('count', (collection) => collection.count());
  }

  /**
   * Loads many samples at once (benchmarks, migrations), in batches, without the per-person cap.
   * Each person's samples must be new to the collection.
   */
  async bulkLoad(
    samples: readonly { personId: string; vector: Float32Array }[],
    timeoutMsPerBatch = this.options.timeoutMs,
  ): Promise<void> {
    for (let start = 0; start < samples.length; start += BULK_BATCH) {
      const batch = samples.slice(start, start + BULK_BATCH);
      const ids: string[] = [];
      const embeddings: number[][] = [];
      const metadatas: SampleMetadata[] = [];
      for (const { personId, vector } of batch) {
        ids.push(sampleId(personId, vector));
        embeddings.push(Array.from(vector));
        metadatas.push({ person: personId, addedAt: this.nextAddedAt() });
      }
      await this.run(
        'bulk load',
        (collection) => collection.upsert({ ids, embeddings, metadatas }),
        timeoutMsPerBatch,
      );
    }
  }

  /** Deletes the whole collection (a test's or benchmark's own); the next call recreates it. */
  async drop(): Promise<void> {
    await this.underDeadline('drop the collection', async (connection) => {
      connection.collection = null;
      try {
        await connection.client.deleteCollection({ name: this.options.collection });
      } catch (error) {
        if (!(error instanceof ChromaNotFoundError)) throw error;
      }
    });
  }

  /** Resolves when Chroma answers and the collection is there in cosine space (readiness). */
  async check(): Promise<void> {
    await this.run('check', async (collection) => void (await collection.count()));
  }

  /** Aborts whatever is still in flight (shutdown). */
  close(): void {
    this.connection.abort.abort();
  }

  private run<T>(
    what: string,
    work: (collection: Collection) => Promise<T>,
    timeoutMs = this.options.timeoutMs,
  ): Promise<T> {
    return this.underDeadline(
      what,
      async (connection) => work(await this.collectionOf(connection)),
      timeoutMs,
    );
  }

  private async underDeadline<T>(
    what: string,
    work: (connection: Connection) => Promise<T>,
    timeoutMs = this.options.timeoutMs,
  ): Promise<T> {
    const connection = this.connection;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(chromaUnavailable(`${what}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([work(connection), deadline]);
    } catch (error) {
      if (timedOut) {
        // A stuck server holds every request of this client: abort them all, start afresh.
        connection.abort.abort();
        if (this.connection === connection) this.connection = this.connect();
        throw error;
      }
      if (unavailable(error)) {
        connection.collection = null;
        throw chromaUnavailable(what);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private collectionOf(connection: Connection): Promise<Collection> {
    if (!connection.collection) {
      const pending = this.openCollection(connection.client);
      connection.collection = pending;
      // A failed open is retried by the next call.
      pending.catch(() => {
        if (connection.collection === pending) connection.collection = null;
      });
    }
    return connection.collection;
  }

  private async openCollection(client: ChromaClient): Promise<Collection> {
    const collection = await client.getOrCreateCollection({
      name: this.options.collection,
      configuration: { hnsw: { space: 'cosine' } },
      metadata: { owner: 'face', content: 'L2-normalised face descriptors, one per sample' },
      embeddingFunction: NO_EMBEDDING_FUNCTION,
    });
    const space = collection.configuration.hnsw?.space ?? collection.configuration.spann?.space;
    if (space !== 'cosine') {
      throw new Error(
        `Chroma collection ${this.options.collection} is in ${String(space)} space, not cosine`,
      );
    }
    return collection;
  }

  private connect(): Connection {
    const url = new URL(this.options.url);
    const abort = new AbortController();
    const client = new ChromaClient({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      ssl: url.protocol === 'https:',
      fetchOptions: { signal: abort.signal },
    });
    return { client, abort, collection: null };
  }

  private records(personId: string, vectors: readonly Float32Array[]) {
    const ids: string[] = [];
    const embeddings: number[][] = [];
    const metadatas: SampleMetadata[] = [];
    const seen = new Set<string>();
    for (const vector of vectors) {
      const id = sampleId(personId, vector);
      if (seen.has(id)) continue;
      seen.add(id);
      ids.push(id);
      embeddings.push(Array.from(vector));
      metadatas.push({ person: personId, addedAt: this.nextAddedAt() });
    }
    return { ids, embeddings, metadatas };
  }

  /** A person's samples, oldest first. */
  private async sampleRecords(
    collection: Collection,
    personId: string,
    withVectors: boolean,
  ): Promise<{ id: string; addedAt: number; vector: Float32Array }[]> {
    const result = await collection.get<SampleMetadata>({
      where: { person: personId },
      include: withVectors ? ['metadatas', 'embeddings'] : ['metadatas'],
    });
    return result.ids
      .map((id, index) => ({
        id,
        addedAt: result.metadatas[index]?.addedAt ?? 0,
        vector: Float32Array.from(withVectors ? (result.embeddings[index] ?? []) : []),
      }))
      .sort((a, b) => a.addedAt - b.addedAt || a.id.localeCompare(b.id));
  }

  private nextAddedAt(): number {
    this.lastAddedAt = Math.max(Date.now(), this.lastAddedAt + 1);
    return this.lastAddedAt;
  }
}

/** Deterministic per person and vector: the same sample stored twice is one record. */
export function sampleId(personId: string, vector: Float32Array): string {
  const bytes = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
  return `${personId}#${createHash('sha256').update(bytes).digest('hex').slice(0, 24)}`;
}

/** Chroma down, failing (5xx), aborted, or the collection gone under us. */
function unavailable(error: unknown): boolean {
  return (
    error instanceof ChromaConnectionError ||
    error instanceof ChromaServerError ||
    error instanceof ChromaNotFoundError ||
    (error instanceof Error && error.name === 'AbortError')
  );
}
