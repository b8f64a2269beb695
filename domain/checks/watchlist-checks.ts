import type { Rules } from '../rules';
import type { AlertKind, WatchlistCandidate } from '../watchlist';
import type { CheckResult, CheckSeverity } from './entry-check-types';
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

export function watchlistChecks(candidates: readonly WatchlistCandidate[], rules: Rules): CheckResult[] {
  const { candidateThreshold, hitThreshold } = rules.watchlist;
  return candidates
    .filter((candidate) => candidate.score >= candidateThreshold)
    .map((candidate) => {
      const why = candidate.reasons.map((reason) => reason.text).join('; ');
      const onHit = ON_HIT[candidate.alert.kind];
      if (candidate.score >= hitThreshold) {
        return {
          check: 'WATCHLIST_HIT',
          severity: onHit.severity,
          explanation: `Alert ${candidate.alert.alertId} (${onHit.action}), score ${candidate.score.toFixed(2)}: ${why}`,
          suggestedRefusalReasons: onHit.reasons,
        };
      }
      return {
        check: 'WATCHLIST_POSSIBLE_MATCH',
        severity: 'warning',
        explanation: `Possible match with alert ${candidate.alert.alertId} (${candidate.alert.kind}), score ${candidate.score.toFixed(2)}, below the hit threshold ${hitThreshold}: compare the person with the alert. ${why}`,
        suggestedRefusalReasons: [],
      };
    });
}
