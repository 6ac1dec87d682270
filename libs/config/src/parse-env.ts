import { type z } from 'zod';

/** Thrown at boot when the environment does not satisfy the service's schema. */
export class ConfigValidationError extends Error {
  constructor(
    readonly serviceName: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Invalid configuration of ${serviceName}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigValidationError';
  }
}

/**
 * Validates the environment against a schema and lists every problem at once (never values, which
 * may be secrets), so a misconfigured deployment fails fast with one readable message.
 */
export function parseEnv<S extends z.ZodType>(
  serviceName: string,
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  // An empty variable means "not set": compose files often pass `VAR=` through.
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(defined);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(root)';
      return issue.code === 'invalid_type' && defined[name] === undefined
        ? `${name}: required but not set`
        : `${name}: ${issue.message}`;
    });
    throw new ConfigValidationError(serviceName, problems);
  }
  return result.data;
}
