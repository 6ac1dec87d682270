import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, ValidateBy, type ValidationArguments } from 'class-validator';
import { codePointLength } from '@platform/contracts';

/**
 * Never in a name: control characters (tab and line breaks included: a name is one line), the
 * line and paragraph separators, the bidirectional marks, embeddings, overrides and isolates
 * (they make a name read as another one, "Trojan source" style), and the characters that show
 * nothing at all (soft hyphen, zero-width space, word joiner and invisible operators, the
 * Mongolian vowel separator, byte-order mark, Hangul fillers, interlinear annotation marks).
 * Written as explicit ranges, not `\p{...}`: an OpenAPI pattern has no `u` flag.
 */
const FORBIDDEN =
  '\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u115f\\u1160\\u180e\\u200b\\u200e\\u200f' +
  '\\u2028-\\u202e\\u2060-\\u206f\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb';

/**
 * Removed from both ends, kept inside: the spaces (no-break and typographic ones included) and
 * the zero-width joiner and non-joiner (inside a word they shape Persian, Indic scripts and emoji;
 * written as a range, as a lone U+200D in a class reads as joining its neighbours).
 */
const EDGE_SPACES = ' \\u00a0\\u1680\\u2000-\\u200a\\u200c-\\u200d\\u202f\\u205f\\u3000';

/**
 * White space as JavaScript's `\s` and Python's `re` `\s` know it together (they differ on
 * U+001C-U+001F, U+0085 and U+FEFF), for patterns that read the same in every engine.
 */
const WHITE_SPACE =
  '\\t-\\r\\u001c-\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/**
 * One line with no white space at either end (a login, a robot's serial). Written without `\s`
 * and `.`, whose meaning differs between the service's engine and a client's (Python's `.` takes
 * a carriage return), so that the OpenAPI pattern accepts exactly what validation does.
 */
export const TRIMMED_LINE_PATTERN = new RegExp(
  `^[^${WHITE_SPACE}](?:[^\\n\\r\\u2028\\u2029]*[^${WHITE_SPACE}])?$`,
);

/** No forbidden character, and at least one that is neither forbidden nor an edge space. */
export const DISPLAY_NAME_PATTERN = new RegExp(
  `^[^${FORBIDDEN}]*[^${FORBIDDEN}${EDGE_SPACES}][^${FORBIDDEN}]*$`,
);
const SURROUNDING_SPACES = new RegExp(`^[${EDGE_SPACES}]+|[${EDGE_SPACES}]+$`, 'g');
const ANY_FORBIDDEN = new RegExp(`[${FORBIDDEN}]`);

/**
 * The stored form of a name: the spaces around it removed, then Unicode NFC ("é" typed as one code
 * point or as "e" and a combining accent is one name, and one unique key). A text longer than
 * `maxLength` is left as it came, so that the length limit applies to what the client sent, as
 * the document says; NFC is kept only where it does not lengthen the text (a few composition
 * exclusions decompose).
 */
export function normalizeDisplayName(text: string, maxLength: number): string {
  if (codePointLength(text) > maxLength) return text;
  const trimmed = text.replace(SURROUNDING_SPACES, '');
  const composed = trimmed.normalize('NFC');
  return codePointLength(composed) <= codePointLength(trimmed) ? composed : trimmed;
}

function problemOf(value: unknown, maxLength: number): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (codePointLength(value) > maxLength) return `must be at most ${maxLength} characters long`;
  if (ANY_FORBIDDEN.test(value)) {
    return 'must not contain control, line-break, bidirectional-control or invisible characters';
  }
  if (!DISPLAY_NAME_PATTERN.test(value)) return 'must not be blank';
  return undefined;
}

export interface DisplayNameOptions {
  /** Absent is allowed (an update that leaves the name as it is). */
  optional?: boolean;
  description?: string;
}

/**
 * A name people read on a screen (a store, an item, a locker, a passenger): one line of visible
 * text, 1..`maxLength` characters as sent. Stored as {@link normalizeDisplayName} gives it, so
 * "Cafe", " Cafe " and "Cafe\u00a0" are one name, and a name cannot be blank, invisible or spoof
 * another one with bidirectional controls. The document states the same rule (`pattern`).
 */
export function IsDisplayName(
  maxLength: number,
  options: DisplayNameOptions = {},
): PropertyDecorator {
  const documented = {
    type: 'string',
    minLength: 1,
    maxLength,
    pattern: DISPLAY_NAME_PATTERN.source,
    description: [
      options.description,
      'One line of visible text; spaces around it are removed and it is stored in Unicode NFC',
    ]
      .filter(Boolean)
      .join('. '),
  } as const;
  return applyDecorators(
    ...(options.optional
      ? [ApiPropertyOptional(documented), IsOptional()]
      : [ApiProperty(documented)]),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? normalizeDisplayName(value, maxLength) : value,
    ),
    ValidateBy({
      name: 'isDisplayName',
      validator: {
        validate: (value: unknown) => problemOf(value, maxLength) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} ${problemOf(args?.value, maxLength) ?? 'is invalid'}`,
      },
    }),
  );
}
