import { z } from 'zod';
import { rulesSchema } from '../../domain/rules';
import type { RequestEntries } from '../api/contract';

const noInput = z.object({}).strict();

/** This station as the reference data describes it; null fields until the server's stations list is pulled. */
export const stationDetailsSchema = z.object({
  stationId: z.string().nullable(),
  /** Null when the stations list has not been pulled yet, or does not name this station. */
  name: z.string().nullable(),
  kind: z.enum(['police-station', 'border-crossing']).nullable(),
  municipality: z.string().nullable(),
  crossingPointCode: z.string().nullable(),
});
export type StationDetails = z.infer<typeof stationDetailsSchema>;

export const codeListEntryViewSchema = z.object({
  list: z.string(),
  code: z.string(),
  /** The label in each language the list has; English is always there. */
  labels: z.object({ en: z.string(), bs: z.string().optional(), hr: z.string().optional(), srLatn: z.string().optional(), srCyrl: z.string().optional() }),
  extra: z.record(z.string(), z.json()).optional(),
});
export type CodeListEntryView = z.infer<typeof codeListEntryViewSchema>;

const listName = z.string().regex(/^[a-z][a-zA-Z0-9]{0,31}$/);

/** Reference data pulled from the central server, as the screens need it. */
export const referenceRequests = {
  /** Which station this is (its kind decides where a scanned document goes). */
  'reference.station': { role: 'officer', input: noInput, output: stationDetailsSchema },
  /** The entries of the code lists asked for that are valid today, in code order. */
  'reference.codeLists': {
    role: 'officer',
    input: z.object({ lists: z.array(listName).min(1).max(10) }).strict(),
    output: z.object({ entries: z.array(codeListEntryViewSchema) }),
  },
  /**
   * The rules the station works by today (the defaults with the overrides of the rules
   * code list's entry in force), for screens that show what main will judge.
   */
  'reference.rules': {
    role: 'officer',
    input: noInput,
    output: z.object({
      rules: rulesSchema,
      /** The rules entry in force (its code); null when the defaults apply. */
      entry: z.string().nullable(),
      /** Why the entry in force could not be used (the defaults apply meanwhile). */
      problem: z.string().nullable(),
    }),
  },
} as const satisfies RequestEntries;
