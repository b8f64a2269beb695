import { describe, expect, it } from 'vitest';
import { parseMrz } from './parse';

const today = new Date(2025, 5, 1);
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];

function linesRead(input: unknown): string[] | string {
  const result = parseMrz(input, { today });
  return result.ok ? result.document.lines : result.error.code;
}

describe('tolerant input', () => {
  it.each([
    ['lines given as a list', TD3],
    ['LF between lines', TD3.join('\n')],
    ['CRLF between lines', TD3.join('\r\n')],
    ['CR alone between lines', TD3.join('\r')],
    ['blank lines and surrounding whitespace', `\n\n   ${TD3[0]}  \n\n\t${TD3[1]}\n\n`],
    ['stray spaces inside the lines', TD3.map((l) => l.replace(/(.{4})/g, '$1 ')).join('\n')],
    ['one long line holding the whole zone', TD3.join('')],
    ['lower case (Caps Lock on a wedge reader)', TD3.join('\n').toLowerCase()],
    ['« from a word processor for <', TD3.join('\n').replaceAll('<', '«')],
    ['‹ for <', TD3.join('\n').replaceAll('<', '‹')],
    ['fullwidth ＜ for <', TD3.join('\n').replaceAll('<', '＜')],
    ['; typed for < on a QWERTZ layout', TD3.join('\n').replaceAll('<', ';')],
    ['a byte-order mark and no-break spaces', `\uFEFF${TD3[0]}\u00A0\n${TD3[1]}`],
  ])('reads a zone with %s', (_case, input) => {
    expect(linesRead(input)).toEqual(TD3);
  });

  it('reads a TD1 card given as one line of 90', () => {
    expect(linesRead(TD1.join(''))).toEqual(TD1);
  });

  it('re-splits a zone whose line breaks are misplaced, and says so', () => {
    const text = TD3.join('');
    const result = parseMrz(`${text.slice(0, 40)}\n${text.slice(40)}`, { today });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.document.lines).toEqual(TD3);
    expect(result.document.valid).toBe(true);
    expect(result.document.warnings.map((w) => w.code)).toContain('LINES_REJOINED');
  });

  it('does not warn about a zone given as one long line, a form readers use', () => {
    const result = parseMrz(TD3.join(''), { today });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.document.warnings).toEqual([]);
  });
});

describe('unusable input', () => {
  it.each([
    ['null', null, 'NOT_TEXT'],
    ['undefined', undefined, 'NOT_TEXT'],
    ['a number', 42, 'NOT_TEXT'],
    ['an object', { lines: TD3 }, 'NOT_TEXT'],
    ['a list holding a non-string', [TD3[0], 7], 'NOT_TEXT'],
    ['an empty string', '', 'EMPTY'],
    ['only whitespace', ' \n\t\r\n ', 'EMPTY'],
    ['an empty list', [], 'EMPTY'],
    ['a megabyte of text', 'A'.repeat(1_000_000), 'TOO_LONG'],
    ['characters outside the MRZ set', TD3.join('\n').replace('ERIKSSON', 'ERIKSSÖN'), 'BAD_CHARACTERS'],
    ['a line of the wrong length', [TD3[0], `${TD3[1]}<`], 'UNKNOWN_FORMAT'],
    ['a single line of text', 'HELLO', 'UNKNOWN_FORMAT'],
  ])('refuses %s with a code saying why', (_case, input, code) => {
    const result = parseMrz(input, { today });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message.length).toBeGreaterThan(10);
  });

  it('points the officer at the offending character', () => {
    const result = parseMrz(TD3.join('\n').replace('ERIKSSON', 'ERIKSSÖN'), { today });
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringContaining('line 1, position 12') } });
  });

  it('reports an input that throws when read instead of throwing', () => {
    const hostile = new Proxy([], {
      get() {
        throw new Error('no');
      },
    });
    expect(parseMrz(hostile, { today })).toMatchObject({ ok: false, error: { code: 'NOT_TEXT' } });
  });

  it('refuses a reference day that is not a date', () => {
    expect(parseMrz(TD3, { today: new Date('nonsense') })).toMatchObject({ ok: false, error: { code: 'BAD_OPTIONS' } });
  });
});
