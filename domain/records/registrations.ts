import type { JsonSchema, RxJsonSchema } from 'rxdb';
import { z } from 'zod';
import {
  STATION_RECORD_REQUIRED,
  code,
  epochMs,
  isoDate,
  oneOf,
  referenceId,
  stationRecordProperties,
  stationRecordShape,
  text,
  wholeNumber,
} from './fields';
import { personJsonSchema, personValidator, travelDocumentJsonSchema, travelDocumentValidator } from './person';

/**
 * A short-stay registration of a foreigner (Law on Foreigners of BiH, Art. 103): who,
 * on which document, where they stay, with whom, from when to when and why.
 *
 * Registrations are edited in place (amended, cancelled). Each edit counts
 * revisionNumber up and stamps updatedAt and updatedBy, so that sync can tell two
 * stations' edits of one registration apart and the conflict log can show both
 * revisions and who made them. ("revision" itself is a reserved RxDocument property.)
 */

const address = {
  street: text(100),
  /** As written, 'bb' (bez broja) included. */
  houseNumber: text(20),
  postcode: text(10),
  place: text(100, 1),
  municipality: text(100, 1),
};

const addressJsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    street: address.street.json,
    houseNumber: address.houseNumber.json,
    postcode: address.postcode.json,
    place: address.place.json,
    municipality: address.municipality.json,
  },
  required: ['place', 'municipality'],
} as const satisfies JsonSchema;

const addressValidator = z.strictObject({
  street: address.street.zod.optional(),
  houseNumber: address.houseNumber.zod.optional(),
  postcode: address.postcode.zod.optional(),
  place: address.place.zod,
  municipality: address.municipality.zod,
});

const commercial = oneOf(['commercial']);
const privateStay = oneOf(['private']);
const providerName = text(120, 1);
/** The provider's business registration number, when the officer has it. */
const providerId = text(30);
const hostName = text(120, 1);
/** The host's personal identification number (JMBG) or, for a foreign host, document number. */
const hostIdNumber = text(30, 1);

/** Hotels, hostels and other providers (deadline 12 h) or a private host (48 h, stays over 3 days). */
const accommodationJsonSchema = {
  type: 'object',
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      properties: { type: commercial.json, providerName: providerName.json, providerId: providerId.json },
      required: ['type', 'providerName'],
    },
    {
      type: 'object',
      additionalProperties: false,
      properties: { type: privateStay.json, hostName: hostName.json, hostIdNumber: hostIdNumber.json },
      required: ['type', 'hostName', 'hostIdNumber'],
    },
  ],
} as const satisfies JsonSchema;

const accommodationValidator = z.discriminatedUnion('type', [
  z.strictObject({ type: commercial.zod, providerName: providerName.zod, providerId: providerId.zod.optional() }),
  z.strictObject({ type: privateStay.zod, hostName: hostName.zod, hostIdNumber: hostIdNumber.zod }),
]);

const revisionNumber = wholeNumber(1, 1_000_000);
/** active: as registered; amended: changed since, still in force; cancelled: no longer in force. */
const status = oneOf(['active', 'amended', 'cancelled']);
const cancelReason = text(500, 1);

const cancellationJsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { cancelledAt: epochMs.json, cancelledBy: referenceId.json, reason: cancelReason.json },
  required: ['cancelledAt', 'cancelledBy', 'reason'],
} as const satisfies JsonSchema;

const cancellationValidator = z.strictObject({ cancelledAt: epochMs.zod, cancelledBy: referenceId.zod, reason: cancelReason.zod });

/**
 * The one rule JSON Schema cannot say at the top level of an RxDB schema: a cancelled
 * registration says when, by whom and why, and only a cancelled one does. RxDB stores
 * what the station's own code wrote (registration-edits.ts keeps the rule); the sync
 * server, which takes records from outside, refuses a push that breaks it.
 */
export const registrationValidator = z
  .strictObject({
    ...stationRecordShape,
    revisionNumber: revisionNumber.zod,
    updatedAt: epochMs.zod,
    updatedBy: referenceId.zod,
    status: status.zod,
    cancellation: cancellationValidator.optional(),
    person: personValidator,
    document: travelDocumentValidator,
    address: addressValidator,
    accommodation: accommodationValidator,
    /** When the foreigner arrived at the address: the registration deadline runs from here. */
    arrivalAt: epochMs.zod,
    plannedDepartureDate: isoDate.zod,
    /** Entry of the 'purposes' code list (PURPOSES_LIST), in force when it was chosen. */
    purposeCode: code.zod,
    /** When the registration was made, which is when it is judged on time or late. */
    registeredAt: epochMs.zod,
  })
  .refine((registration) => (registration.status === 'cancelled') === (registration.cancellation !== undefined), {
    message: 'A cancelled registration, and only a cancelled one, carries its cancellation',
    path: ['cancellation'],
  });

export type Registration = z.infer<typeof registrationValidator>;

export const registrationSchema: RxJsonSchema<Registration> = {
  title: 'registrations',
  description: 'Short-stay registrations of foreigners at the station; edited in place, revisionNumber counts the edits',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...stationRecordProperties,
    revisionNumber: revisionNumber.json,
    updatedAt: epochMs.json,
    updatedBy: referenceId.json,
    status: status.json,
    cancellation: cancellationJsonSchema,
    person: personJsonSchema,
    document: travelDocumentJsonSchema,
    address: addressJsonSchema,
    accommodation: accommodationJsonSchema,
    arrivalAt: epochMs.json,
    plannedDepartureDate: isoDate.json,
    purposeCode: code.json,
    registeredAt: epochMs.json,
  },
  required: [
    ...STATION_RECORD_REQUIRED,
    'revisionNumber',
    'updatedAt',
    'updatedBy',
    'status',
    'person',
    'document',
    'address',
    'accommodation',
    'arrivalAt',
    'plannedDepartureDate',
    'purposeCode',
    'registeredAt',
  ],
  indexes: [
    ['document.documentNumber', 'document.issuingState'],
    ['person.nameKey', 'person.birthDate'],
    'person.birthDate',
    'arrivalAt',
    'createdAt',
    'receivedAt',
  ],
};
