import type { Locale } from './resources';

/** Extra options, so tests can pin the time zone; the station shows its own zone. */
type Zone = Pick<Intl.DateTimeFormatOptions, 'timeZone'>;

/**
 * The locale Intl formats dates in. Chromium's trimmed ICU has no date patterns for
 * Bosnian in Latin script (it writes "2026 M12 7"); Bosnian Latin writes dates as
 * Serbian Latin of Bosnia does ("7. decembar 2026."), so that is what it borrows.
 */
function dateLocale(locale: Locale): string {
  return locale === 'bs-Latn' ? 'sr-Latn-BA' : locale;
}

/** A date as the officer's language writes it (6. decembar 2026., 6 December 2026, 6. 12. 2026.). */
export function formatDate(date: Date, locale: Locale, zone: Zone = {}): string {
  return new Intl.DateTimeFormat(dateLocale(locale), { dateStyle: 'long', ...zone }).format(date);
}

/** A time of day in the officer's language, with seconds (status checks run every few seconds). */
export function formatTime(date: Date, locale: Locale, zone: Zone = {}): string {
  return new Intl.DateTimeFormat(dateLocale(locale), { timeStyle: 'medium', ...zone }).format(date);
}
