import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { FACE_IMAGE_MAX_LENGTH, FACE_PATTERNS, FaceIdentifyRequest } from './face.contract';
import { STORE_PATTERNS, STORES_BY_IDS_MAX, StoresByIdsRequest } from './store.contract';

function problemsOf<T extends object>(type: new () => T, plain: object): string[] {
  return validateSync(plainToInstance(type, plain)).map((error) => error.property);
}

describe('RPC contracts', () => {
  it('name every pattern once, prefixed by the service that answers it', () => {
    const patterns = [
      ...Object.values(FACE_PATTERNS).map((pattern) => ['face', pattern]),
      ...Object.values(STORE_PATTERNS).map((pattern) => ['store', pattern]),
    ];
    expect(new Set(patterns.map(([, pattern]) => pattern)).size).toBe(patterns.length);
    for (const [service, pattern] of patterns) {
      expect(pattern.startsWith(`${service}.`)).toBe(true);
    }
  });

  it.each([
    [{ image: 'aGVsbG8=' }, []],
    [{ image: '' }, ['image']],
    [{ image: 'a'.repeat(FACE_IMAGE_MAX_LENGTH + 1) }, ['image']],
    [{}, ['image']],
  ])('face.identify takes %#', (plain, problems) => {
    expect(problemsOf(FaceIdentifyRequest, plain)).toEqual(problems);
  });

  it.each([
    // Empty: refused (base does not ask for no ids).
    [{ ids: [] }, ['ids']],
    [{ ids: ['0b3f6c1e-8d2a-4f5b-9c7e-1a2b3c4d5e6f'] }, []],
    [{ ids: ['not-a-uuid'] }, ['ids']],
    [{ ids: Array.from({ length: STORES_BY_IDS_MAX + 1 }, () => 'x') }, ['ids']],
  ])('store.stores.byIds takes %#', (plain, problems) => {
    expect(problemsOf(StoresByIdsRequest, plain)).toEqual(problems);
  });
});
