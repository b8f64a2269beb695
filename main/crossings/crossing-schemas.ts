import { z } from 'zod';
import { crossingValidator } from '../../domain/records';
import { prepareRegistrationInput, prepareRegistrationOutput } from '../registrations/registration-schemas';

/**
 * The border control workflow's inputs and outputs, as the API contract declares them.
 * The document is given as at the counter (the zone, or typed fields), so both workflows
 * read documents the same way. Imported by contract.ts, which the renderer reads for its
 * types: zod and domain/ only, nothing of Node.
 */

const crossingFields = crossingValidator.shape;

export const crossingDirection = crossingFields.direction;

/** Fields of the visa the traveller shows, as the border record keeps them. */
export const visaDetailsInput = crossingFields.visa.unwrap();

/** A valid visa or residence permit was presented (and checked by the officer); its details when it is a visa. */
export const visaInput = z.strictObject({
  presented: z.boolean(),
  details: visaDetailsInput.optional(),
});

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/** What the checks need: which way, the document, and for an entry the planned departure and any visa. */
export const prepareCrossingInput = z.strictObject({
  direction: crossingDirection,
  /** The zone as a reader or the keyboard gave it, or a document typed from the data page. */
  source: prepareRegistrationInput,
  /** Entry only; without it the checks assume a departure on the day of entry. */
  plannedDepartureDate: isoDay.optional(),
  visa: visaInput.optional(),
});

/** The reason codes of the standard refusal form; a refusal has one or more. */
export const refusalReasonCode = z.enum(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']);

/**
 * The fingers of the person taken for this crossing: captures made with
 * crossings.captureFinger (kept in main until the crossing is recorded), or why there
 * are none.
 */
export const fingerprintsInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('captured'),
    captures: z.array(z.strictObject({ captureId: z.string().min(1).max(64) })).min(1).max(10),
  }),
  z.strictObject({
    kind: z.literal('exempt'),
    reason: z.enum(['UNDER_AGE', 'PHYSICALLY_IMPOSSIBLE', 'SCANNER_UNAVAILABLE']),
  }),
]);

export const recordCrossingInput = prepareCrossingInput.extend({
  decision: crossingFields.decision,
  fingerprints: fingerprintsInput.optional(),
});

export const crossingIdInput = z.strictObject({ id: z.string().min(1).max(64) });

/** What was wrong with the record: a code (kept in the audit trail), never free text that could name the person. */
export const correctionReason = z.enum(['wrong-decision', 'wrong-refusal-reasons', 'wrong-direction', 'wrong-person-details', 'wrong-document-details', 'wrong-time']);

export const correctCrossingInput = z.strictObject({
  id: z.string().min(1).max(64),
  reason: correctionReason,
  changes: z
    .strictObject({
      direction: crossingDirection.optional(),
      decision: crossingFields.decision.optional(),
      occurredAt: crossingFields.occurredAt.optional(),
      person: crossingFields.person.omit({ nameKey: true }).optional(),
      document: crossingFields.document.optional(),
    })
    .refine((changes) => Object.keys(changes).length > 0, { message: 'Change at least one field' }),
});

export const captureFingerInput = z.strictObject({
  deviceId: z.string().max(40),
  /** ISO/IEC 19794-2 finger position: 2-5 right index to little, 7-10 left index to little. */
  fingerPosition: z.number().int().min(1).max(10),
  timeoutMs: z.number().int().min(1_000).max(60_000),
});

export const captureFingerOutput = z.object({
  /** Names the capture kept in main for crossings.record; it expires if not used. */
  captureId: z.string(),
  fingerPosition: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  pngBase64: z.string(),
  /** 0-100, as the driver measures it. */
  quality: z.number().min(0).max(100),
  qualityMethod: z.string(),
  /** A capture without a template (the module found the finger too poor) cannot be recorded: take it again. */
  usable: z.boolean(),
});

/** One check as the screen shows it, and as the border record will keep it. */
export const crossingCheckView = z.object({
  /** The domain's check code (MRZ_INVALID, VISA_REQUIRED, STAY_OVERSTAY …), or WATCHLIST_CLEAR when no alert resembles the traveller. */
  code: z.string(),
  severity: z.enum(['info', 'warning', 'block']),
  /** English, with the dates and numbers the officer needs (for logs and the server; the screen words the facts). */
  explanation: z.string(),
  /**
   * What the check found, as values: one shape per code (CheckFacts in domain/checks/entry-check-types.ts);
   * WATCHLIST_CLEAR, main's own, gives none.
   */
  facts: z.record(z.string(), z.union([z.string(), z.number()])),
  suggestedRefusalReasons: z.array(refusalReasonCode),
  /** What the record keeps of it (domain/records/crossings.ts). */
  recorded: crossingFields.checks.element,
});

export const prepareCrossingOutput = z.object({
  direction: crossingDirection,
  mrz: prepareRegistrationOutput.shape.mrz,
  person: z.object({ surname: z.string(), givenNames: z.string(), sex: z.enum(['F', 'M', 'X']), birthDate: z.string(), nationality: z.string() }),
  document: z.object({ documentCode: z.string(), documentNumber: z.string(), issuingState: z.string(), expiryDate: z.string() }),
  /** The day the checks were run for (today, UTC calendar day as the records count). */
  onDate: z.string(),
  plannedDepartureDate: z.string().nullable(),
  /** Every check, what blocks first, then what needs a look, then facts. */
  checks: z.array(crossingCheckView),
  /** The 90/180 rule: null for the station's own nationals. */
  stay: z
    .object({
      /** Days used in the 180 days up to onDate, onDate included. */
      daysUsed: z.number().int(),
      /** Entry: days left on the planned departure; exit: days left after today. */
      daysLeft: z.number().int(),
      latestLawfulExit: z.string().nullable(),
      /** Exit only: days past the latest lawful exit (0 for a lawful stay); null on entry. */
      overstayDays: z.number().int().nullable(),
    })
    .nullable(),
  fingerprints: z.enum(['required', 'exempt-under-12', 'age-uncertain', 'not-required']),
  suggestedRefusalReasons: z.array(refusalReasonCode),
  /** The person's earlier crossings here (by document, or name and birth date), newest first. */
  earlier: z.array(
    z.object({ id: z.string(), direction: crossingDirection, outcome: z.enum(['admitted', 'refused']), reasons: z.array(z.string()), occurredAt: z.number(), corrected: z.boolean() }),
  ),
  /** Where the record will say it happened. */
  crossingPoint: z.object({ id: z.string(), code: z.string().nullable(), name: z.string().nullable(), authority: z.string() }),
});

export const biometricView = z.object({
  id: z.string(),
  outcome: z.enum(['captured', 'exempt']),
  fingerPosition: z.number().int().nullable(),
  quality: z.number().nullable(),
  reason: z.string().nullable(),
});

export const recordCrossingOutput = z.object({
  crossing: crossingValidator,
  checks: z.array(crossingCheckView),
  biometrics: z.array(biometricView),
});

export const crossingRecordView = z.object({
  crossing: crossingValidator,
  biometrics: z.array(biometricView),
  /** The records that correct this one (normally none or one), oldest first. */
  correctedBy: z.array(z.string()),
});

export type PrepareCrossingInput = z.output<typeof prepareCrossingInput>;
export type PrepareCrossingOutput = z.output<typeof prepareCrossingOutput>;
export type RecordCrossingInput = z.output<typeof recordCrossingInput>;
export type RecordCrossingOutput = z.output<typeof recordCrossingOutput>;
export type CorrectCrossingInput = z.output<typeof correctCrossingInput>;
export type CaptureFingerInput = z.output<typeof captureFingerInput>;
export type CaptureFingerOutput = z.output<typeof captureFingerOutput>;
export type CrossingCheckView = z.output<typeof crossingCheckView>;
export type CrossingRecordView = z.output<typeof crossingRecordView>;
export type BiometricView = z.output<typeof biometricView>;
