import { z } from 'zod';
import { inForceOn } from '../records/code-lists';

/**
 * Every number the station's rules depend on, in one object, because laws change and a
 * station must be able to load a correction without a new release. Sources: Law on
 * Foreigners of BiH (OG 88/15, 34/21, 63/23) Art. 103 for registration; the 90/180
 * short-stay rule; Schengen Borders Code entry conditions; EES (Reg. 2017/2226) for
 * fingerprints and retention.
 */
const positiveInt = z.number().int().positive();
const score = z.number().min(0).max(1);

const shortStaySchema = z.strictObject({
  /** Days of stay allowed in any window. */
  maxDaysInWindow: positiveInt,
  /** Length of the rolling window, counted back from and including the day checked. */
  windowDays: positiveInt,
});

const registrationSchema = z.strictObject({
  /** Hotels, hostels and other accommodation providers register within this many hours of arrival. */
  commercialDeadlineHours: positiveInt,
  /** A private host or the foreigner registers within this many hours of arrival. */
  privateDeadlineHours: positiveInt,
  /** Private stays of at most this many days need no registration (the law: "longer than 3 days"). */
  privateExemptMaxDays: z.number().int().nonnegative(),
});

const addressChangeSchema = z.strictObject({
  temporaryResidenceHours: positiveInt,
  permanentResidenceDays: positiveInt,
});

const travelDocumentSchema = z.strictObject({
  /** The document must stay valid this many months after the planned departure. */
  validMonthsAfterDeparture: z.number().int().nonnegative(),
  /** The document must have been issued within this many years before entry. */
  issuedWithinYears: positiveInt,
});

const fingerprintsSchema = z.strictObject({
  /** Children younger than this (in full years) give no fingerprints. */
  exemptUnderAge: z.number().int().nonnegative(),
});

const retentionSchema = z.strictObject({
  /** Accommodation providers keep their register of foreigners at least this long. */
  accommodationRegisterYears: positiveInt,
  borderRecordYears: positiveInt,
  overstayerRecordYears: positiveInt,
});

const watchlistSchema = z.strictObject({
  /** Candidates scoring below this are not shown at all. */
  candidateThreshold: score,
  /** Candidates at or above this are treated as a hit, below it as a possible match to review. */
  hitThreshold: score,
});

const bordersSchema = z.strictObject({
  /** Nationalities (ICAO codes) of the station's own citizens: no visa, 90/180 or fingerprint checks. */
  ownNationalities: z.array(z.string().regex(/^[A-Z]{1,3}$/)),
});

export const rulesSchema = z
  .strictObject({
    shortStay: shortStaySchema,
    registration: registrationSchema,
    addressChange: addressChangeSchema,
    travelDocument: travelDocumentSchema,
    fingerprints: fingerprintsSchema,
    retention: retentionSchema,
    watchlist: watchlistSchema,
    borders: bordersSchema,
  })
  .refine((rules) => rules.shortStay.maxDaysInWindow <= rules.shortStay.windowDays, {
    message: 'shortStay.maxDaysInWindow cannot be longer than shortStay.windowDays',
    path: ['shortStay', 'maxDaysInWindow'],
  })
  .refine((rules) => rules.watchlist.candidateThreshold <= rules.watchlist.hitThreshold, {
    message: 'watchlist.candidateThreshold cannot be above watchlist.hitThreshold',
    path: ['watchlist', 'candidateThreshold'],
  });

export type Rules = z.infer<typeof rulesSchema>;

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  }
  return Object.freeze(value);
}

/** Frozen so that no caller can change the law for everyone else by mutating it. */
export const defaultRules: Rules = deepFreeze({
  shortStay: { maxDaysInWindow: 90, windowDays: 180 },
  registration: { commercialDeadlineHours: 12, privateDeadlineHours: 48, privateExemptMaxDays: 3 },
  addressChange: { temporaryResidenceHours: 48, permanentResidenceDays: 8 },
  travelDocument: { validMonthsAfterDeparture: 3, issuedWithinYears: 10 },
  fingerprints: { exemptUnderAge: 12 },
  retention: { accommodationRegisterYears: 3, borderRecordYears: 3, overstayerRecordYears: 5 },
  watchlist: { candidateThreshold: 0.6, hitThreshold: 0.85 },
  borders: { ownNationalities: ['BIH'] },
} satisfies Rules);

/** What a station may override: any section, any field of it, nothing unknown. */
const rulesOverridesSchema = z.strictObject({
  shortStay: shortStaySchema.partial().optional(),
  registration: registrationSchema.partial().optional(),
  addressChange: addressChangeSchema.partial().optional(),
  travelDocument: travelDocumentSchema.partial().optional(),
  fingerprints: fingerprintsSchema.partial().optional(),
  retention: retentionSchema.partial().optional(),
  watchlist: watchlistSchema.partial().optional(),
  borders: bordersSchema.partial().optional(),
});

export class RulesError extends Error {
  readonly code = 'RULES_INVALID';
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(`The station's rule overrides were not loaded: ${issues.join('; ')}`);
    this.name = 'RulesError';
    this.issues = issues;
  }
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/**
 * Applies a station's overrides (parsed JSON, so `unknown`) to a base set of rules.
 * Throws RulesError listing every problem rather than loading half a configuration.
 */
export function loadRules(overrides: unknown, base: Rules = defaultRules): Rules {
  const parsedOverrides = rulesOverridesSchema.safeParse(overrides);
  if (!parsedOverrides.success) throw new RulesError(describeIssues(parsedOverrides.error));
  const o = parsedOverrides.data;
  const merged = {
    shortStay: { ...base.shortStay, ...o.shortStay },
    registration: { ...base.registration, ...o.registration },
    addressChange: { ...base.addressChange, ...o.addressChange },
    travelDocument: { ...base.travelDocument, ...o.travelDocument },
    fingerprints: { ...base.fingerprints, ...o.fingerprints },
    retention: { ...base.retention, ...o.retention },
    watchlist: { ...base.watchlist, ...o.watchlist },
    borders: { ...base.borders, ...o.borders },
  };
  const parsed = rulesSchema.safeParse(merged);
  if (!parsed.success) throw new RulesError(describeIssues(parsed.error));
  return parsed.data;
}

/**
 * The code list that carries the stations' rules, with the other reference data the
 * server sends them: each entry's `extra` holds overrides of the defaults, as loadRules
 * takes them, from its validFrom day (a change of the law is published ahead, dated).
 */
export const RULES_LIST = 'rules';

/** A code list entry, as far as the rules read it. */
export interface RulesEntry {
  list: string;
  code: string;
  validFrom?: string | undefined;
  validUntil?: string | undefined;
  extra?: unknown;
}

export interface RulesInForce {
  rules: Rules;
  /** The code of the entry whose overrides apply; null when none is in force (the defaults apply). */
  entry: string | null;
  /** Why the entry in force could not be loaded (the defaults apply meanwhile); null when nothing is wrong. */
  problem: string | null;
}

/**
 * The rules in force on a calendar day: the base rules (the defaults; the server's may
 * come from its rules file) with the overrides of the rules entry in force that day, the
 * one that took effect last (the latest validFrom; an entry without one took effect
 * first; at the same day, the greater code). An entry this version cannot load (a field
 * it does not know, a value out of range) leaves the base in force and says why.
 */
export function rulesInForce(entries: readonly RulesEntry[], day: string, base: Rules = defaultRules): RulesInForce {
  let chosen: RulesEntry | null = null;
  for (const entry of entries) {
    if (entry.list !== RULES_LIST || !inForceOn(entry, day)) continue;
    const from = entry.validFrom ?? '';
    const chosenFrom = chosen?.validFrom ?? '';
    if (!chosen || from > chosenFrom || (from === chosenFrom && entry.code > chosen.code)) chosen = entry;
  }
  if (!chosen) return { rules: base, entry: null, problem: null };
  try {
    return { rules: loadRules(chosen.extra ?? {}, base), entry: chosen.code, problem: null };
  } catch (error) {
    if (!(error instanceof RulesError)) throw error;
    return { rules: base, entry: chosen.code, problem: `The rules entry ${chosen.code} was not loaded: ${error.issues.join('; ')}` };
  }
}
