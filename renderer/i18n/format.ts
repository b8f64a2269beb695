import type { Locale } from './resources';

/** Extra options, so tests can pin the time zone; the station shows its own zone. */
type Zone = Pick<Intl.DateTimeFormatOptions, 'timeZone'>;

/**
 * The locale Intl formats in. Chromium's trimmed ICU has no date patterns for Bosnian in
 * Latin script (it writes "2026 M12 7"); Bosnian Latin writes dates, numbers and lists as
 * Serbian Latin of Bosnia does ("7. decembar 2026."), so that is what it borrows.
 */
function intlLocale(locale: Locale): string {
  return locale === 'bs-Latn' ? 'sr-Latn-BA' : locale;
}

/** A date as the officer's language writes it (6. decembar 2026., 6 December 2026, 6. 12. 2026.). */
export function formatDate(date: Date, locale: Locale, zone: Zone = {}): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'long', ...zone }).format(date);
}

/** A time of day in the officer's language, with seconds (status checks run every few seconds). */
export function formatTime(date: Date, locale: Locale, zone: Zone = {}): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { timeStyle: 'medium', ...zone }).format(date);
}

/**
 * A calendar day as the rules write it ('2026-12-06') in the officer's language; the day
 * is the same whatever the station's zone. Anything else (a partial date of birth such as
 * '1974-XX-XX') is shown as it is.
 */
export function formatCalendarDay(isoDay: string, locale: Locale): string {
  const day = new Date(`${isoDay}T00:00:00Z`);
  // Date rolls a day past the month's end over ('2026-02-30' is 2 March): that is not the day given.
  const isThatDay = /^\d{4}-\d{2}-\d{2}$/.test(isoDay) && !Number.isNaN(day.getTime()) && day.toISOString().startsWith(isoDay);
  return isThatDay ? formatDate(day, locale, { timeZone: 'UTC' }) : isoDay;
}

/** A fraction such as a match score, with two decimals (0.95, 0,95). */
export function formatScore(value: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
}

/** Items in a sentence: "a, b and c", "a, b i c". */
export function formatList(items: readonly string[], locale: Locale): string {
  return new Intl.ListFormat(intlLocale(locale), { style: 'long', type: 'conjunction' }).format(items);
}
