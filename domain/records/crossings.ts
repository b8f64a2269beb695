import type { JsonSchema, RxJsonSchema } from 'rxdb';
import { z } from 'zod';
import {
  STATION_RECORD_REQUIRED,
  code,
  countryCode,
  documentNumber,
  epochMs,
  final,
  isoDate,
  oneOf,
  patterned,
  recordIdOrNone,
  referenceId,
  stationRecordProperties,
  stationRecordShape,
  text,
  wholeNumber,
} from './fields';
import { personJsonSchema, personValidator, travelDocumentJsonSchema, travelDocumentValidator } from './person';

/**
 * A border record: one traveller crossing, or refused at, a crossing point (after the
 * EU Entry/Exit System, Reg. 2017/2226 Art. 16-18). Immutable: every field but
 * receivedAt is final, and a correction is a new crossing whose correctsId names the
 * one it corrects.
 */

const admitted = oneOf(['admitted']);
const refused = oneOf(['refused']);
/**
 * The standard refusal form's codes: A no valid travel document, B false document,
 * C no valid visa or residence permit, D false visa or permit, E purpose and conditions
 * not justified, F 90 days in 180 already used, G insufficient means, H alert for
 * refusal of entry, I threat to public policy, security, health or relations.
 */
const refusalReason = oneOf(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']);

const decisionJsonSchema = {
  type: 'object',
  oneOf: [
    { type: 'object', additionalProperties: false, properties: { outcome: admitted.json }, required: ['outcome'] },
    {
      type: 'object',
      additionalProperties: false,
      properties: { outcome: refused.json, reasons: { type: 'array', items: refusalReason.json, minItems: 1, maxItems: 9, uniqueItems: true } },
      required: ['outcome', 'reasons'],
    },
  ],
} as const satisfies JsonSchema;

const decisionValidator = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: admitted.zod }),
  z.strictObject({
    outcome: refused.zod,
    /** Several codes can apply at once. */
    reasons: z
      .array(refusalReason.zod)
      .min(1)
      .max(9)
      .refine((reasons) => new Set(reasons).size === reasons.length, 'each refusal reason once'),
  }),
]);

const visaNumber = documentNumber;
const entries = oneOf(['single', 'double', 'multiple']);
const durationOfStayDays = wholeNumber(1, 366);

/** The visa the traveller entered on, where the nationality needs one. */
const visaJsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    visaNumber: visaNumber.json,
    issuingState: countryCode.json,
    category: code.json,
    validFrom: isoDate.json,
    validUntil: isoDate.json,
    entries: entries.json,
    durationOfStayDays: durationOfStayDays.json,
  },
  required: ['visaNumber', 'issuingState', 'category', 'validFrom', 'validUntil', 'entries', 'durationOfStayDays'],
} as const satisfies JsonSchema;

const visaValidator = z.strictObject({
  visaNumber: visaNumber.zod,
  issuingState: countryCode.zod,
  /** Entry of the 'visaTypes' code list: A airport transit, C short stay, D long stay ... */
  category: code.zod,
  validFrom: isoDate.zod,
  validUntil: isoDate.zod,
  entries: entries.zod,
  durationOfStayDays: durationOfStayDays.zod,
});

/** Names a check as domain/checks reports it: 'document.expiry', 'watchlist', 'stay.days-used'. */
const checkName = patterned('^[a-z][a-zA-Z0-9]*(?:[.-][a-zA-Z0-9]+)*$', 64);
const severity = oneOf(['info', 'warning', 'critical']);
const checkOutcome = oneOf(['passed', 'failed', 'not-run']);

const checkResultJsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { check: checkName.json, severity: severity.json, outcome: checkOutcome.json },
  required: ['check', 'severity', 'outcome'],
} as const satisfies JsonSchema;

const checkResultValidator = z.strictObject({ check: checkName.zod, severity: severity.zod, outcome: checkOutcome.zod });
const MAX_CHECKS = 64;

const direction = oneOf(['entry', 'exit']);
/** The border police unit that recorded the crossing or refused entry. */
const authority = text(100, 1);

export const crossingValidator = z.strictObject({
  ...stationRecordShape,
  direction: direction.zod,
  decision: decisionValidator,
  authority: authority.zod,
  /** The id of the station, a border crossing, where it happened. */
  crossingPointId: referenceId.zod,
  /** When the traveller crossed or was refused. */
  occurredAt: epochMs.zod,
  person: personValidator,
  document: travelDocumentValidator,
  visa: visaValidator.optional(),
  /** The checks that ran when the document was scanned, and what they found. */
  checks: z.array(checkResultValidator).max(MAX_CHECKS),
  /** The crossing this one corrects, '' for an original record (indexed: "was this corrected?"). */
  correctsId: recordIdOrNone.zod,
});

export type Crossing = z.infer<typeof crossingValidator>;

export const crossingSchema: RxJsonSchema<Crossing> = {
  title: 'crossings',
  description: 'Border records: entries, exits and refusals of entry; immutable, corrections are new records',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...stationRecordProperties,
    direction: final(direction.json),
    decision: final(decisionJsonSchema),
    authority: final(authority.json),
    crossingPointId: final(referenceId.json),
    occurredAt: final(epochMs.json),
    person: final(personJsonSchema),
    document: final(travelDocumentJsonSchema),
    visa: final(visaJsonSchema),
    checks: final({ type: 'array', items: checkResultJsonSchema, maxItems: MAX_CHECKS }),
    correctsId: final(recordIdOrNone.json),
  },
  required: [
    ...STATION_RECORD_REQUIRED,
    'direction',
    'decision',
    'authority',
    'crossingPointId',
    'occurredAt',
    'person',
    'document',
    'checks',
    'correctsId',
  ],
  indexes: [
    ['document.documentNumber', 'document.issuingState'],
    ['person.nameKey', 'person.birthDate'],
    'person.birthDate',
    'occurredAt',
    'createdAt',
    'receivedAt',
    'correctsId',
  ],
};
