import type { MrzDocument } from '../mrz';
import type { TravelDocumentFacts } from './entry-check-types';

export type DocumentFactsResult =
  | { ok: true; facts: TravelDocumentFacts }
  | { ok: false; missing: ('birthDate' | 'expiryDate')[]; message: string };

/**
 * The facts the entry checks need, from a parsed MRZ. A date the zone does not give in a
 * usable form (a misprint, a month 13) cannot be guessed: the officer types it from the
 * data page, and the result says which ones.
 */
export function documentFactsFromMrz(document: MrzDocument): DocumentFactsResult {
  const { fields } = document;
  const missing: ('birthDate' | 'expiryDate')[] = [];
  if (fields.birthDate === null) missing.push('birthDate');
  if (fields.expiryDate === null) missing.push('expiryDate');
  if (fields.birthDate === null || fields.expiryDate === null) {
    return { ok: false, missing, message: `The machine-readable zone gives no usable ${missing.map((m) => (m === 'birthDate' ? 'date of birth' : 'expiry date')).join(' or ')}: enter it from the data page.` };
  }
  const failures = document.checks.filter((check) => !check.ok).map((check) => check.name);
  return {
    ok: true,
    facts: {
      documentCode: fields.documentCode,
      issuingState: fields.issuingState,
      nationality: fields.nationality,
      documentNumber: fields.documentNumber,
      surname: fields.surname,
      givenNames: fields.givenNames,
      birthDate: fields.birthDate,
      // ICAO's "unspecified" (a filler) and X both say the document states no M or F.
      sex: fields.sex === 'M' || fields.sex === 'F' ? fields.sex : 'X',
      expiryDate: fields.expiryDate,
      mrzValid: document.valid,
      ...(failures.length > 0 ? { mrzFailures: failures } : {}),
    },
  };
}
