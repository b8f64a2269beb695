/**
 * MRZ dates are YYMMDD; the century is not printed and is inferred against a
 * reference day (the officer's today):
 * - birth: the latest century that does not put the birth after today, so a
 *   holder is never older than 99 years and 364 days;
 * - expiry: the year falls in [today - 69, today + 30]; no travel document is
 *   valid for more than 30 years, and an expiry further back than 69 years is
 *   not a date the parser needs to tell from its future twin.
 * ICAO lets a birth date whose day or month is unknown carry fillers (`74<<<<`,
 * `7408<<`): those become ISO partial dates (`1974`, `1974-08`).
 */

export interface ReferenceDay {
  year: number;
  month: number;
  day: number;
}

/** The calendar day of `date` on the station's clock, which is the officer's day. */
export function referenceDayOf(date: Date): ReferenceDay {
  return { year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate() };
}

export type DateReading =
  | { kind: 'date'; iso: string }
  | { kind: 'partial'; iso: string }
  | { kind: 'unknown' }
  | { kind: 'invalid' };

const UNKNOWN: DateReading = { kind: 'unknown' };
const INVALID: DateReading = { kind: 'invalid' };

const EXPIRY_YEARS_AHEAD = 30;
const CENTURY = 100;

const FILLER = -2;
const NOT_A_DIGIT = -1;

function digitAt(text: string, offset: number): number {
  const code = text.charCodeAt(offset);
  if (code >= 48 && code <= 57) return code - 48;
  return code === 60 ? FILLER : NOT_A_DIGIT;
}

/** Two positions read as a number 0-99, FILLER when both are `<`, NOT_A_DIGIT otherwise. */
function pairAt(text: string, offset: number): number {
  const tens = digitAt(text, offset);
  const units = digitAt(text, offset + 1);
  if (tens >= 0 && units >= 0) return tens * 10 + units;
  return tens === FILLER && units === FILLER ? FILLER : NOT_A_DIGIT;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day <= days;
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

function isoYear(year: number): string {
  return String(year).padStart(4, '0');
}

export function readBirthDate(text: string, offset: number, today: ReferenceDay): DateReading {
  const yy = pairAt(text, offset);
  const mm = pairAt(text, offset + 2);
  const dd = pairAt(text, offset + 4);
  if (yy === FILLER && mm === FILLER && dd === FILLER) return UNKNOWN;
  if (yy < 0 || mm === NOT_A_DIGIT || dd === NOT_A_DIGIT) return INVALID;
  if (mm === FILLER && dd !== FILLER) return INVALID;
  const base = today.year - (today.year % CENTURY);
  let year = base + yy;
  // Unknown parts compare as their earliest value, so a partial date is never pushed into the future.
  const month = mm === FILLER ? 1 : mm;
  const day = dd === FILLER ? 1 : dd;
  if (isAfter(year, month, day, today)) year -= CENTURY;
  if (mm === FILLER) return { kind: 'partial', iso: isoYear(year) };
  if (mm < 1 || mm > 12) return INVALID;
  if (dd === FILLER) return { kind: 'partial', iso: `${isoYear(year)}-${twoDigits(mm)}` };
  if (!isCalendarDate(year, mm, dd)) return INVALID;
  return { kind: 'date', iso: `${isoYear(year)}-${twoDigits(mm)}-${twoDigits(dd)}` };
}

export function readExpiryDate(text: string, offset: number, today: ReferenceDay): DateReading {
  const yy = pairAt(text, offset);
  const mm = pairAt(text, offset + 2);
  const dd = pairAt(text, offset + 4);
  if (yy === FILLER && mm === FILLER && dd === FILLER) return UNKNOWN;
  if (yy < 0 || mm < 0 || dd < 0) return INVALID;
  const base = today.year - (today.year % CENTURY);
  let year = base + yy;
  if (year > today.year + EXPIRY_YEARS_AHEAD) year -= CENTURY;
  else if (year <= today.year + EXPIRY_YEARS_AHEAD - CENTURY) year += CENTURY;
  if (!isCalendarDate(year, mm, dd)) return INVALID;
  return { kind: 'date', iso: `${isoYear(year)}-${twoDigits(mm)}-${twoDigits(dd)}` };
}

function isAfter(year: number, month: number, day: number, today: ReferenceDay): boolean {
  if (year !== today.year) return year > today.year;
  if (month !== today.month) return month > today.month;
  return day > today.day;
}

/**
 * The six MRZ characters for an ISO date (`YYYY-MM-DD`, or `YYYY-MM` / `YYYY`
 * for a birth date with unknown parts), or null when it is none of these.
 */
export function toMrzDate(iso: string): string | null {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(iso);
  if (match === null) return null;
  const [, year = '', month, day] = match;
  if (month !== undefined && day !== undefined && !isCalendarDate(Number(year), Number(month), Number(day))) {
    return null;
  }
  if (month !== undefined && (Number(month) < 1 || Number(month) > 12)) return null;
  return year.slice(2) + (month ?? '<<') + (day ?? '<<');
}
