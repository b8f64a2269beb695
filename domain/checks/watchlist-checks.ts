import type { Rules } from '../rules';
import type { AlertKind, MatchReasonCode, WatchlistCandidate } from '../watchlist';
import type { CheckResult, CheckSeverity, WatchlistField } from './entry-check-types';
import type { RefusalReasonCode } from './refusal-reasons';

/**
 * What a confirmed hit asks of the officer, by kind of alert. A wanted person is
 * detained rather than refused; a missing person is protected; a discreet check must
 * not alert the traveller, so it never blocks the screen in front of them.
 */
const ON_HIT: Readonly<Record<AlertKind, { severity: CheckSeverity; reasons: RefusalReasonCode[]; action: string }>> = {
  'entry-ban': { severity: 'block', reasons: ['H'], action: 'entry ban: refuse entry' },
  'wanted': { severity: 'block', reasons: [], action: 'wanted person: follow the arrest procedure' },
  'missing-person': { severity: 'warning', reasons: [], action: 'missing person: follow the protection procedure' },
  'discreet-check': { severity: 'warning', reasons: [], action: 'discreet check: record the crossing without alerting the traveller' },
  'lost-stolen-document': { severity: 'block', reasons: ['A'], action: 'document reported lost or stolen: seize it' },
  'invalidated-document': { severity: 'block', reasons: ['A'], action: 'document invalidated by its issuer' },
};

/** The field each piece of evidence shows agreeing with the alert; null for evidence of a difference or a gap. */
const AGREEING_FIELD: Readonly<Record<MatchReasonCode, WatchlistField | null>> = {
  DOCUMENT_NUMBER_EXACT: 'documentNumber',
  DOCUMENT_NUMBER_MISREAD: 'documentNumber',
  ISSUING_STATE_DIFFERS: null,
  SURNAME_EXACT: 'surname',
  SURNAME_TRANSLITERATED: 'surname',
  SURNAME_TYPO: 'surname',
  SURNAME_PART: 'surname',
  GIVEN_NAMES_EXACT: 'givenNames',
  GIVEN_NAMES_TRANSLITERATED: 'givenNames',
  GIVEN_NAMES_TYPO: 'givenNames',
  GIVEN_NAMES_PART: 'givenNames',
  GIVEN_NAMES_UNKNOWN: null,
  NAMES_SWAPPED: null,
  BIRTH_DATE_EXACT: 'birthDate',
  BIRTH_DATE_PARTIAL: 'birthDate',
  BIRTH_DATE_DAY_MONTH_SWAPPED: 'birthDate',
  BIRTH_DATE_ONE_DIGIT_OFF: 'birthDate',
  BIRTH_DATE_UNKNOWN: null,
  BIRTH_DATE_DIFFERS: null,
  NATIONALITY_SAME: 'nationality',
  NATIONALITY_DIFFERS: null,
  NATIONALITY_UNKNOWN: null,
};

/** The fields of the traveller that the evidence shows agreeing with an alert, each once, by their evidence codes. */
export function agreeingFields(reasonCodes: readonly string[]): WatchlistField[] {
  const fields = reasonCodes.map((code) => AGREEING_FIELD[code as MatchReasonCode] ?? null).filter((field) => field !== null);
  return [...new Set(fields)];
}

function matchedFields(candidate: WatchlistCandidate): string {
  return agreeingFields(candidate.reasons.map((reason) => reason.code)).join(',');
}

export function watchlistChecks(candidates: readonly WatchlistCandidate[], rules: Rules): CheckResult[] {
  const { candidateThreshold, hitThreshold } = rules.watchlist;
  return candidates
    .filter((candidate) => candidate.score >= candidateThreshold)
    .map((candidate): CheckResult => {
      const why = candidate.reasons.map((reason) => reason.text).join('; ');
      const onHit = ON_HIT[candidate.alert.kind];
      if (candidate.score >= hitThreshold) {
        return {
          check: 'WATCHLIST_HIT',
          severity: onHit.severity,
          explanation: `Alert ${candidate.alert.alertId} (${onHit.action}), score ${candidate.score.toFixed(2)}: ${why}`,
          facts: { alertId: candidate.alert.alertId, alertKind: candidate.alert.kind, score: candidate.score, matchedFields: matchedFields(candidate) },
          suggestedRefusalReasons: onHit.reasons,
        };
      }
      return {
        check: 'WATCHLIST_POSSIBLE_MATCH',
        severity: 'warning',
        explanation: `Possible match with alert ${candidate.alert.alertId} (${candidate.alert.kind}), score ${candidate.score.toFixed(2)}, below the hit threshold ${hitThreshold}: compare the person with the alert. ${why}`,
        facts: { alertId: candidate.alert.alertId, alertKind: candidate.alert.kind, score: candidate.score, hitThreshold, matchedFields: matchedFields(candidate) },
        suggestedRefusalReasons: [],
      };
    });
}
