import { InMemoryEmbeddingIndex } from '../embedding-index';
import { describeEmbeddingIndexContract } from './embedding-index.contract';

describeEmbeddingIndexContract('InMemoryEmbeddingIndex', async () => ({
  index: new InMemoryEmbeddingIndex(),
  dispose: async () => undefined,
}));
