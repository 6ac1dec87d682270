import { registerDecorator, type ValidationOptions } from 'class-validator';

/** The value, written as JSON, is at most `max` characters (bounds free-form JSON objects). */
export function MaxJsonLength(max: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'maxJsonLength',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [max],
      options: { message: `$property must be at most ${max} characters as JSON`, ...options },
      validator: {
        validate: (value: unknown) => {
          try {
            return JSON.stringify(value).length <= max;
          } catch {
            return false;
          }
        },
      },
    });
  };
}
