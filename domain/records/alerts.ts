import type { RxJsonSchema } from 'rxdb';
import { z } from 'zod';
import {
  countryCode,
  countryCodeOrNone,
  documentNumberOrNone,
  epochMs,
  isoDate,
  oneOf,
  partialDate,
  patterned,
  referenceId,
  text,
} from './fields';
import { NAME_KEY_MAX_LENGTH, PERSON_NAME_KEY_PATTERN } from './name-key';

/**
 * The watchlist as the station holds it, pulled from the server and never written on
 * the station: wanted and missing persons, entry bans, discreet checks (about a person)
 * and lost, stolen or invalidated documents (about a document). An alert may name
 * both: a stolen passport's holder.
 *
 * Looked up two ways when a document is scanned: by document number and issuing
 * state, and by nameKey (the same key persons carry, so one computation serves both).
 * Indexed fields are '' when the alert does not say.
 */

const kind = oneOf(['wanted', 'entry-ban', 'missing-person', 'discreet-check', 'lost-stolen-document', 'invalidated-document']);
const name = text(80);
const nameKeyOrNone = patterned(`^(?:${PERSON_NAME_KEY_PATTERN.slice(1, -1)})?$`, NAME_KEY_MAX_LENGTH);
const issuingAuthority = text(100, 1);

export const alertValidator = z.strictObject({
  id: referenceId.zod,
  kind: kind.zod,
  surname: name.zod.optional(),
  givenNames: name.zod.optional(),
  /** personNameKey(surname, givenNames), '' for an alert on a document alone. */
  nameKey: nameKeyOrNone.zod,
  /** As far as the alert knows it: '1974', '1974-08' or '1974-08-12'. */
  birthDate: partialDate.zod.optional(),
  nationality: countryCode.zod.optional(),
  /** '' for an alert on a person alone. */
  documentNumber: documentNumberOrNone.zod,
  /** '' when the alert does not say which state issued the document. */
  issuingState: countryCodeOrNone.zod,
  validFrom: isoDate.zod,
  /** Absent while the alert stands until withdrawn. */
  validUntil: isoDate.zod.optional(),
  issuingAuthority: issuingAuthority.zod,
  /** Server clock. */
  updatedAt: epochMs.zod,
});

export type Alert = z.infer<typeof alertValidator>;

export const alertSchema: RxJsonSchema<Alert> = {
  title: 'alerts',
  description: 'Watchlist alerts on persons and documents; reference data pulled from the server',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: referenceId.json,
    kind: kind.json,
    surname: name.json,
    givenNames: name.json,
    nameKey: nameKeyOrNone.json,
    birthDate: partialDate.json,
    nationality: countryCode.json,
    documentNumber: documentNumberOrNone.json,
    issuingState: countryCodeOrNone.json,
    validFrom: isoDate.json,
    validUntil: isoDate.json,
    issuingAuthority: issuingAuthority.json,
    updatedAt: epochMs.json,
  },
  required: ['id', 'kind', 'nameKey', 'documentNumber', 'issuingState', 'validFrom', 'issuingAuthority', 'updatedAt'],
  indexes: [['documentNumber', 'issuingState'], 'nameKey'],
};
