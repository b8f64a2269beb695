import { z } from 'zod';
import type { RequestEntries } from '../api/contract';

/** The longest period one summary covers: a day, so that the chart by hour stays readable. */
export const SHIFT_PERIOD_MAX_MS = 24 * 3_600_000;
/** The period a summary covers when the supervisor names none: the last 12 hours (one shift). */
export const SHIFT_PERIOD_DEFAULT_MS = 12 * 3_600_000;
/** At most this many unsent records are listed one by one (the counts are always whole). */
export const UNSENT_LISTED_MAX = 200;

const epochMs = z.number().int().min(0);

/**
 * The period of a summary: `from` and `to` in epoch ms; `to` defaults to now and `from` to
 * 12 hours before `to`.
 */
const shiftSummaryInput = z
  .object({ from: epochMs.optional(), to: epochMs.optional() })
  .strict()
  .refine((period) => period.from === undefined || period.to === undefined || period.from < period.to, { message: 'The period must end after it starts.', path: ['to'] })
  .refine((period) => period.from === undefined || period.to === undefined || period.to - period.from <= SHIFT_PERIOD_MAX_MS, {
    message: 'A shift summary covers at most 24 hours.',
    path: ['from'],
  });

const countByCode = z.object({ code: z.string(), count: z.number().int() });
/** One hour of the period: the epoch ms at which it starts, and what happened in it. */
const countByHour = z.object({ hourStart: epochMs, count: z.number().int() });

export const shiftSummarySchema = z.object({
  /** The period counted, in epoch ms, `to` excluded. */
  from: epochMs,
  to: epochMs,
  /** Records made at this station in the period (createdAt, the station's clock). */
  registrations: z.object({
    /** Registrations in force (cancelled ones left out). */
    total: z.number().int(),
    cancelled: z.number().int(),
    byNationality: z.array(countByCode),
    byHour: z.array(countByHour),
  }),
  crossings: z.object({
    /** Crossings as they stand: a corrected crossing counts once, as its correction. */
    total: z.number().int(),
    entries: z.number().int(),
    exits: z.number().int(),
    refused: z.number().int(),
    corrections: z.number().int(),
    byNationality: z.array(countByCode),
    byHour: z.array(countByHour),
  }),
  /** Refused crossings by reason code A–I (one crossing can give several): every code, zeros too. */
  refusalsByReason: z.array(countByCode),
  watchlist: z.object({
    /** Crossings whose stored checks have a failed watchlist check (a hit). */
    crossingsWithHit: z.number().int(),
    /** Document look-ups at the counter (person.lookup in the audit trail) and those that found watchlist candidates. */
    lookups: z.number().int(),
    lookupsWithCandidates: z.number().int(),
  }),
  /** Per officer of the station: what each recorded in the period. */
  officers: z.array(z.object({ officerId: z.string(), name: z.string().nullable(), registrations: z.number().int(), crossings: z.number().int() })),
});

export type ShiftSummary = z.infer<typeof shiftSummarySchema>;

const syncFailureView = z.object({ code: z.string(), message: z.string(), at: z.string() });

export const shiftUnsentSchema = z.object({
  /** The sync state now, and why sync cannot run at all (no server, no credential). */
  syncState: z.enum(['not-configured', 'idle', 'syncing', 'failing']),
  syncProblem: z.string().nullable(),
  /** Every station collection with its count of unsent records and its last failure. */
  collections: z.array(z.object({ collection: z.string(), pending: z.number().int(), lastFailure: syncFailureView.nullable() })),
  /** The unsent records, oldest first, at most UNSENT_LISTED_MAX: ids, kinds and times, never a person's data. */
  records: z.array(
    z.object({
      collection: z.string(),
      id: z.string(),
      officerId: z.string(),
      createdAt: epochMs,
      /** The last change (an amended registration); createdAt for records that never change. */
      changedAt: epochMs,
      /**
       * Why it is still here: the server refused this very record (refused true), or the
       * collection's last sync failed; null when nothing failed (it goes with the next sync).
       */
      reason: syncFailureView.extend({ refused: z.boolean() }).nullable(),
    }),
  ),
});

export type ShiftUnsent = z.infer<typeof shiftUnsentSchema>;

/** The shift workflow's requests (spread into main/api/contract.ts). */
export const shiftRequests = {
  /** The shift's numbers: registrations and crossings by nationality and by hour, refusals by reason, watchlist hits; counts only (not audited). */
  'shift.summary': { role: 'supervisor', input: shiftSummaryInput, output: shiftSummarySchema },
  /** The records the server has not confirmed yet, with why; record ids and times only (not audited). */
  'shift.unsent': { role: 'supervisor', input: z.object({}).strict(), output: shiftUnsentSchema },
} as const satisfies RequestEntries;
