import type { Rules } from '../rules';
import { assessPlannedStay, buildStayHistory, type OverstayAssessment, type StayAnomaly } from '../stay';
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

  if (incomplete) results.push(stayRecordCheck(assessment.anomalies));

  const daysBeforeEntry = assessment.daysUsedOnEntry - 1;
  if (assessment.latestLawfulExit === null) {
    results.push({
      check: 'STAY_LIMIT_USED_UP',
      severity,
      explanation: `${daysBeforeEntry} days of stay in the ${windowDays} days up to ${stay.entryDate}: entering that day would be day ${assessment.daysUsedOnEntry}, over the limit of ${maxDaysInWindow}`,
      facts: { daysBeforeEntry, dayOnEntry: assessment.daysUsedOnEntry, entryDate: stay.entryDate, maxDaysInWindow, windowDays },
      suggestedRefusalReasons: ['F'],
    });
  } else if (!assessment.fits) {
    results.push({
      check: 'PLANNED_STAY_TOO_LONG',
      severity: 'warning',
      explanation: `Planned departure ${stay.plannedDepartureDate} is ${assessment.daysOver} days past the latest lawful exit ${assessment.latestLawfulExit} under the ${maxDaysInWindow}/${windowDays} rule`,
      facts: { plannedDepartureDate: stay.plannedDepartureDate, latestLawfulExit: assessment.latestLawfulExit, daysOver: assessment.daysOver, maxDaysInWindow, windowDays },
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
    facts: {
      daysUsedOnEntry: assessment.daysUsedOnEntry,
      maxDaysInWindow,
      windowDays,
      entryDate: stay.entryDate,
      plannedDepartureDate: stay.plannedDepartureDate,
      daysLeftOnDeparture: assessment.daysLeftOnDeparture,
      latestLawfulExit: assessment.latestLawfulExit ?? '',
    },
    suggestedRefusalReasons: [],
  });
  return results;
}

/** On exit: whether the stay being ended kept to the 90/180 rule, and the gaps its count bridged. */
export function exitStayChecks(overstay: OverstayAssessment, rules: Rules): CheckResult[] {
  const { maxDaysInWindow, windowDays } = rules.shortStay;
  const { stayBegan, latestLawfulExit, overstayDays } = overstay;
  const lawfulUntil = latestLawfulExit ?? `the day before ${stayBegan} (no day was left)`;
  const facts = { stayBegan, latestLawfulExit: latestLawfulExit ?? '', overstayDays, maxDaysInWindow, windowDays };
  const results: CheckResult[] = [
    overstayDays > 0
      ? {
          check: 'STAY_OVERSTAY',
          severity: 'warning',
          explanation: `Overstayed by ${overstayDays} days: the stay began on ${stayBegan}, the latest lawful exit under the ${maxDaysInWindow}/${windowDays} rule was ${lawfulUntil}`,
          facts,
          suggestedRefusalReasons: [],
        }
      : {
          check: 'STAY_NO_OVERSTAY',
          severity: 'info',
          explanation: `The stay from ${stayBegan} keeps within the ${maxDaysInWindow}/${windowDays} rule (latest lawful exit ${lawfulUntil})`,
          facts,
          suggestedRefusalReasons: [],
        },
  ];
  if (overstay.anomalies.length > 0) results.push(stayRecordCheck(overstay.anomalies));
  return results;
}

/** The gaps in the record of crossings that a day count (on entry or on exit) had to bridge. */
function stayRecordCheck(anomalies: readonly StayAnomaly[]): CheckResult {
  const daysOf = (code: StayAnomaly['code']) =>
    anomalies
      .filter((anomaly) => anomaly.code === code)
      .map((anomaly) => anomaly.day)
      .join(',');
  return {
    check: 'STAY_RECORD_INCOMPLETE',
    severity: 'warning',
    explanation: `The record of crossings has gaps, so the day count rests on assumptions: ${anomalies.map((anomaly) => anomaly.message).join('; ')}`,
    facts: { exitsWithoutEntry: daysOf('EXIT_WITHOUT_ENTRY'), entriesWithoutExit: daysOf('ENTRY_WITHOUT_EXIT') },
    suggestedRefusalReasons: [],
  };
}

/** Each earlier refusal, most recent first: a pattern the officer should see, not a reason in itself. */
export function refusalHistoryChecks(refusals: readonly EarlierRefusal[]): CheckResult[] {
  return [...refusals]
    .sort((a, b) => calendarDayOf(b.at).localeCompare(calendarDayOf(a.at)))
    .map((refusal): CheckResult => ({
      check: 'EARLIER_REFUSAL',
      severity: 'warning',
      explanation: `Refused entry on ${calendarDayOf(refusal.at)}${refusal.crossingPoint ? ` at ${refusal.crossingPoint}` : ''}, reasons ${refusal.reasons.join(', ') || 'not recorded'}`,
      facts: { refusedOn: calendarDayOf(refusal.at), crossingPoint: refusal.crossingPoint ?? '', reasons: refusal.reasons.join(',') },
      suggestedRefusalReasons: [],
    }));
}
