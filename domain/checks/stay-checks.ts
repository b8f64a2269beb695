import type { Rules } from '../rules';
import { assessPlannedStay, buildStayHistory } from '../stay';
import { calendarDayOf } from '../time';
import type { CheckResult, EarlierRefusal, PlannedStay, TravellerHistory } from './entry-check-types';

/** The 90/180 rule on the planned stay, and what the record of crossings leaves uncertain. */
export function stayChecks(history: TravellerHistory, stay: PlannedStay, rules: Rules): CheckResult[] {
  const { maxDaysInWindow, windowDays } = rules.shortStay;
  const record = buildStayHistory(history.crossings);
  const assessment = assessPlannedStay(record, stay.entryDate, stay.plannedDepartureDate, rules);
  const results: CheckResult[] = [];
  const incomplete = assessment.anomalies.length > 0;
  // A record with gaps was bridged by assumption: the officer decides, the system does not block.
  const severity = incomplete ? 'warning' : 'block';

  if (incomplete) {
    results.push({
      check: 'STAY_RECORD_INCOMPLETE',
      severity: 'warning',
      explanation: `The record of crossings has gaps, so the day count rests on assumptions: ${assessment.anomalies.map((a) => a.message).join('; ')}`,
      suggestedRefusalReasons: [],
    });
  }

  const daysBeforeEntry = assessment.daysUsedOnEntry - 1;
  if (assessment.latestLawfulExit === null) {
    results.push({
      check: 'STAY_LIMIT_USED_UP',
      severity,
      explanation: `${daysBeforeEntry} days of stay in the ${windowDays} days up to ${stay.entryDate}: entering that day would be day ${assessment.daysUsedOnEntry}, over the limit of ${maxDaysInWindow}`,
      suggestedRefusalReasons: ['F'],
    });
  } else if (!assessment.fits) {
    results.push({
      check: 'PLANNED_STAY_TOO_LONG',
      severity: 'warning',
      explanation: `Planned departure ${stay.plannedDepartureDate} is ${assessment.daysOver} days past the latest lawful exit ${assessment.latestLawfulExit} under the ${maxDaysInWindow}/${windowDays} rule`,
      suggestedRefusalReasons: [],
    });
  }

  results.push({
    check: 'STAY_DAYS_USED',
    severity: 'info',
    explanation:
      `${assessment.daysUsedOnEntry} of ${maxDaysInWindow} days used in the ${windowDays} days up to the entry on ${stay.entryDate} (entry day included); ` +
      (assessment.latestLawfulExit === null
        ? 'no day left'
        : `${assessment.daysLeftOnDeparture} days left on the planned departure ${stay.plannedDepartureDate}; latest lawful exit ${assessment.latestLawfulExit}`),
    suggestedRefusalReasons: [],
  });
  return results;
}

/** Each earlier refusal, most recent first: a pattern the officer should see, not a reason in itself. */
export function refusalHistoryChecks(refusals: readonly EarlierRefusal[]): CheckResult[] {
  return [...refusals]
    .sort((a, b) => calendarDayOf(b.at).localeCompare(calendarDayOf(a.at)))
    .map((refusal) => ({
      check: 'EARLIER_REFUSAL',
      severity: 'warning',
      explanation: `Refused entry on ${calendarDayOf(refusal.at)}${refusal.crossingPoint ? ` at ${refusal.crossingPoint}` : ''}, reasons ${refusal.reasons.join(', ') || 'not recorded'}`,
      suggestedRefusalReasons: [],
    }));
}
