import type { Locale } from '../../i18n/resources';

// The table's date column is narrow: a short date and time in the station's own zone
// (format.ts's long dates are for documents and panels, where there is room).
const shortFormats = new Map<Locale, Intl.DateTimeFormat>();

/** A registration's arrival or a crossing's time as the officer's language writes it short (06.12.2026. 14:05). */
export function formatDateTime(ms: number, locale: Locale): string {
  let format = shortFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
    shortFormats.set(locale, format);
  }
  return format.format(new Date(ms));
}

/** The start of a calendar day the officer picked ('2026-12-06'), in the station's own zone, as epoch ms. */
export function startOfLocalDay(isoDate: string): number {
  return new Date(`${isoDate}T00:00:00`).getTime();
}

/** The start of the day after, so that a period "to 6 December" takes in all of that day. */
export function startOfNextLocalDay(isoDate: string): number {
  const day = new Date(`${isoDate}T00:00:00`);
  day.setDate(day.getDate() + 1);
  return day.getTime();
}
