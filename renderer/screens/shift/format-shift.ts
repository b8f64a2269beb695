import type { Locale } from '../../i18n/resources';

/** An hour of the day as the officer's language writes it (14:00, 2:00 PM), for the charts by hour. */
export function formatHour(epochMs: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(epochMs));
}

/** A date with its time, short, for the report's period and the unsent list. */
export function formatDateTime(epochMs: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(epochMs));
}

/** The hour of the day alone, two digits (08, 14), under a column of the chart by hour. */
export function hourOfDay(epochMs: number): string {
  return String(new Date(epochMs).getHours()).padStart(2, '0');
}
