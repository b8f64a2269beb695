import { defaultRules, type Rules } from '../rules';
import { calendarDayOf, dayNumber, isoDate, type IsoDate } from '../time';
import { daysUsedWithStay } from './days-used';
import { StayError } from './errors';
import { asStayHistory, type StayAnomaly, type StayHistory, type StayRecord } from './stay-history';

/**
 * The last day a stay that begins on `firstDay` keeps within the limit, or null when
 * the first day itself would exceed it. During one unbroken stay the count never goes
 * down (each day adds one day and the window drops at most one), so the lawful days
 * are a prefix of the stay and a binary search finds its end.
 */
function lastLawfulDay(history: StayHistory, firstDay: number, rules: Rules): number | null {
  const limit = rules.shortStay.maxDaysInWindow;
  if (daysUsedWithStay(history, firstDay, firstDay, rules) > limit) return null;
  let lo = firstDay;
  let hi = firstDay + limit - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (daysUsedWithStay(history, firstDay, mid, rules) <= limit) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The latest day a person entering on `entryDate` may leave without overstaying,
 * or null when they have no day left at all. Recorded crossings from the entry date on
 * are ignored: the new stay takes their place.
 */
export function latestLawfulExit(record: StayRecord, entryDate: IsoDate, rules: Rules = defaultRules): IsoDate | null {
  const last = lastLawfulDay(asStayHistory(record), dayNumber(entryDate), rules);
  return last === null ? null : isoDate(last);
}

export interface PlannedStayAssessment {
  /** True when every day from entry to planned departure stays within the limit. */
  fits: boolean;
  /** Days used on the entry day, the entry day included. */
  daysUsedOnEntry: number;
  /** Days used on the planned departure day, if the traveller stays as planned. */
  daysUsedOnDeparture: number;
  /** Days still available on the planned departure day (0 when the stay does not fit). */
  daysLeftOnDeparture: number;
  /** Longest unbroken stay possible from the entry day, the entry day included. */
  longestStayDays: number;
  latestLawfulExit: IsoDate | null;
  /** Days of the planned stay beyond the latest lawful exit. */
  daysOver: number;
  anomalies: readonly StayAnomaly[];
}

/** A new entry while the record still has the person inside means their exit was not recorded. */
function stayStillOpenBefore(history: StayHistory, entry: number): StayAnomaly[] {
  if (history.openSince === null || history.openSince >= entry) return [];
  const since = isoDate(history.openSince);
  return [
    {
      code: 'ENTRY_WITHOUT_EXIT',
      day: isoDate(entry),
      message: `Entry on ${isoDate(entry)} while the stay from ${since} has no exit recorded; counted as present from ${since} to the day before`,
    },
  ];
}

export function assessPlannedStay(
  record: StayRecord,
  entryDate: IsoDate,
  plannedDepartureDate: IsoDate,
  rules: Rules = defaultRules,
): PlannedStayAssessment {
  const history = asStayHistory(record);
  const entry = dayNumber(entryDate);
  const departure = dayNumber(plannedDepartureDate);
  if (departure < entry) {
    throw new StayError('DEPARTURE_BEFORE_ENTRY', `Planned departure ${plannedDepartureDate} is before the entry ${entryDate}`);
  }
  const limit = rules.shortStay.maxDaysInWindow;
  const last = lastLawfulDay(history, entry, rules);
  const daysUsedOnDeparture = daysUsedWithStay(history, entry, departure, rules);
  const lawfulUntil = last ?? entry - 1;
  return {
    fits: departure <= lawfulUntil,
    daysUsedOnEntry: daysUsedWithStay(history, entry, entry, rules),
    daysUsedOnDeparture,
    daysLeftOnDeparture: Math.max(0, limit - daysUsedOnDeparture),
    longestStayDays: lawfulUntil - entry + 1,
    latestLawfulExit: last === null ? null : isoDate(last),
    daysOver: Math.max(0, departure - lawfulUntil),
    anomalies: [...history.anomalies, ...stayStillOpenBefore(history, entry)],
  };
}

export interface OverstayAssessment {
  /** Day the stay being ended began (the exit day itself when no entry was recorded). */
  stayBegan: IsoDate;
  latestLawfulExit: IsoDate | null;
  /** Days of this stay after the latest lawful exit; 0 for a lawful stay. */
  overstayDays: number;
  anomalies: readonly StayAnomaly[];
}

/**
 * Overstay of the stay a person is ending now. `record` holds the crossings recorded
 * before this exit; the stay ended is the one still open in it.
 */
export function assessOverstayOnExit(record: StayRecord, exitAt: string, rules: Rules = defaultRules): OverstayAssessment {
  const history = asStayHistory(record);
  const exitDate = calendarDayOf(exitAt);
  const exit = dayNumber(exitDate);
  const anomalies = [...history.anomalies];
  let began = history.openSince;
  if (began === null || began > exit) {
    anomalies.push({
      code: 'EXIT_WITHOUT_ENTRY',
      day: exitDate,
      message: `Exit on ${exitDate} has no entry recorded before it; only the day of exit is counted`,
    });
    began = exit;
  }
  const last = lastLawfulDay(history, began, rules);
  return {
    stayBegan: isoDate(began),
    latestLawfulExit: last === null ? null : isoDate(last),
    overstayDays: Math.max(0, exit - (last ?? began - 1)),
    anomalies,
  };
}
