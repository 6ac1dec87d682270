import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { DomainError } from '@platform/errors';
import {
  CONTRACT_SAMPLES_PER_PERSON,
  describeEmbeddingIndexContract,
  unitVector,
} from '../recognition/testing/embedding-index.contract';
import { ChromaEmbeddingIndex } from './chroma-embedding-index';

const CHROMA_URL = process.env['CHROMA_URL'] ?? 'http://127.0.0.1:58000';

function ownIndex(url = CHROMA_URL, timeoutMs = 5000): ChromaEmbeddingIndex {
  return new ChromaEmbeddingIndex({
    url,
    collection: `face_test_${randomUUID().replaceAll('-', '')}`,
    timeoutMs,
    samplesPerPerson: CONTRACT_SAMPLES_PER_PERSON,
  });
}

// Each case gets a collection of its own on the stack's ChromaDB, dropped afterwards.
describeEmbeddingIndexContract('ChromaEmbeddingIndex', async () => {
  const index = ownIndex();
  return { index, dispose: () => index.drop() };
});

describe('ChromaEmbeddingIndex against a Chroma that is down or stuck', () => {
  let silent: Server;
  let silentUrl: string;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // Accepts connections and never answers: a stuck server.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    silentUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  async function failureOf(work: Promise<unknown>): Promise<DomainError> {
    const error: unknown = await work.then(
      () => null,
      (failure: unknown) => failure,
    );
    if (!(error instanceof DomainError))
      throw new Error(`expected a DomainError, got ${String(error)}`);
    return error;
  }

  it('answers 503 CHROMADB_UNAVAILABLE at its deadline when Chroma does not answer', async () => {
    const index = ownIndex(silentUrl, 300);
    const started = Date.now();
    const error = await failureOf(index.nearestPersons(unitVector(1), 5));
    expect([error.kind, error.code]).toEqual(['unavailable', 'CHROMADB_UNAVAILABLE']);
    expect(Date.now() - started).toBeLessThan(2000);
    // The next call starts a fresh client and is refused the same way.
    const again = await failureOf(index.addSample(randomUUID(), unitVector(2), 3));
    expect(again.code).toBe('CHROMADB_UNAVAILABLE');
    index.close();
  });

  it('answers 503 CHROMADB_UNAVAILABLE at once when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const index = ownIndex(`http://127.0.0.1:${port}`, 3000);
    const started = Date.now();
    const error = await failureOf(index.samplesOf(randomUUID()));
    expect([error.kind, error.code]).toEqual(['unavailable', 'CHROMADB_UNAVAILABLE']);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('stores vectors in a cosine collection and drops it', async () => {
    const index = ownIndex();
    await index.bulkLoad(
      Array.from({ length: 2500 }, (_, i) => ({ personId: `p${i}`, vector: unitVector(i + 1) })),
    );
    expect(await index.count()).toBe(2500);
    const [best] = await index.nearestPersons(unitVector(1234), 1);
    expect(best.personId).toBe('p1233');
    expect(best.similarities[0]).toBeCloseTo(1, 4);
    await index.drop();
    // Dropped: the next call recreates it empty.
    expect(await index.count()).toBe(0);
    await index.drop();
  });
});
