/**
 * The shapes the MRZ engine hands to the rest of MIS Station. Positions follow
 * ICAO Doc 9303: lines and character positions are counted from 1, so that what
 * the officer is told matches what the specification and the printed zone show.
 */

export type MrzFormat = 'TD1' | 'TD2' | 'TD3' | 'MRV-A' | 'MRV-B';

/** `unspecified` is the filler `<` in the sex field. */
export type MrzSex = 'M' | 'F' | 'X' | 'unspecified';

export interface MrzFields {
  /** `P`, `I`, `AC`, `V`, ... with the trailing filler removed. */
  documentCode: string;
  /** Three-letter ICAO code, or `D` for Germany. */
  issuingState: string;
  surname: string;
  /** Given names separated by single spaces; empty when the holder has none. */
  givenNames: string;
  /** Full document number, including a TD1/TD2 continuation in the optional data. */
  documentNumber: string;
  nationality: string;
  /** ISO date; `YYYY-MM` or `YYYY` when the document leaves day or month unknown; null when unusable. */
  birthDate: string | null;
  /** null when the character is none that ICAO allows. */
  sex: MrzSex | null;
  /** ISO date; null when unusable or not given. */
  expiryDate: string | null;
  /** TD3 only. */
  personalNumber?: string;
  /** TD1 (upper line), TD2, MRV-A and MRV-B. */
  optionalData?: string;
  /** TD1 only: the optional data of the middle line. */
  optionalData2?: string;
}

/** The two-digit-year values exactly as printed, kept because the century is inferred. */
export interface MrzRawDates {
  birthDate: string;
  expiryDate: string;
}

export type MrzCheckName =
  | 'documentNumberCheckDigit'
  | 'birthDateCheckDigit'
  | 'expiryDateCheckDigit'
  | 'personalNumberCheckDigit'
  | 'compositeCheckDigit'
  | 'birthDateCalendar'
  | 'expiryDateCalendar'
  | 'sexCode'
  | 'documentCodeCharacters'
  | 'issuingStateCharacters'
  | 'nationalityCharacters'
  | 'nameCharacters';

export interface MrzCheck {
  name: MrzCheckName;
  ok: boolean;
  /** What a conforming zone holds here: the computed digit, or a description. */
  expected: string;
  /** What the zone actually holds. */
  actual: string;
}

/** Fields guarded by a check digit: the only ones the engine ever corrects. */
export type MrzCheckedField = 'documentNumber' | 'birthDate' | 'expiryDate' | 'personalNumber';

export interface MrzCorrection {
  field: MrzCheckedField;
  /** 1-based line of the zone. */
  line: number;
  /** 1-based character position within the line, as ICAO numbers them. */
  position: number;
  from: string;
  to: string;
  /**
   * The composite check digit validates after the correction and weighs this
   * character differently from the field's own check digit (or it is the check
   * digit itself), so it is evidence of its own. False for visas (no composite)
   * and inside TD1/TD2/TD3 document and personal numbers, whose composite
   * weights match their field's: there the correction rests on the field's
   * check digit alone, and the officer should compare it with the page.
   */
  confirmedByComposite: boolean;
}

export type MrzWarningCode =
  | 'UNKNOWN_STATE_CODE'
  | 'UNUSUAL_DOCUMENT_CODE'
  | 'NAME_TRUNCATED'
  | 'PARTIAL_BIRTH_DATE'
  | 'UNKNOWN_BIRTH_DATE'
  | 'NO_EXPIRY_DATE'
  | 'AMBIGUOUS_CORRECTION'
  | 'UNCONFIRMED_CORRECTION'
  | 'LINES_REJOINED';

export interface MrzWarning {
  code: MrzWarningCode;
  field?: keyof MrzFields;
  message: string;
}

export interface MrzDocument {
  format: MrzFormat;
  /** Every check passed (corrections applied first). */
  valid: boolean;
  fields: MrzFields;
  raw: MrzRawDates;
  /** The zone as read, after input clean-up and any correction. */
  lines: string[];
  nameTruncated: boolean;
  checks: MrzCheck[];
  corrections: MrzCorrection[];
  warnings: MrzWarning[];
}

export type MrzErrorCode =
  | 'NOT_TEXT'
  | 'EMPTY'
  | 'TOO_LONG'
  | 'BAD_CHARACTERS'
  | 'UNKNOWN_FORMAT'
  | 'BAD_OPTIONS';

export interface MrzError {
  code: MrzErrorCode;
  message: string;
}

export type MrzParseResult = { ok: true; document: MrzDocument } | { ok: false; error: MrzError };

export interface MrzParseOptions {
  /** The officer's "today", used to infer the century of two-digit years. Default: now. */
  today?: Date;
}
