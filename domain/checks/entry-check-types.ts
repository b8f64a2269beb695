import type { Crossing } from '../stay';
import type { WatchlistCandidate } from '../watchlist';
import type { RefusalReasonCode } from './refusal-reasons';

/**
 * The facts of a travel document the checks need. The MRZ parser's result is mapped
 * to this shape, so the checks do not depend on how the document was read.
 */
export interface TravelDocumentFacts {
  /** Document code from the MRZ: 'P', 'PO', 'I', 'ID', 'AC', 'V' ... */
  documentCode: string;
  issuingState: string;
  nationality: string;
  documentNumber: string;
  surname: string;
  givenNames: string;
  /** 'YYYY-MM-DD', or partial ('YYYY', 'YYYY-MM', unknown parts as XX) when the document has no full date. */
  birthDate: string;
  sex: 'M' | 'F' | 'X';
  expiryDate: string;
  /** Not in the MRZ; from the data page or the chip when known. */
  issueDate?: string;
  /** All check digits of the MRZ validate. */
  mrzValid: boolean;
  /** What failed when the MRZ is not valid, in the parser's words (e.g. "document number check digit"). */
  mrzFailures?: readonly string[];
}

export interface PlannedStay {
  entryDate: string;
  plannedDepartureDate: string;
}

export interface EarlierRefusal {
  /** Date or timestamp of the refusal. */
  at: string;
  reasons: readonly RefusalReasonCode[];
  crossingPoint?: string;
}

export interface TravellerHistory {
  crossings: readonly Crossing[];
  refusals: readonly EarlierRefusal[];
}

export type VisaRegime = 'visa-free' | 'visa-required';

export interface VisaFacts {
  /** The visa code list: ICAO nationality code → regime. */
  regimes: Readonly<Record<string, VisaRegime>>;
  /** A valid visa or residence permit was presented and verified. */
  validVisaPresented: boolean;
}

export interface EntryCheckInput {
  document: TravelDocumentFacts;
  plannedStay: PlannedStay;
  history: TravellerHistory;
  visa: VisaFacts;
  /** The watchlist matcher's candidates for this traveller. */
  watchlistCandidates: readonly WatchlistCandidate[];
}

export type CheckSeverity = 'info' | 'warning' | 'block';

export type CheckCode =
  | 'MRZ_INVALID'
  | 'DOCUMENT_EXPIRED'
  | 'DOCUMENT_EXPIRES_TOO_SOON'
  | 'DOCUMENT_TOO_OLD'
  | 'DOCUMENT_ISSUE_DATE_UNKNOWN'
  | 'OWN_NATIONAL'
  | 'VISA_REQUIRED'
  | 'VISA_PRESENTED'
  | 'VISA_NOT_REQUIRED'
  | 'VISA_REGIME_UNKNOWN'
  | 'STAY_LIMIT_USED_UP'
  | 'PLANNED_STAY_TOO_LONG'
  | 'STAY_DAYS_USED'
  | 'STAY_RECORD_INCOMPLETE'
  | 'EARLIER_REFUSAL'
  | 'WATCHLIST_HIT'
  | 'WATCHLIST_POSSIBLE_MATCH'
  | 'FINGERPRINTS_REQUIRED'
  | 'FINGERPRINTS_EXEMPT_UNDER_12'
  | 'FINGERPRINTS_AGE_UNCERTAIN';

export interface CheckResult {
  check: CheckCode;
  severity: CheckSeverity;
  /** English, with the dates and numbers the officer needs to act on it. */
  explanation: string;
  suggestedRefusalReasons: RefusalReasonCode[];
}
