import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeCheckDigit } from './checkDigit';

describe('check digits (ICAO 9303 Part 3, 4.9)', () => {
  it.each([
    ['L898902C3', 6, 'the TD3 specimen document number'],
    ['740812', 2, 'the specimen birth date'],
    ['120415', 9, 'the specimen expiry date'],
    ['ZE184226B<<<<<', 1, 'the specimen personal number, fillers counting 0'],
    ['D23145890734', 9, 'the long TD1 specimen document number'],
    ['520727', 3, 'the worked example of Part 3'],
    ['', 0, 'nothing at all'],
  ])('gives %s the digit %i (%s)', (text, digit) => {
    expect(computeCheckDigit(text)).toBe(digit);
  });

  it('counts the filler as 0 and letters as 10-35', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<') }), (text) => {
        const expected =
          [...text].reduce((sum, c, i) => {
            const value = c === '<' ? 0 : /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
            return sum + value * ([7, 3, 1][i % 3] ?? 0);
          }, 0) % 10;
        expect(computeCheckDigit(text)).toBe(expected);
      }),
    );
  });

  it('catches any single changed digit, the weights being prime to 10', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1 }), fc.nat(), fc.integer({ min: 1, max: 9 }), (text, at, shift) => {
        const i = at % text.length;
        const changed = text.slice(0, i) + String((Number(text.charAt(i)) + shift) % 10) + text.slice(i + 1);
        expect(computeCheckDigit(changed)).not.toBe(computeCheckDigit(text));
      }),
    );
  });
});
