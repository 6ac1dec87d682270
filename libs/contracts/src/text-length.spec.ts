import 'reflect-metadata';
import { validateSync } from 'class-validator';
import { codePointLength, MaxTextLength, TextLength } from './text-length';

class Note {
  @TextLength(2, 5)
  title: unknown;

  @MaxTextLength(3)
  body: unknown = '';
}

function problemsOf(title: unknown, body: unknown = ''): string[] {
  const note = Object.assign(new Note(), { title, body });
  return validateSync(note).flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('codePointLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 1],
    ['e\u0301', 2],
    ['😀', 1],
    ['👍🏽', 2],
    ['a\ufe0f', 2],
    ['\ud83d', 1],
    ['\ude00\ud83d', 2],
    ['x\ud83dy', 3],
  ])('%j has %i code points, as [...text] counts them', (text, expected) => {
    expect(codePointLength(text)).toBe(expected);
    expect(codePointLength(text)).toBe([...text].length);
  });
});

describe('TextLength', () => {
  it('accepts min..max code points, an emoji counting as one', () => {
    expect(problemsOf('ab')).toEqual([]);
    expect(problemsOf('abcde')).toEqual([]);
    expect(problemsOf('😀😀😀😀😀')).toEqual([]);
    expect(problemsOf('😀')).toEqual(['title must be a string of 2 to 5 characters']);
  });

  it('counts a variation selector, as the column does (class-validator did not)', () => {
    expect(problemsOf('abcd\ufe0f')).toEqual([]);
    expect(problemsOf('abcde\ufe0f')).toEqual(['title must be a string of 2 to 5 characters']);
    expect(problemsOf('ab', 'abc\ufe0f')).toEqual([
      'body must be a string of at most 3 characters',
    ]);
  });

  it('refuses what is not a string', () => {
    expect(problemsOf(12345)).toEqual(['title must be a string of 2 to 5 characters']);
    expect(problemsOf(['ab'])).toEqual(['title must be a string of 2 to 5 characters']);
  });

  it('counts a text too long in UTF-16 units by its code points', () => {
    const long = '😀'.repeat(1_000_000);
    class Long {
      @MaxTextLength(1_000_000)
      text = long;
    }
    expect(validateSync(new Long())).toEqual([]);
    expect(validateSync(Object.assign(new Long(), { text: `${long}a` }))).toHaveLength(1);
  });
});
