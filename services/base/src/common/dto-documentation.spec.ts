import { readdirSync } from 'node:fs';
import path from 'node:path';
import { documentValidationConstraints } from '@platform/runtime';
import { getMetadataStorage } from 'class-validator';

/** Every DTO module of base: `src/<feature>/dto/*.ts`. */
const SRC = path.resolve(__dirname, '..');
const DTO_FILES = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((file) => /(^|\/)dto\/[^/]+\.ts$/.test(file) && !file.endsWith('.spec.ts'))
  .sort();

type DtoClass = abstract new (...args: never[]) => unknown;

/** The exported classes of base's DTO modules that the ValidationPipe validates. */
async function validatedDtos(): Promise<DtoClass[]> {
  const storage = getMetadataStorage();
  const classes = new Set<DtoClass>();
  for (const file of DTO_FILES) {
    const exports = (await import(path.join(SRC, file))) as Record<string, unknown>;
    for (const value of Object.values(exports)) {
      if (typeof value !== 'function') continue;
      const dto = value as DtoClass;
      if (storage.getTargetValidationMetadatas(dto, '', false, false).length > 0) classes.add(dto);
    }
  }
  return [...classes];
}

const documented = (dto: DtoClass, property: string) =>
  Reflect.getMetadata('swagger/apiModelProperties', dto.prototype, property) as
    Record<string, unknown> | undefined;

describe("base's DTOs in the OpenAPI document", () => {
  let dtos: DtoClass[];

  beforeAll(async () => {
    dtos = await validatedDtos();
    documentValidationConstraints();
  });

  it('finds the DTO modules and their validated classes', () => {
    expect(DTO_FILES.length).toBeGreaterThan(5);
    expect(dtos.length).toBeGreaterThan(10);
  });

  it('documents every validated property (an undocumented one is missing from the document)', () => {
    const undocumented = dtos.flatMap((dto) =>
      getMetadataStorage()
        .getTargetValidationMetadatas(dto, '', false, false)
        .map((metadata) => metadata.propertyName)
        .filter((property) => documented(dto, property) === undefined)
        .map((property) => `${dto.name}.${property}`),
    );
    expect([...new Set(undocumented)]).toEqual([]);
  });

  it('documents no validated number as a plain number where an integer is required', () => {
    const loose = dtos.flatMap((dto) =>
      getMetadataStorage()
        .getTargetValidationMetadatas(dto, '', false, false)
        .filter((metadata) => metadata.name === 'isInt')
        .filter((metadata) => documented(dto, metadata.propertyName)?.['type'] !== 'integer')
        .map((metadata) => `${dto.name}.${metadata.propertyName}`),
    );
    expect(loose).toEqual([]);
  });
});
