import type { Crossing } from '../stay';
import type { AlertKind, WatchlistCandidate } from '../watchlist';
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
  | 'STAY_OVERSTAY'
  | 'STAY_NO_OVERSTAY'
  | 'EARLIER_REFUSAL'
  | 'WATCHLIST_HIT'
  | 'WATCHLIST_POSSIBLE_MATCH'
  | 'FINGERPRINTS_REQUIRED'
  | 'FINGERPRINTS_EXEMPT_UNDER_12'
  | 'FINGERPRINTS_AGE_UNCERTAIN';

/** A calendar day, 'YYYY-MM-DD'. */
type IsoDay = string;
/** Several codes or days in one fact, in order, joined by commas; '' for none. Facts stay flat for the API. */
type CommaList = string;

/** Each check code's facts must be flat values, so that any screen or log can carry them as they are. */
type FlatFacts<T extends Record<CheckCode, Record<string, string | number>>> = T;

/**
 * What each check found, as values rather than words: the screen words a check in the
 * officer's language from its code and these facts (the English explanation is built from
 * the same ones). Dates are IsoDay; a text that may be missing is '' rather than absent.
 */
export type CheckFacts = FlatFacts<{
  /** failedChecks: the MRZ checks that failed (MrzCheckName: 'compositeCheckDigit', …). */
  MRZ_INVALID: { failedChecks: CommaList };
  DOCUMENT_EXPIRED: { expiryDate: IsoDay; entryDate: IsoDay };
  /** validUntilAtLeast: the planned departure plus validMonthsAfterDeparture. */
  DOCUMENT_EXPIRES_TOO_SOON: { expiryDate: IsoDay; plannedDepartureDate: IsoDay; validMonthsAfterDeparture: number; validUntilAtLeast: IsoDay };
  /** issuedNoEarlierThan: the entry less issuedWithinYears. */
  DOCUMENT_TOO_OLD: { issueDate: IsoDay; entryDate: IsoDay; issuedWithinYears: number; issuedNoEarlierThan: IsoDay };
  DOCUMENT_ISSUE_DATE_UNKNOWN: { issuedWithinYears: number };
  /** nationality: ICAO three-letter code, here and in the visa checks. */
  OWN_NATIONAL: { nationality: string };
  VISA_REQUIRED: { nationality: string };
  VISA_PRESENTED: { nationality: string };
  VISA_NOT_REQUIRED: { nationality: string };
  VISA_REGIME_UNKNOWN: { nationality: string };
  /** daysBeforeEntry: days of stay in the window before the entry day; dayOnEntry: the day the entry would be. */
  STAY_LIMIT_USED_UP: { daysBeforeEntry: number; dayOnEntry: number; entryDate: IsoDay; maxDaysInWindow: number; windowDays: number };
  /** daysOver: days of the planned stay past latestLawfulExit. */
  PLANNED_STAY_TOO_LONG: { plannedDepartureDate: IsoDay; latestLawfulExit: IsoDay; daysOver: number; maxDaysInWindow: number; windowDays: number };
  /** daysUsedOnEntry counts the entry day; latestLawfulExit is '' when no day is left (then daysLeftOnDeparture is 0). */
  STAY_DAYS_USED: {
    daysUsedOnEntry: number;
    maxDaysInWindow: number;
    windowDays: number;
    entryDate: IsoDay;
    plannedDepartureDate: IsoDay;
    daysLeftOnDeparture: number;
    latestLawfulExit: IsoDay | '';
  };
  /**
   * The gaps the count bridged (StayAnomalyCode): exitsWithoutEntry, the days of exits with no
   * entry before them; entriesWithoutExit, the days of entries while a stay had no exit.
   */
  STAY_RECORD_INCOMPLETE: { exitsWithoutEntry: CommaList; entriesWithoutExit: CommaList };
  /** On exit: overstayDays past latestLawfulExit ('' when no day was left when the stay began). */
  STAY_OVERSTAY: { stayBegan: IsoDay; latestLawfulExit: IsoDay | ''; overstayDays: number; maxDaysInWindow: number; windowDays: number };
  /** On exit, a stay within the rule: overstayDays is 0. */
  STAY_NO_OVERSTAY: { stayBegan: IsoDay; latestLawfulExit: IsoDay | ''; overstayDays: number; maxDaysInWindow: number; windowDays: number };
  /** reasons: refusal reason codes ('' when not recorded); crossingPoint: '' when not recorded. */
  EARLIER_REFUSAL: { refusedOn: IsoDay; crossingPoint: string; reasons: CommaList };
  /**
   * alertKind: AlertKind ('entry-ban', 'wanted' …); score: 0..1; matchedFields: the fields
   * of the traveller that agree with the alert (WatchlistField), in the order an officer checks them.
   */
  WATCHLIST_HIT: { alertId: string; alertKind: AlertKind; score: number; matchedFields: CommaList };
  /** As a hit, with the threshold the score stayed below. */
  WATCHLIST_POSSIBLE_MATCH: { alertId: string; alertKind: AlertKind; score: number; hitThreshold: number; matchedFields: CommaList };
  FINGERPRINTS_REQUIRED: Record<never, never>;
  /** youngestAge and oldestAge differ when the date of birth is partial. */
  FINGERPRINTS_EXEMPT_UNDER_12: { youngestAge: number; oldestAge: number; entryDate: IsoDay; exemptUnderAge: number };
  /** birthDate as on the document (partial, unknown parts as XX); the ages are '' when the year of birth is unknown. */
  FINGERPRINTS_AGE_UNCERTAIN: { birthDate: string; entryDate: IsoDay; youngestAge: number | ''; oldestAge: number | ''; exemptUnderAge: number };
}>;

/** A watchlist field of the traveller that can agree with an alert. */
export type WatchlistField = 'surname' | 'givenNames' | 'birthDate' | 'nationality' | 'documentNumber';

/** One check's outcome: its facts for any screen, and the same in English for the server, logs and tests. */
export type CheckResult = {
  [Code in CheckCode]: {
    check: Code;
    severity: CheckSeverity;
    /** English, with the dates and numbers the officer needs to act on it. */
    explanation: string;
    facts: CheckFacts[Code];
    suggestedRefusalReasons: RefusalReasonCode[];
  };
}[CheckCode];
