import { defaultRules, type Rules } from '../rules';
import { documentChecks } from './document-checks';
import type { CheckResult, CheckSeverity, EntryCheckInput } from './entry-check-types';
import { fingerprintChecks } from './fingerprint-checks';
import { refusalHistoryChecks, stayChecks } from './stay-checks';
import { visaChecks } from './visa-checks';
import { watchlistChecks } from './watchlist-checks';

const SEVERITY_ORDER: Readonly<Record<CheckSeverity, number>> = { block: 0, warning: 1, info: 2 };

/**
 * Every entry condition for one traveller at the border, as a list the warning panel
 * shows top down: what blocks entry first, then what needs a look, then facts. The
 * station's own nationals are checked for their document and the watchlist only.
 */
export function entryChecks(input: EntryCheckInput, rules: Rules = defaultRules): CheckResult[] {
  const { document, plannedStay } = input;
  const ownNational = rules.borders.ownNationalities.includes(document.nationality);
  const results: CheckResult[] = [...documentChecks(document, plannedStay, rules), ...watchlistChecks(input.watchlistCandidates, rules)];
  if (ownNational) {
    results.push({
      check: 'OWN_NATIONAL',
      severity: 'info',
      explanation: `National of ${document.nationality}: no visa, 90/180 or fingerprint checks`,
      facts: { nationality: document.nationality },
      suggestedRefusalReasons: [],
    });
  } else {
    results.push(
      ...visaChecks(document.nationality, input.visa),
      ...stayChecks(input.history, plannedStay, rules),
      ...fingerprintChecks(document.birthDate, plannedStay.entryDate, rules),
    );
  }
  results.push(...refusalHistoryChecks(input.history.refusals));
  // Array.prototype.sort is stable: within a severity, checks keep the order above.
  return results.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** The refusal reasons suggested by all checks together, in form order, each once. */
export function suggestedRefusalReasons(results: readonly CheckResult[]): CheckResult['suggestedRefusalReasons'] {
  return [...new Set(results.flatMap((result) => result.suggestedRefusalReasons))].sort();
}
