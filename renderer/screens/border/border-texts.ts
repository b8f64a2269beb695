import type { TFunction } from 'i18next';
import type { RequestOutput } from '../../../main/api/types';

/**
 * The border screen's words for the codes main sends (checks, severities, fingers,
 * refusal reasons). Each text is a literal key, so that the translation test sees it.
 */

export type Prepared = RequestOutput<'crossings.prepare'>;
export type CheckView = Prepared['checks'][number];
export type Recorded = RequestOutput<'crossings.record'>;
export type CrossingView = Recorded['crossing'];
export type Severity = CheckView['severity'];
export type ReasonCode = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I';

export const REASON_CODES: readonly ReasonCode[] = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'];

/** ISO/IEC 19794-2 positions: four fingers of the right hand, of the left when they are missing (DOMAIN.md). */
export const RIGHT_FINGERS = [2, 3, 4, 5] as const;
export const LEFT_FINGERS = [7, 8, 9, 10] as const;

export function severityLabel(severity: Severity, t: TFunction): string {
  if (severity === 'block') return t('border.severityBlock');
  if (severity === 'warning') return t('border.severityWarning');
  return t('border.severityInfo');
}

/** A check's title; the stay limit's names the rule's numbers, from the check's facts (the rules it was judged by). */
export function checkTitle(code: string, t: TFunction, facts: Prepared['checks'][number]['facts'] = {}): string {
  const titles: Record<string, string> = {
    MRZ_INVALID: t('border.checkMrzInvalid'),
    DOCUMENT_EXPIRED: t('border.checkDocumentExpired'),
    DOCUMENT_EXPIRES_TOO_SOON: t('border.checkDocumentExpiresTooSoon'),
    DOCUMENT_TOO_OLD: t('border.checkDocumentTooOld'),
    DOCUMENT_ISSUE_DATE_UNKNOWN: t('border.checkIssueDateUnknown'),
    OWN_NATIONAL: t('border.checkOwnNational'),
    VISA_REQUIRED: t('border.checkVisaRequired'),
    VISA_PRESENTED: t('border.checkVisaPresented'),
    VISA_NOT_REQUIRED: t('border.checkVisaNotRequired'),
    VISA_REGIME_UNKNOWN: t('border.checkVisaRegimeUnknown'),
    STAY_LIMIT_USED_UP: t('border.checkStayLimitUsedUp', { maxDays: facts.maxDaysInWindow ?? '', windowDays: facts.windowDays ?? '' }),
    PLANNED_STAY_TOO_LONG: t('border.checkPlannedStayTooLong'),
    STAY_DAYS_USED: t('border.checkStayDaysUsed'),
    STAY_RECORD_INCOMPLETE: t('border.checkStayRecordIncomplete'),
    EARLIER_REFUSAL: t('border.checkEarlierRefusal'),
    WATCHLIST_HIT: t('border.checkWatchlistHit'),
    WATCHLIST_POSSIBLE_MATCH: t('border.checkWatchlistPossibleMatch'),
    WATCHLIST_CLEAR: t('border.checkWatchlistClear'),
    FINGERPRINTS_REQUIRED: t('border.checkFingerprintsRequired'),
    FINGERPRINTS_EXEMPT_UNDER_12: t('border.checkFingerprintsExempt'),
    FINGERPRINTS_AGE_UNCERTAIN: t('border.checkFingerprintsAgeUncertain'),
    STAY_OVERSTAY: t('border.checkOverstay'),
    STAY_NO_OVERSTAY: t('border.checkNoOverstay'),
  };
  return titles[code] ?? t('border.checkOther');
}

export function fingerLabel(position: number, t: TFunction): string {
  const labels: Record<number, string> = {
    2: t('border.finger2'),
    3: t('border.finger3'),
    4: t('border.finger4'),
    5: t('border.finger5'),
    7: t('border.finger7'),
    8: t('border.finger8'),
    9: t('border.finger9'),
    10: t('border.finger10'),
  };
  return labels[position] ?? String(position);
}

export function reasonText(code: ReasonCode, t: TFunction): string {
  const texts: Record<ReasonCode, string> = {
    A: t('border.reasonA'),
    B: t('border.reasonB'),
    C: t('border.reasonC'),
    D: t('border.reasonD'),
    E: t('border.reasonE'),
    F: t('border.reasonF'),
    G: t('border.reasonG'),
    H: t('border.reasonH'),
    I: t('border.reasonI'),
  };
  return texts[code];
}

export function sexLabel(sex: string, t: TFunction): string {
  if (sex === 'F') return t('border.sexF');
  if (sex === 'M') return t('border.sexM');
  return t('border.sexX');
}
