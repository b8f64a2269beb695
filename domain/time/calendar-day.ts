import { TimeError } from './errors';

/**
 * Calendar days as ISO strings ('YYYY-MM-DD') and as day numbers (days since
 * 1970-01-01). All arithmetic runs on day numbers in UTC, so a day is always 24 hours
 * and summer time or the machine's time zone can never move a date.
 */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil):
 * plain integer arithmetic, because a 90/180 check over ten years of crossings reads
 * thousands of dates and Date objects are slow at it.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function digit(text: string, at: number): number {
  const code = text.charCodeAt(at) - 48;
  return code >= 0 && code <= 9 ? code : Number.NaN;
}

/**
 * Day number of the date written in the first ten characters of `text`, or NaN when
 * they are not a real date. Reads character codes rather than a regular expression:
 * ten years of crossings are thousands of dates per check.
 */
function leadingDayNumber(text: string): number {
  if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return Number.NaN;
  const year = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
  const month = digit(text, 5) * 10 + digit(text, 6);
  const day = digit(text, 8) * 10 + digit(text, 9);
  // 2025-02-30 is a typing error, not 2 March (NaN fails these comparisons too).
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return Number.NaN;
  return daysFromCivil(year, month, day);
}

/** Day number of a calendar day; throws INVALID_DATE for anything that is not a real date. */
export function dayNumber(date: IsoDate): number {
  const day = date.length === 10 ? leadingDayNumber(date) : Number.NaN;
  if (Number.isNaN(day)) {
    throw new TimeError('INVALID_DATE', `"${date}" is not a day of the calendar in the form YYYY-MM-DD`);
  }
  return day;
}

/**
 * The day number of the calendar day on which something recorded at `at` happened
 * (see calendarDayOf): the date written at its start.
 */
export function dayNumberOf(at: string): number {
  const day = at.length === 10 || at.charCodeAt(10) === 84 /* T */ ? leadingDayNumber(at) : Number.NaN;
  if (Number.isNaN(day)) throw new TimeError('INVALID_DATE', `"${at}" does not start with a date YYYY-MM-DD`);
  return day;
}

export function isoDate(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return isoDate(dayNumber(date) + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/**
 * Adds calendar months; a day that does not exist in the target month falls back to
 * that month's last day (2026-11-30 + 3 months = 2027-02-28), the reading that never
 * grants more validity than the document has.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  dayNumber(date);
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1;
  const day = Number(date.slice(8, 10));
  const targetMonthIndex = year * 12 + month + months;
  const targetYear = Math.floor(targetMonthIndex / 12);
  const targetMonth = targetMonthIndex - targetYear * 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return isoDate(Math.round(Date.UTC(targetYear, targetMonth, Math.min(day, lastDay)) / MS_PER_DAY));
}

export function addYears(date: IsoDate, years: number): IsoDate {
  return addMonths(date, years * 12);
}

/**
 * The calendar day on which something recorded at `at` happened: a date is its own
 * day; a timestamp counts on the date written in it (the station's local date when
 * the station records with its own offset, as it should), not on the UTC date, so a
 * crossing at 00:30 local time is not moved to the previous day.
 */
export function calendarDayOf(at: string): IsoDate {
  dayNumberOf(at);
  return at.slice(0, 10);
}

/** Full years of age on a day (a person born on 29 February has a birthday on 1 March in other years). */
export function ageOn(birthDate: IsoDate, onDate: IsoDate): number {
  dayNumber(birthDate);
  dayNumber(onDate);
  const born = { y: Number(birthDate.slice(0, 4)), md: birthDate.slice(5) };
  const on = { y: Number(onDate.slice(0, 4)), md: onDate.slice(5) };
  return on.y - born.y - (on.md < born.md ? 1 : 0);
}
