import { describe, expect, it } from 'vitest';
import { formatCalendarDay, formatDate, formatList, formatScore, formatTime } from './format';

const utc = { timeZone: 'UTC' };
const stNicholas = new Date(Date.UTC(2026, 11, 6, 14, 5, 9));

describe('dates and times per locale', () => {
  it.each([
    ['en', 'December 6, 2026'],
    ['hr', '6. prosinca 2026.'],
    ['bs-Latn', '6. decembar 2026.'],
    // CLDR writes the Bosnian Cyrillic day with two digits; the Latin one with one.
    ['bs-Cyrl', '06. децембар 2026.'],
    ['sr-Latn', '6. decembar 2026.'],
    ['sr-Cyrl', '6. децембар 2026.'],
  ] as const)('writes a date in %s as %s', (locale, expected) => {
    expect(formatDate(stNicholas, locale, utc)).toBe(expected);
  });

  it.each([
    ['en', '2:05:09 PM'],
    ['hr', '14:05:09'],
    ['sr-Cyrl', '14:05:09'],
  ] as const)('writes a time in %s as %s', (locale, expected) => {
    expect(formatTime(stNicholas, locale, utc).replace(/\u202f/g, ' ')).toBe(expected);
  });

  it.each([
    ['en', '2026-12-06', 'December 6, 2026'],
    ['sr-Cyrl', '2026-12-06', '6. децембар 2026.'],
    ['hr', '2026-01-01', '1. siječnja 2026.'],
    ['en', '1974-XX-XX', '1974-XX-XX'],
    ['en', '2026-02-30', '2026-02-30'],
  ] as const)('writes the calendar day %s %s as %s, whatever the zone', (locale, day, expected) => {
    expect(formatCalendarDay(day, locale)).toBe(expected);
  });

  it.each([
    ['en', '0.95', 'a, b, and c'],
    ['bs-Latn', '0,95', 'a, b i c'],
    ['hr', '0,95', 'a, b i c'],
    ['sr-Cyrl', '0,95', 'a, b и c'],
  ] as const)('writes a score and a list in %s', (locale, score, list) => {
    expect(formatScore(0.95, locale)).toBe(score);
    expect(formatList(['a', 'b', 'c'], locale)).toBe(list);
  });
});
