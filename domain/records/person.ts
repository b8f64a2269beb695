import type { JsonSchema } from 'rxdb';
import { z } from 'zod';
import { countryCode, documentCode, documentNumber, isoDate, oneOf, partialDate, patterned, text } from './fields';
import { NAME_KEY_MAX_LENGTH, PERSON_NAME_KEY_PATTERN } from './name-key';

/**
 * The traveller and the travel document, as both a registration and a border record
 * hold them (EES, Reg. 2017/2226 Art. 16: surname, given names, date of birth,
 * nationality, sex; document type, number, issuing state, expiry).
 */

const surname = text(80, 1);
/** Empty for people with a single name (ICAO 9303 leaves the secondary identifier empty). */
const givenNames = text(80);
const nameKey = patterned(PERSON_NAME_KEY_PATTERN, NAME_KEY_MAX_LENGTH);
/** As printed in the visual zone; the MRZ's '<' (unspecified) is X. */
const sex = oneOf(['F', 'M', 'X']);

export const personJsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    surname: surname.json,
    givenNames: givenNames.json,
    nameKey: nameKey.json,
    sex: sex.json,
    birthDate: partialDate.json,
    nationality: countryCode.json,
  },
  required: ['surname', 'givenNames', 'nameKey', 'sex', 'birthDate', 'nationality'],
} as const satisfies JsonSchema;

export const personValidator = z.strictObject({
  /** As typed or read, with diacritics, in Latin or Cyrillic. */
  surname: surname.zod,
  givenNames: givenNames.zod,
  /** Derived (name-key.ts), never typed: what name searches look up. */
  nameKey: nameKey.zod,
  sex: sex.zod,
  birthDate: partialDate.zod,
  nationality: countryCode.zod,
});

export type Person = z.infer<typeof personValidator>;

export const travelDocumentJsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    documentCode: documentCode.json,
    documentNumber: documentNumber.json,
    issuingState: countryCode.json,
    expiryDate: isoDate.json,
  },
  required: ['documentCode', 'documentNumber', 'issuingState'],
} as const satisfies JsonSchema;

export const travelDocumentValidator = z.strictObject({
  documentCode: documentCode.zod,
  documentNumber: documentNumber.zod,
  issuingState: countryCode.zod,
  /** Absent for the few documents issued without one (some national identity cards). */
  expiryDate: isoDate.zod.optional(),
});

export type TravelDocument = z.infer<typeof travelDocumentValidator>;
