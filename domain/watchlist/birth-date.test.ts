import { describe, expect, it } from 'vitest';
import { compareBirthDates, formatBirthDate, packBirthDate } from './birth-date';

const compare = (a: string | undefined, b: string | undefined) => compareBirthDates(packBirthDate(a), packBirthDate(b));

describe('dates of birth compared', () => {
  it.each([
    ['1974-08-12', '1974-08-12', 'exact', 1],
    ['1974-08-12', '1974', 'partial', 0.75],
    ['1974-08-12', '1974-08', 'partial', 0.85],
    ['1974-08-12', '1974-XX-XX', 'partial', 0.75],
    ['1974-08-12', '1974-12-08', 'day-month-swapped', 0.85],
    ['1974-08-12', '1975-08-12', 'one-digit-off', 0.8],
    ['1974-08-12', '1974-08-13', 'one-digit-off', 0.8],
    ['1974-08-12', '1975', 'one-digit-off', 0.6],
    ['1974-08-12', '1984-09-12', 'differs', 0],
    ['1974-08-12', '1990-01-30', 'differs', 0],
    ['1974-08-12', undefined, 'unknown', 0.5],
    [undefined, undefined, 'unknown', 0.5],
  ])('%s against %s: %s', (a, b, agreement, similarity) => {
    expect(compare(a, b)).toEqual({ agreement, similarity });
    expect(compare(b, a)).toEqual({ agreement, similarity });
  });

  it('packs and prints partial dates with X for the unknown parts', () => {
    expect(formatBirthDate(packBirthDate('1974'))).toBe('1974-XX-XX');
    expect(formatBirthDate(packBirthDate('1974-08-12'))).toBe('1974-08-12');
    expect(formatBirthDate(packBirthDate(undefined))).toBe('unknown');
  });
});
