import { getMetadataStorage, IS_OPTIONAL } from 'class-validator';

/** The @IsOptional properties of a validated class (cached: metadata does not change). */
const optionalPropertiesByClass = new Map<object, ReadonlySet<string>>();

function optionalPropertiesOf(
  type: abstract new (...args: never[]) => unknown,
): ReadonlySet<string> {
  let properties = optionalPropertiesByClass.get(type);
  if (!properties) {
    properties = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(type, '', false, false)
        .filter((metadata) => metadata.name === IS_OPTIONAL)
        .map((metadata) => metadata.propertyName),
    );
    optionalPropertiesByClass.set(type, properties);
  }
  return properties;
}

/**
 * Deletes every `null` an @IsOptional property holds, down through nested DTOs and arrays of
 * them: the validation let it through like a missing value, and handlers then see it as missing
 * (`!== undefined` checks included), as the seed's Pydantic models read `None`. Everywhere a
 * request field may be null the platform means what it means when the field is left out
 * (`face: null` and no `face` both remove a face); a null reaching an update as a value was a
 * NOT NULL violation, a 500.
 */
export function dropOptionalNulls(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) dropOptionalNulls(item);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const optional = optionalPropertiesOf(
    value.constructor as abstract new (...args: never[]) => unknown,
  );
  const record = value as Record<string, unknown>;
  for (const [key, item] of Object.entries(record)) {
    if (item === null && optional.has(key)) delete record[key];
    else dropOptionalNulls(item);
  }
}
