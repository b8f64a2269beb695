import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, addYears, ageOn, calendarDayOf, dayNumber, daysBetween, isoDate } from './calendar-day';
import { TimeError } from './errors';

describe('calendar days', () => {
  it.each([
    ['1970-01-01', 0],
    ['1970-01-02', 1],
    ['1969-12-31', -1],
    ['2024-02-29', 19782],
    ['2000-03-01', 11017],
  ])('numbers %s as day %i', (date, day) => {
    expect(dayNumber(date)).toBe(day);
    expect(isoDate(day)).toBe(date);
  });

  it.each(['2025-02-29', '2026-13-01', '2026-04-31', '26-01-01', '2026-1-1', ''])('rejects %j as not a day of the calendar', (date) => {
    expect(() => dayNumber(date)).toThrow(TimeError);
    expect(() => dayNumber(date)).toThrow(expect.objectContaining({ code: 'INVALID_DATE' }));
  });

  it('steps over leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it.each([
    ['2026-11-30', 3, '2027-02-28'],
    ['2027-11-30', 3, '2028-02-29'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-05-15', -6, '2025-11-15'],
    ['2026-12-01', 1, '2027-01-01'],
  ])('adds months to %s + %i = %s, falling back to the last day of a short month', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('moves a 29 February back to 28 February in a year without one', () => {
    expect(addYears('2024-02-29', -10)).toBe('2014-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });

  it.each([
    ['2026-03-01', '2026-03-01'],
    ['2026-03-01T00:30:00+01:00', '2026-03-01'],
    ['2026-02-28T23:30:00Z', '2026-02-28'],
  ])('takes the day of %s as the date written in it', (at, day) => {
    expect(calendarDayOf(at)).toBe(day);
  });

  it.each([
    ['2014-05-10', '2026-05-09', 11],
    ['2014-05-10', '2026-05-10', 12],
    ['2012-02-29', '2024-02-28', 11],
    ['2012-02-29', '2024-02-29', 12],
    ['2012-02-29', '2023-03-01', 11],
  ])('a person born %s is %i on %s', (born, on, age) => {
    expect(ageOn(born, on)).toBe(age);
  });

  it('round-trips every day number through its date', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (day) => dayNumber(isoDate(day)) === day),
    );
  });
});
