import { isUtf8 } from 'node:buffer';
import { DomainError } from '@platform/errors';
import { JSON_MEDIA_TYPE, mediaTypeOf } from './body-media-type';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';

/** Malformed JSON, or a body that could not be read. */
export const MALFORMED_BODY = 'MALFORMED_BODY';
/** JSON nested deeper than {@link MAX_JSON_DEPTH}. */
export const BODY_TOO_DEEP = 'BODY_TOO_DEEP';
/** U+0000 or an unpaired surrogate: Postgres text cannot store either. */
export const INVALID_CHARACTER = 'INVALID_CHARACTER';
/** Same code as the validation pipe's, so an unknown field is one kind of error for clients. */
const VALIDATION_FAILED = 'VALIDATION_FAILED';

/**
 * Deepest nesting of a JSON body. Our DTOs nest a few levels; the bound keeps recursive code
 * (class-transformer, class-validator, this walker) far from the stack limit.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Keys that reach an object's prototype when a library copies properties by assignment
 * (class-transformer does). JSON.parse keeps them as own keys, so they are refused here like any
 * other unknown field.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Postgres `text` cannot hold U+0000, and an unpaired surrogate has no UTF-8 form (pg would
 * silently store U+FFFD instead).
 */
function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !UNPAIRED_SURROGATE.test(text);
}

function invalidCharacter(where: string): DomainError {
  return new DomainError(
    'invalid_input',
    INVALID_CHARACTER,
    `${where} contains a character that cannot be stored (U+0000 or an unpaired surrogate)`,
  );
}

function pathOf(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/**
 * The first reason to refuse a parsed JSON value before any handler sees it, or null: too deep,
 * a prototype key, or text Postgres cannot store. Paths are named the way the validation pipe
 * names them (`seats[2].name`).
 */
export function problemInJson(value: unknown, path = '', depth = 0): DomainError | null {
  if (typeof value === 'string') {
    return isStorableText(value) ? null : invalidCharacter(path || 'the body');
  }
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  if (depth >= MAX_JSON_DEPTH) {
    return new DomainError(
      'invalid_input',
      BODY_TOO_DEEP,
      `Request body is nested deeper than ${MAX_JSON_DEPTH} levels`,
    );
  }
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  for (const [key, item] of entries) {
    const itemPath = pathOf(path, key);
    if (typeof key === 'string') {
      if (PROTOTYPE_KEYS.has(key)) {
        return new DomainError(
          'invalid_input',
          VALIDATION_FAILED,
          `${itemPath}: the key "${key}" is refused at any depth of a body, free-form objects included (it reaches an object's prototype when copied)`,
        );
      }
      if (!isStorableText(key)) {
        return invalidCharacter(`the key of ${itemPath}`);
      }
    }
    const problem = problemInJson(item, itemPath, depth + 1);
    if (problem) return problem;
  }
  return null;
}

/** `null`, `1`, `"x"`: JSON, but what body-parser's strict mode refuses as a body. */
function isJsonScalar(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  try {
    const value: unknown = JSON.parse(text);
    return value === null || typeof value !== 'object';
  } catch {
    return false;
  }
}

/** body-parser's own errors (`{status, type}`) as the platform's codes. */
function bodyParserFailure(error: unknown): DomainError | null {
  if (typeof error !== 'object' || error === null) return null;
  const { status, type } = error as { status?: unknown; type?: unknown };
  if (typeof status !== 'number' || typeof type !== 'string') return null;
  if (status === 413) {
    return new DomainError('payload_too_large', 'PAYLOAD_TOO_LARGE', 'Request body is too large');
  }
  if (type === 'entity.verify.failed') {
    return new DomainError('invalid_input', INVALID_CHARACTER, 'Request body is not valid UTF-8');
  }
  if (type === 'entity.parse.failed') {
    return new DomainError(
      'invalid_input',
      MALFORMED_BODY,
      isJsonScalar((error as { body?: unknown }).body)
        ? 'Request body must be a JSON object or array'
        : 'Request body is not valid JSON',
    );
  }
  if (status === 400) {
    return new DomainError('invalid_input', MALFORMED_BODY, 'Request body could not be read');
  }
  // 415 (charset or content encoding not supported) keeps its own status.
  return null;
}

/**
 * The JSON body parser of every service: malformed, oversized and non-UTF-8 bodies get the platform's codes
 * (not the parser's text), and a parsed body is checked by {@link problemInJson}. A body that
 * names no media type is read as JSON ({@link mediaTypeOf}); one of another type is left to the
 * route, which refuses it unless it reads it ({@link BodyMediaTypeInterceptor}).
 */
export function jsonBodyParser(limit: string): RequestHandler {
  const parse = express.json({
    limit,
    type: (req) => mediaTypeOf(req) === JSON_MEDIA_TYPE,
    // JSON between systems is UTF-8 (RFC 8259 §8.1). The decoder would turn broken or overlong
    // sequences into U+FFFD, and that text would be stored as if it had been sent.
    verify: (_req, _res, body, encoding) => {
      if (encoding === 'utf-8' && !isUtf8(body)) throw new Error('invalid UTF-8');
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    parse(req, res, (error?: unknown) => {
      if (error !== undefined && error !== null) {
        next(bodyParserFailure(error) ?? error);
        return;
      }
      next(problemInJson(req.body) ?? undefined);
    });
  };
}

/**
 * `%00` anywhere in the URL: path parameters are decoded only later, by the router, and a query
 * value can hold U+0000 no other way (an invalid UTF-8 escape decodes to U+FFFD, never to an
 * unpaired surrogate).
 */
export function refuseNulInUrl(req: Request, _res: Response, next: NextFunction): void {
  next(/%00/i.test(req.url) ? invalidCharacter('the URL') : undefined);
}
