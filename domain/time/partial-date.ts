import { TimeError } from './errors';
import { dayNumber } from './calendar-day';

/**
 * A date of birth as the source knows it: alerts and some documents hold only a year,
 * or a year and month, or mark an unknown day or month with 00 or XX.
 */
export interface PartialDate {
  year?: number;
  month?: number;
  day?: number;
}

const PARTIAL_DATE = /^(\d{4}|XXXX|0000)(?:-(\d{2}|XX)(?:-(\d{2}|XX))?)?$/i;

function part(text: string | undefined): number | undefined {
  if (text === undefined || /^x+$/i.test(text)) return undefined;
  const value = Number(text);
  return value === 0 ? undefined : value;
}

/** Reads 'YYYY', 'YYYY-MM', 'YYYY-MM-DD', with 00 or XX for unknown parts. */
export function parsePartialDate(text: string): PartialDate {
  const match = PARTIAL_DATE.exec(text.trim());
  if (!match) {
    throw new TimeError('INVALID_PARTIAL_DATE', `"${text}" is not a date like 1974, 1974-08, 1974-08-12 or 1974-XX-XX`);
  }
  const year = part(match[1]);
  const month = part(match[2]);
  const day = part(match[3]);
  if (month !== undefined && (month < 1 || month > 12)) {
    throw new TimeError('INVALID_PARTIAL_DATE', `"${text}" has no month ${month}`);
  }
  if (year !== undefined && month !== undefined && day !== undefined) {
    dayNumber(`${match[1]}-${match[2]}-${match[3]}`);
  } else if (day !== undefined && day > 31) {
    throw new TimeError('INVALID_PARTIAL_DATE', `"${text}" has no day ${day}`);
  }
  const date: PartialDate = {};
  if (year !== undefined) date.year = year;
  if (month !== undefined) date.month = month;
  if (day !== undefined) date.day = day;
  return date;
}

/**
 * The first and last calendar day a partial date can stand for. A rule that must hold
 * whatever the unknown part is judges on the cautious bound: a child born in "2014" is
 * certainly under 12 only if a birth on the earliest day, 1 January 2014, still is.
 */
export function latestPossibleDay(date: PartialDate): string | undefined {
  if (date.year === undefined) return undefined;
  const year = String(date.year).padStart(4, '0');
  const month = date.month ?? 12;
  const lastOfMonth = new Date(Date.UTC(date.year, month, 0)).getUTCDate();
  const day = date.day ?? lastOfMonth;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function earliestPossibleDay(date: PartialDate): string | undefined {
  if (date.year === undefined) return undefined;
  const year = String(date.year).padStart(4, '0');
  return `${year}-${String(date.month ?? 1).padStart(2, '0')}-${String(date.day ?? 1).padStart(2, '0')}`;
}
