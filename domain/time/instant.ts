import { TimeError } from './errors';

/**
 * Instants as ISO timestamps. An instant must carry its offset ('Z' or '+01:00'):
 * a timestamp without one means a different moment on every machine, and a deadline
 * of 12 hours cannot be computed from it.
 */
export type IsoInstant = string;

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch; throws INVALID_INSTANT for timestamps without an offset. */
export function instantMs(at: IsoInstant): number {
  if (!ISO_INSTANT.test(at)) {
    throw new TimeError('INVALID_INSTANT', `"${at}" is not a timestamp with an offset, e.g. 2026-03-01T14:00:00+01:00`);
  }
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new TimeError('INVALID_INSTANT', `"${at}" is not a real moment in time`);
  return ms;
}

export function isoInstant(ms: number): IsoInstant {
  return new Date(ms).toISOString();
}

export function addHours(at: IsoInstant, hours: number): IsoInstant {
  return isoInstant(instantMs(at) + hours * MS_PER_HOUR);
}
