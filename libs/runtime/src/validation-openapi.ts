import { UUID_PATTERN } from '@platform/http';
import { getMetadataStorage, IS_OPTIONAL, ValidationTypes } from 'class-validator';

/** Where @nestjs/swagger keeps each property's `@ApiProperty` options (`DECORATORS`). */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

type Fragment = Record<string, unknown>;

/** A DTO class: class-validator keys its metadata by the constructor. */
type DtoClass = abstract new (...args: never[]) => unknown;

/** What the document needs of a class-validator metadata entry. */
interface Constraint {
  type: string;
  name?: string;
  propertyName: string;
  constraints?: unknown[];
  each?: boolean;
}

const number = (value: unknown) => (typeof value === 'number' ? value : undefined);

/**
 * The OpenAPI each class-validator constraint amounts to, by the constraint's name. Constraints
 * not listed (custom ones, `isNotEmpty`, ...) add nothing: a custom decorator documents itself
 * (an `@ApiProperty` of its own), or the DTO's `@ApiProperty` says it.
 */
const FRAGMENTS: Record<string, (constraints: unknown[]) => Fragment | undefined> = {
  isString: () => ({ type: 'string' }),
  isInt: () => ({ type: 'integer' }),
  isNumber: () => ({ type: 'number' }),
  isBoolean: () => ({ type: 'boolean' }),
  min: ([value]) => ({ minimum: number(value) }),
  max: ([value]) => ({ maximum: number(value) }),
  // TextLength/MaxTextLength (@platform/contracts): code points, as these keywords count.
  textLength: ([min, max]) => ({
    minLength: min === 0 ? undefined : number(min),
    maxLength: number(max),
  }),
  isUuid: () => ({ format: 'uuid', pattern: UUID_PATTERN }),
  isDateTime: () => ({ format: 'date-time' }),
  isBase64: () => ({ format: 'byte' }),
  // A pattern with flags (i, u, s, ...) has no OpenAPI form: left to the DTO's description.
  matches: ([pattern, modifiers]) =>
    pattern instanceof RegExp && pattern.flags === '' && modifiers === undefined
      ? { pattern: pattern.source }
      : undefined,
  isIn: ([values]) => (Array.isArray(values) ? { enum: [...values] } : undefined),
  arrayMinSize: ([value]) => ({ minItems: number(value) }),
  arrayMaxSize: ([value]) => ({ maxItems: number(value) }),
};

/** Array-level constraints; every other one applies to the value, or to each item with `each`. */
const ARRAY_CONSTRAINTS = new Set(['arrayMinSize', 'arrayMaxSize', 'isArray']);

function withoutUndefined(fragment: Fragment): Fragment {
  return Object.fromEntries(Object.entries(fragment).filter(([, value]) => value !== undefined));
}

/**
 * The `@ApiProperty` options one property's validation amounts to, merged over what the DTO
 * declared: the validation is what runs, so where the two differ the validation wins.
 */
export function propertySchemaOf(declared: Fragment, constraints: readonly Constraint[]): Fragment {
  const merged: Fragment = { ...declared };
  const isArray = declared['isArray'] === true;
  let integer = false;
  for (const constraint of constraints) {
    if (constraint.type !== ValidationTypes.CUSTOM_VALIDATION || !constraint.name) continue;
    const fragment = FRAGMENTS[constraint.name]?.(constraint.constraints ?? []);
    if (!fragment) continue;
    const arrayLevel = ARRAY_CONSTRAINTS.has(constraint.name);
    // On an array, a value constraint without `each` validates the array itself: not an item's.
    if (isArray && !arrayLevel && !constraint.each) continue;
    if (!isArray && arrayLevel) continue;
    const { enum: values, ...rest } = withoutUndefined(fragment);
    if (rest['type'] === 'integer') integer = true;
    if (rest['type'] === 'number' && integer) delete rest['type'];
    Object.assign(merged, rest);
    if (values !== undefined) {
      // Swagger puts an array's item enum under `items` (as `@ApiProperty({enum, isArray})` does).
      if (isArray) {
        const items = (merged['items'] as Fragment | undefined) ?? {};
        merged['items'] = { type: 'string', ...items, enum: values };
      } else {
        merged['enum'] = values;
      }
    }
  }
  // Optional (or conditional) only where the validation lets the value be missing.
  merged['required'] = !constraints.some(
    (constraint) => constraint.type === ValidationTypes.CONDITIONAL_VALIDATION,
  );
  // @IsOptional skips the other checks for null as for a missing value: null is accepted.
  if (constraints.some((constraint) => constraint.name === IS_OPTIONAL)) merged['nullable'] = true;
  return merged;
}

/** Every class that carries class-validator constraints (the storage has no public list). */
function validatedClasses(): DtoClass[] {
  const storage = getMetadataStorage() as unknown as { validationMetadatas?: unknown };
  const byTarget = storage.validationMetadatas;
  if (!(byTarget instanceof Map)) {
    throw new Error(
      'class-validator changed its metadata storage (no validationMetadatas map): ' +
        'documentValidationConstraints needs updating',
    );
  }
  return [...byTarget.keys()].filter((key): key is DtoClass => typeof key === 'function');
}

/**
 * Writes what class-validator enforces into the `@ApiProperty` metadata of every validated
 * property that is documented, before SwaggerModule builds a document: request bodies and query
 * DTOs then say `type: integer` with `minimum`/`maximum`, `minLength`/`maxLength`, `format`
 * (`uuid`, `date-time`, `byte`), `pattern`, `enum`, `minItems`/`maxItems` and whether the field is
 * required, exactly as the ValidationPipe checks them (no groups). Idempotent. Properties without
 * `@ApiProperty` are left out of the document, as before.
 */
export function documentValidationConstraints(): void {
  const storage = getMetadataStorage();
  for (const target of validatedClasses()) {
    const byProperty = new Map<string, Constraint[]>();
    for (const metadata of storage.getTargetValidationMetadatas(target, '', false, false)) {
      const list = byProperty.get(metadata.propertyName) ?? [];
      list.push(metadata as Constraint);
      byProperty.set(metadata.propertyName, list);
    }
    for (const [property, constraints] of byProperty) {
      const declared = Reflect.getMetadata(API_MODEL_PROPERTIES, target.prototype, property) as
        Fragment | undefined;
      if (!declared) continue;
      Reflect.defineMetadata(
        API_MODEL_PROPERTIES,
        propertySchemaOf(declared, constraints),
        target.prototype,
        property,
      );
    }
  }
}
