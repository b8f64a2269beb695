import { z } from 'zod';
import type { RequestEntries } from '../api/contract';

/**
 * The search workflow's requests (spread into main/api/contract.ts). Imported by the
 * contract, which the renderer reads for its types: zod only, nothing of Node.
 */

/** The most rows one answer carries; the table asks for more as the officer scrolls. */
export const SEARCH_PAGE_LIMIT = 500;

/** A date of birth as far as the officer knows it: '1985', '1985-03' or '1985-03-02'. */
const birthDateCriterion = z
  .string()
  .trim()
  .regex(/^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$/, 'A date of birth is YYYY, YYYY-MM or YYYY-MM-DD');

const epochMs = z.number().int().min(0);

export const searchCriteriaSchema = z
  .strictObject({
    /** Any spacing, dashes or case: searched in its canonical form (documentNumberKey); the start of a number finds the whole. */
    documentNumber: z.string().trim().max(40).optional(),
    /** In Latin or Cyrillic, with or without diacritics; small typos are tolerated. */
    surname: z.string().trim().max(80).optional(),
    /** Only together with a surname (names are indexed surname first). */
    givenNames: z.string().trim().max(80).optional(),
    birthDate: birthDateCriterion.optional(),
    /** Arrival of a registration or time of a crossing, from (included) … to (excluded), epoch ms. */
    from: epochMs.optional(),
    to: epochMs.optional(),
    /** Both kinds when left out. */
    kinds: z.array(z.enum(['registration', 'crossing'])).min(1).max(2).optional(),
  })
  .refine((criteria) => !criteria.givenNames || Boolean(criteria.surname), { message: 'Give the surname too: given names alone are not searchable', path: ['surname'] })
  .refine((criteria) => criteria.from === undefined || criteria.to === undefined || criteria.from < criteria.to, { message: 'The end of the period is before its start', path: ['to'] });

export const searchResultSchema = z.object({
  id: z.string(),
  kind: z.enum(['registration', 'crossing']),
  surname: z.string(),
  givenNames: z.string(),
  nationality: z.string(),
  birthDate: z.string(),
  documentNumber: z.string(),
  issuingState: z.string(),
  /** A registration's arrival, a crossing's time (epoch ms). */
  at: z.number(),
  /** A registration's status (active, amended, cancelled) or a crossing's outcome (admitted, refused). */
  status: z.string(),
  /** Entry or exit for a crossing; null for a registration. */
  direction: z.enum(['entry', 'exit']).nullable(),
  /** 0..1: how well the record agrees with the criteria (1 for searches by date alone). */
  relevance: z.number(),
});

export const searchPageSchema = z.object({
  /** Names the result set kept in main: ask search.page with it for other rows. */
  searchId: z.string(),
  total: z.number().int(),
  offset: z.number().int(),
  rows: z.array(searchResultSchema),
});

const limit = z.number().int().min(1).max(SEARCH_PAGE_LIMIT);

export const searchRequests = {
  /** Runs a search and answers with the number of results and the first page; audited (search.run: criteria used and count, never values). */
  'search.records': { role: 'officer', input: z.strictObject({ criteria: searchCriteriaSchema, limit }), output: searchPageSchema },
  /** Another page of a search this officer ran (NOT_FOUND once it has expired). */
  'search.page': {
    role: 'officer',
    input: z.strictObject({ searchId: z.string().min(1).max(64), offset: z.number().int().min(0), limit }),
    output: searchPageSchema,
  },
} as const satisfies RequestEntries;

export type SearchCriteria = z.output<typeof searchCriteriaSchema>;
export type SearchResult = z.output<typeof searchResultSchema>;
export type SearchPage = z.output<typeof searchPageSchema>;
