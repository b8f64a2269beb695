/** What an alert asks the officer to do; it decides the check's severity and refusal reason. */
export type PersonAlertKind = 'wanted' | 'entry-ban' | 'missing-person' | 'discreet-check';
export type DocumentAlertKind = 'lost-stolen-document' | 'invalidated-document';
export type AlertKind = PersonAlertKind | DocumentAlertKind;

export interface PersonAlert {
  subject: 'person';
  alertId: string;
  kind: PersonAlertKind;
  surname: string;
  givenNames: string;
  /** 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY', unknown parts as 00 or XX; absent when unknown. */
  birthDate?: string;
  /** ICAO three-letter code, when known. */
  nationality?: string;
}

export interface DocumentAlert {
  subject: 'document';
  alertId: string;
  kind: DocumentAlertKind;
  documentNumber: string;
  issuingState?: string;
}

export type WatchlistAlert = PersonAlert | DocumentAlert;

/** The traveller being checked, as read from the document or typed by the officer. */
export interface TravellerQuery {
  surname: string;
  givenNames: string;
  birthDate?: string;
  nationality?: string;
  documentNumber?: string;
  issuingState?: string;
}

export type MatchReasonCode =
  | 'DOCUMENT_NUMBER_EXACT'
  | 'DOCUMENT_NUMBER_MISREAD'
  | 'ISSUING_STATE_DIFFERS'
  | 'SURNAME_EXACT'
  | 'SURNAME_TRANSLITERATED'
  | 'SURNAME_TYPO'
  | 'SURNAME_PART'
  | 'GIVEN_NAMES_EXACT'
  | 'GIVEN_NAMES_TRANSLITERATED'
  | 'GIVEN_NAMES_TYPO'
  | 'GIVEN_NAMES_PART'
  | 'GIVEN_NAMES_UNKNOWN'
  | 'NAMES_SWAPPED'
  | 'BIRTH_DATE_EXACT'
  | 'BIRTH_DATE_PARTIAL'
  | 'BIRTH_DATE_DAY_MONTH_SWAPPED'
  | 'BIRTH_DATE_ONE_DIGIT_OFF'
  | 'BIRTH_DATE_UNKNOWN'
  | 'BIRTH_DATE_DIFFERS'
  | 'NATIONALITY_SAME'
  | 'NATIONALITY_DIFFERS'
  | 'NATIONALITY_UNKNOWN';

export interface MatchReason {
  code: MatchReasonCode;
  text: string;
}

export interface WatchlistCandidate {
  alert: WatchlistAlert;
  /** 0..1; compare with the rules' candidate and hit thresholds. */
  score: number;
  reasons: MatchReason[];
}
