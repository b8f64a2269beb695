import { describe, expect, it } from 'vitest';
import { TimeError } from './errors';
import { earliestPossibleDay, latestPossibleDay, parsePartialDate } from './partial-date';

describe('partial dates of birth', () => {
  it.each([
    ['1974', { year: 1974 }],
    ['1974-08', { year: 1974, month: 8 }],
    ['1974-08-12', { year: 1974, month: 8, day: 12 }],
    ['1974-00-00', { year: 1974 }],
    ['1974-XX-XX', { year: 1974 }],
    ['1974-08-xx', { year: 1974, month: 8 }],
    ['XXXX-08-12', { month: 8, day: 12 }],
  ])('reads %s', (text, expected) => {
    expect(parsePartialDate(text)).toEqual(expected);
  });

  it.each(['1974-13', '1974-02-30', '74', '1974/08/12', '1974-08-32'])('rejects %j', (text) => {
    expect(() => parsePartialDate(text)).toThrow(TimeError);
  });

  it.each([
    ['1974', '1974-01-01', '1974-12-31'],
    ['2024-02', '2024-02-01', '2024-02-29'],
    ['1990-05-17', '1990-05-17', '1990-05-17'],
  ])('%s stands for the days from %s to %s', (text, earliest, latest) => {
    const date = parsePartialDate(text);
    expect(earliestPossibleDay(date)).toBe(earliest);
    expect(latestPossibleDay(date)).toBe(latest);
  });

  it('has no possible day without a year', () => {
    expect(earliestPossibleDay(parsePartialDate('XXXX-08-12'))).toBeUndefined();
  });
});
